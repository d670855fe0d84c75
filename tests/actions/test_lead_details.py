"""The booking's details as the assistant reads them, and the one way it saves a confirmed lead: the phone
read where the person lives, the preferred time's zone, the screening summary, then capture_lead (saved,
then sent to the webhook) from the submit action."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from actions import lead_details
from actions.booking import ActionSubmitBooking
from eligibility import Profile, assess
from leads import LeadStore, deliver_due, screening_summary
from places.lookup import country_place
from tests.actions.conftest import TODAY, make_tracker, run, slot_events
from tests.leads import conftest as leads_fixtures
from tests.leads.conftest import Receiver

receiver = leads_fixtures.receiver  # the webhook receiver on loopback, as the webhook tests use it

CONFIRMED = {
    "language": "fr",
    "residence": "abroad",
    "has_csq": True,
    "lead_consent": True,
    "lead_confirmed": True,
    "lead_name": "Amine Benali",
    "lead_email": "amine.benali@exemple.dz",
    "lead_phone": "+213551234567",
    "lead_time": "le matin, heure d'Alger",
    "lead_time_zone": "Africa/Algiers",
    "lead_language": "fr",
}


def test_a_phone_is_read_where_they_live() -> None:
    algeria = country_place("DZ")
    assert lead_details.phone("0551 23 45 67", "abroad", algeria) == "+213551234567"
    assert lead_details.phone("514 872-0311", "quebec", None) == "+15148720311"
    assert lead_details.phone("(514) 872-0311", "other_province", None) == "+15148720311"
    assert lead_details.phone("my number is +33 6 12 34 56 78", None, None) == "+33612345678"
    assert lead_details.phone("  ", None, None) is None
    assert lead_details.phone("0551 23 45 67", None, None) is None  # no "+" and nowhere to read it in


def test_the_preferred_time_zone() -> None:
    assert lead_details.time_zone("après-midi heure de Montréal") == "America/Toronto"
    assert lead_details.time_zone("le matin", country_place("DZ")) == "Africa/Algiers"
    assert lead_details.time_zone("le matin") is None


def test_the_lead_keeps_the_form_and_the_screening() -> None:
    profile = Profile(residence="abroad", has_csq=True, csq_program="regular_skilled_worker", csq_valid=True)
    on = dt.date(2026, 11, 24)
    summary = lead_details.screening_summary(profile, on, [])
    assert summary == screening_summary(profile, assess(profile, on=on))
    lead = lead_details.booking_lead(CONFIRMED, "J'accepte.", "en", "chat-1", summary)
    assert (lead.full_name, lead.email) == ("Amine Benali", "amine.benali@exemple.dz")
    assert (lead.phone, lead.preferred_time) == ("+213551234567", "le matin, heure d'Alger")
    assert (lead.time_zone, lead.language) == ("Africa/Algiers", "fr")
    assert lead.screening == summary and lead.sender_id == "chat-1"
    no_phone = lead_details.booking_lead({**CONFIRMED, "lead_phone": "", "lead_language": None}, "Oui", "en",
                                         "chat-1", summary)
    assert no_phone.phone is None and no_phone.language == "en"


@pytest.fixture()
def lead_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, receiver: Receiver) -> str:
    """The action server's settings: a leads database of its own and the receiver as the webhook."""
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("LEADS_DB_URL", url)
    monkeypatch.setenv("LEADS_WEBHOOK_URL", receiver.url)
    monkeypatch.setenv("LEADS_WEBHOOK_RETRIES", "0")
    return url


def test_submit_saves_then_sends_the_lead_and_gives_the_reference(lead_settings: str,
                                                                  receiver: Receiver) -> None:
    events, dispatcher = run(ActionSubmitBooking(), make_tracker(CONFIRMED), {})
    reference = slot_events(events)["lead_reference"]
    assert re.fullmatch(r"QP-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert reference in dispatcher.messages[0]["text"]
    assert dispatcher.messages[-1]["custom"] == {"data": {"booking": "ended"}}
    with LeadStore(lead_settings) as store:
        lead = store.get(reference)
    assert lead is not None and lead.sender_id == "test" and lead.phone == "+213551234567"
    assert lead.time_zone == "Africa/Algiers" and lead.consent_text.strip()
    assert lead.screening["profile"] == {"residence": "abroad", "has_csq": True}
    assert lead.screening["on"] == TODAY
    assert receiver.requests == []  # nothing is sent while the person waits: the worker sends it
    with LeadStore(lead_settings) as store:
        assert deliver_due(store).delivered == 1
    [request] = receiver.requests
    assert request["body"]["reference"] == reference == request["headers"]["Idempotency-Key"]
    assert request["body"]["event"] == "booked"


def test_a_webhook_failure_keeps_the_lead_and_the_reference(lead_settings: str, receiver: Receiver) -> None:
    receiver.status = 503
    events, dispatcher = run(ActionSubmitBooking(), make_tracker(CONFIRMED), {})
    reference = slot_events(events)["lead_reference"]
    assert reference in dispatcher.messages[0]["text"] and receiver.requests == []
    with LeadStore(lead_settings) as store:
        assert store.get(reference) is not None
        assert deliver_due(store).retried == 1 and len(receiver.requests) == 1  # kept for a later attempt
