"""No personal data in logs: the masking filter, and a full save + failed webhook logged at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from leads import LeadStore, NewLead, capture_lead, deliver_due
from privacy.log_masking import (
    PersonalDataFilter,
    install_masking,
    mask_email,
    mask_phone,
    mask_text,
    uninstall_masking,
)
from project_settings import load_settings
from tests.leads.conftest import Receiver, closed_port

EMAIL = "marie.tremblay@example.com"
PHONES = ("+33612345678", "06 12 34 56 78", "612345678", "12 34 56 78")


@pytest.fixture()
def filtered(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog with the filter on its handler (pytest reuses that handler: the filter must come off)."""
    log_filter = PersonalDataFilter()
    caplog.handler.addFilter(log_filter)
    yield caplog
    caplog.handler.removeFilter(log_filter)


@pytest.fixture()
def masking() -> Iterator[None]:
    install_masking()
    yield
    uninstall_masking()


def test_mask_helpers() -> None:
    assert mask_email("marie.tremblay@example.com") == "m***@e***.com"
    assert mask_email("josé@exemple.co.uk") == "j***@e***.uk"
    assert mask_phone("+1 514 872 0311") == "+***11"
    assert mask_phone("06 12 34 56 78") == "***78"


@pytest.mark.parametrize(("text", "masked"), [
    ("write to marie.tremblay@example.com now", "write to m***@e***.com now"),
    ("Email: Awa.Diop+pmi@exemple.sn.", "Email: A***@e***.sn."),
    ("call +1 (514) 872-0311 or 06 12 34 56 78", "call +***11 or ***78"),
    ("tel=0033612345678;", "tel=***78;"),
    ("phone=%2B15148720311", "phone=+***11"),
    ("e=marie%40example.com", "e***@e***.com"),  # "=" may be part of an address: masked with it
    ("José@exemple.fr", "J***@e***.fr"),
])
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "2026-11-24 15:52:22,123 INFO saved QP-7K4Q-2M9X",
    "127.0.0.1:5005 POST /webhooks/rest/webhook 200 took 0.0123 s",
    "timestamp 1763995942.123456 sender 123e4567-e89b-12d3-a456-426614174000",
    "Rasa 3.6.21, 12 events, 24/11/2026",
])
def test_ordinary_log_lines_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_filter_masks_message_and_args(filtered: pytest.LogCaptureFixture) -> None:
    caplog = filtered
    log = logging.getLogger("tests.privacy")
    log.warning("lead from %s, phone %s, %d tries", EMAIL, "+33 6 12 34 56 78", 3)
    assert caplog.records[0].getMessage() == "lead from m***@e***.com, phone +***78, 3 tries"
    assert EMAIL not in caplog.text and "12 34 56" not in caplog.text


def test_filter_masks_exceptions(filtered: pytest.LogCaptureFixture) -> None:
    caplog = filtered
    try:
        raise ValueError(f"bad address {EMAIL}")
    except ValueError:
        logging.getLogger("tests.privacy").exception("failed")
    assert EMAIL not in caplog.text and "m***@e***.com" in caplog.text


def test_install_masks_loggers_created_later(masking: None, caplog: pytest.LogCaptureFixture) -> None:
    late = logging.getLogger("tests.privacy.created.later")
    late.propagate = True
    late.warning("user said: my email is %s and my phone is %s", EMAIL, "06 12 34 56 78")
    assert caplog.records and EMAIL not in caplog.text and "06 12 34 56 78" not in caplog.text
    assert "m***@e***.com" in caplog.text
    assert install_masking() is install_masking()  # idempotent


def test_uninstall_restores_logging(caplog: pytest.LogCaptureFixture) -> None:
    install_masking()
    uninstall_masking()
    logging.getLogger("tests.privacy").warning("%s", EMAIL)
    assert EMAIL in caplog.text


def _assert_no_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "expected some logging at DEBUG"
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in (EMAIL, "Tremblay", *PHONES):
        assert secret not in logged, secret


@pytest.mark.parametrize("failure", ["server_error", "refused"])
def test_save_and_failed_webhook_log_no_personal_data(tmp_path: Path, receiver: Receiver, failure: str,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Without the filter: our code (and SQLAlchemy, requests, urllib3 under it) logs no contact detail,
    from the save to the worker giving the webhook up."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQLAlchemy logs no SQL by default
    receiver.status = 500
    url = receiver.url if failure == "server_error" else f"http://127.0.0.1:{closed_port()}/hook"
    settings = load_settings({"LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}", "LEADS_WEBHOOK_URL": url,
                              "LEADS_WEBHOOK_TIMEOUT": "1", "NOTIFY_MAX_ATTEMPTS": "1"})
    lead = NewLead(full_name="Marie Tremblay", email=EMAIL, language="fr", consent_text="Oui",
                   phone="+33612345678", phone_typed="06 12 34 56 78", preferred_time="le matin",
                   time_zone="Europe/Paris", sender_id="conversation-1")
    with LeadStore(settings.leads_database_url) as store:
        result = capture_lead(lead, store, settings)
        report = deliver_due(store, settings)
        store.erase(email=EMAIL, tracker_db_url=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert result.queued == ("webhook",) and report.failed == 1
    assert any(r.name == "leads.webhook" and r.levelno == logging.WARNING for r in caplog.records)
    assert any(r.name == "leads.delivery" and r.levelno == logging.WARNING for r in caplog.records)
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)  # SQL was logged, not values
    _assert_no_personal_data(caplog)


def test_with_masking_a_careless_log_line_is_clean(masking: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("rasa.core.processor").debug("Received user message 'my email is %s, tel %s'",
                                                   EMAIL, "+33 6 12 34 56 78")
    _assert_no_personal_data(caplog)
