"""The optional webhook against a real HTTP receiver on loopback: delivered, timeout, 5xx, refused."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from leads import LeadStore, capture_lead, post_lead
from project_settings import load_settings
from tests.leads.conftest import Receiver, closed_port, new_lead


def settings_for(tmp_path: Path, url: str | None, timeout: str = "2", retries: str = "2") -> Any:
    env = {"LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}", "LEADS_WEBHOOK_URL": url or "",
           "LEADS_WEBHOOK_TIMEOUT": timeout, "LEADS_WEBHOOK_RETRIES": retries}
    return load_settings(env)


def test_delivered(tmp_path: Path, receiver: Receiver) -> None:
    result = capture_lead(new_lead(), settings=settings_for(tmp_path, receiver.url), backoff=0.01)
    assert result.webhook.delivered and result.webhook.attempts == 1 and result.webhook.status == 200
    [request] = receiver.requests
    body = request["body"]
    assert body["reference"] == result.lead.reference
    assert body["email"] == "marie.tremblay@example.com" and body["phone"] == "+33612345678"
    assert body["screening"]["verdict"] == "eligible" and body["consent"]["text"].startswith("J'accepte")
    assert "sender_id" not in body  # the CRM doesn't get the conversation id
    assert request["headers"]["Idempotency-Key"] == result.lead.reference
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["path"] == "/hooks/crm?key=secret-token"


def test_not_configured_sends_nothing(tmp_path: Path, receiver: Receiver) -> None:
    result = capture_lead(new_lead(), settings=settings_for(tmp_path, None))
    assert not result.webhook.configured and not result.webhook.delivered
    assert receiver.requests == []
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        assert store.get(result.lead.reference) is not None


def test_timeout_is_retried_and_the_lead_kept(tmp_path: Path, receiver: Receiver) -> None:
    receiver.delay = 1.0
    started = time.monotonic()
    settings = settings_for(tmp_path, receiver.url, timeout="0.2", retries="1")
    result = capture_lead(new_lead(), settings=settings, backoff=0.01)
    assert time.monotonic() - started < 1.5
    assert (result.webhook.delivered, result.webhook.attempts, result.webhook.error) == (False, 2, "timeout")
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        assert store.get(result.lead.reference) is not None


def test_server_error_is_retried_with_backoff(tmp_path: Path, receiver: Receiver) -> None:
    receiver.status = 500
    settings = settings_for(tmp_path, receiver.url, retries="2")
    result = capture_lead(new_lead(), settings=settings, backoff=0.01)
    assert (result.webhook.delivered, result.webhook.attempts, result.webhook.status) == (False, 3, 500)
    assert result.webhook.error == "http_500" and len(receiver.requests) == 3
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        assert store.get(result.lead.reference) is not None


def test_client_error_is_not_retried(tmp_path: Path, receiver: Receiver) -> None:
    receiver.status = 404
    result = capture_lead(new_lead(), settings=settings_for(tmp_path, receiver.url), backoff=0.01)
    assert (result.webhook.attempts, result.webhook.error) == (1, "http_404")


def test_connection_refused_keeps_the_lead(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/hook"
    result = capture_lead(new_lead(), settings=settings_for(tmp_path, url, retries="2"), backoff=0.01)
    webhook = result.webhook
    assert (webhook.delivered, webhook.attempts, webhook.error) == (False, 3, "connection")
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        assert store.get(result.lead.reference) is not None


def test_backoff_doubles(tmp_path: Path) -> None:
    waits: list[float] = []
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        lead = store.save(new_lead())
    result = post_lead(lead, f"http://127.0.0.1:{closed_port()}/", retries=3, backoff=0.5, sleep=waits.append)
    assert result.attempts == 4 and waits == [0.5, 1.0, 2.0]


def test_failure_is_logged_without_the_url_secret(tmp_path: Path, receiver: Receiver,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    receiver.status = 503
    caplog.set_level("WARNING", logger="leads")
    result = capture_lead(new_lead(), settings=settings_for(tmp_path, receiver.url, retries="0"))
    [record] = [r for r in caplog.records if r.name == "leads.webhook"]
    message = record.getMessage()
    assert result.lead.reference in message and "http_503" in message and "1 attempt" in message
    assert "secret-token" not in message and "/hooks/crm" not in message
