"""The webhook against a real HTTP receiver on loopback: delivered and signed, timeout, 5xx, refused; and
capture_lead, which queues it (with the emails) instead of posting while the person waits."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest

from leads import Lead, LeadStore, capture_lead, post_lead, sign
from leads.outbox import rows_for
from project_settings import load_settings
from tests.leads.conftest import Receiver, closed_port, new_lead, notify_settings


@pytest.fixture()
def lead(tmp_path: Path) -> Lead:
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        return store.save(new_lead(), settings=notify_settings(f"sqlite:///{tmp_path / 'leads.db'}"))


def test_delivered_and_signed(lead: Lead, receiver: Receiver) -> None:
    result = post_lead(lead, receiver.url, event="booked", secret="s3cret", backoff=0.01)
    assert result.delivered and result.attempts == 1 and result.status == 200
    [request] = receiver.requests
    body = request["body"]
    assert body["event"] == "booked" and body["reference"] == lead.reference
    assert body["email"] == "marie.tremblay@example.com" and body["phone"] == "+33612345678"
    assert body["screening"]["verdict"] == "eligible" and body["consent"]["text"].startswith("J'accepte")
    assert "sender_id" not in body  # the CRM doesn't get the conversation id
    expected = hmac.new(b"s3cret", request["raw"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Impplus-Signature"] == f"sha256={expected}"
    assert request["headers"]["Idempotency-Key"] == lead.reference
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["path"] == "/hooks/crm?key=secret-token"


def test_the_signature_changes_with_the_body_and_the_secret() -> None:
    assert sign(b'{"a":1}', "k") != sign(b'{"a":2}', "k") != sign(b'{"a":2}', "other")
    assert sign(b"", "k") == "sha256=" + hmac.new(b"k", b"", hashlib.sha256).hexdigest()


def test_unsigned_without_a_secret(lead: Lead, receiver: Receiver) -> None:
    post_lead(lead, receiver.url)
    [request] = receiver.requests
    assert "X-Impplus-Signature" not in request["headers"] and "event" not in request["body"]


def test_not_configured_sends_nothing(lead: Lead, receiver: Receiver) -> None:
    result = post_lead(lead, None)
    assert not result.configured and not result.delivered and receiver.requests == []


def test_timeout_is_retried(lead: Lead, receiver: Receiver) -> None:
    receiver.delay = 1.0
    result = post_lead(lead, receiver.url, timeout=0.2, retries=1, backoff=0.01)
    assert (result.delivered, result.attempts, result.error) == (False, 2, "timeout")


def test_server_error_is_retried_with_backoff(lead: Lead, receiver: Receiver) -> None:
    receiver.status = 500
    result = post_lead(lead, receiver.url, retries=2, backoff=0.01)
    assert (result.delivered, result.attempts, result.status) == (False, 3, 500)
    assert result.error == "http_500" and len(receiver.requests) == 3


def test_client_error_is_not_retried(lead: Lead, receiver: Receiver) -> None:
    receiver.status = 404
    result = post_lead(lead, receiver.url, backoff=0.01)
    assert (result.attempts, result.error) == (1, "http_404")


def test_connection_refused(lead: Lead) -> None:
    result = post_lead(lead, f"http://127.0.0.1:{closed_port()}/hook", retries=2, backoff=0.01)
    assert (result.delivered, result.attempts, result.error) == (False, 3, "connection")


def test_backoff_doubles(lead: Lead) -> None:
    waits: list[float] = []
    result = post_lead(lead, f"http://127.0.0.1:{closed_port()}/", retries=3, backoff=0.5, sleep=waits.append)
    assert result.attempts == 4 and waits == [0.5, 1.0, 2.0]


def test_failure_is_logged_without_the_url_secret(lead: Lead, receiver: Receiver,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    receiver.status = 503
    caplog.set_level("WARNING", logger="leads")
    post_lead(lead, receiver.url, retries=0)
    [record] = [r for r in caplog.records if r.name == "leads.webhook"]
    message = record.getMessage()
    assert lead.reference in message and "http_503" in message and "1 attempt" in message
    assert "secret-token" not in message and "/hooks/crm" not in message


def test_capture_queues_the_webhook_without_waiting_for_it(tmp_path: Path, receiver: Receiver) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    settings = notify_settings(url, webhook_url=receiver.url)
    result = capture_lead(new_lead(), settings=settings)
    assert result.queued == ("webhook",) and receiver.requests == []  # nothing posted while the person waits
    with LeadStore(url) as store, store.session() as session:
        rows = rows_for(session, result.lead.reference)
        assert [(row.kind, row.event, row.attempts) for row in rows] == [("webhook", "booked", 0)]


def test_capture_with_nothing_configured_queues_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    settings: Any = load_settings({"LEADS_DB_URL": url, "LEADS_WEBHOOK_URL": "", "SMTP_HOST": ""})
    result = capture_lead(new_lead(), settings=settings)
    assert result.queued == ()
    with LeadStore(url) as store:
        assert store.get(result.lead.reference) is not None
        with store.session() as session:
            assert rows_for(session, result.lead.reference) == []
