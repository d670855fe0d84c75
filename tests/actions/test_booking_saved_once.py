"""The booking's confirmation saves one lead, however often the action runs for it (a retry after a
timeout, or an attempt that completed late): the same reference, the same slot, notifications queued once."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import lead_details
from actions.booking import ActionSubmitBooking
from leads.lead_tables import OutboxRow
from leads.store import LeadStore
from tests.actions.conftest import make_tracker, run, slot_events
from tests.actions.test_slot_actions import BEFORE_TIME, offer, payload_value, pick


def confirmed(details: dict[str, Any], message_id: str) -> Tracker:
    """The tracker Rasa sends after the person's "yes", that message carrying its Rasa id."""
    return make_tracker({"language": "en", **details}, text="yes", intent="affirm",
                        events=[{"event": "user", "text": "yes", "message_id": message_id, "timestamp": 1.5}])


def test_the_action_run_twice_for_one_confirmation_saves_one_lead(leads_database: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LEADS_NOTIFY_EMAIL", "desk@example.org")
    start = payload_value(offer()["buttons"][0])
    picked, _ = pick(start)
    details = {**BEFORE_TIME, **picked, "lead_language": "en", "lead_confirmed": True}
    answers = []
    for _ in range(2):
        events, dispatcher = run(ActionSubmitBooking(), confirmed(details, "m-1"), {})
        answers.append((slot_events(events)["lead_reference"], dispatcher.messages[0]["text"]))
    assert answers[0] == answers[1] and picked["lead_time"] in answers[0][1]  # the slot is still said booked
    with LeadStore(leads_database) as store:
        [lead] = store.recent()
        assert lead.reference == answers[0][0] and lead.slot_starts_at is not None
        with store.session() as session:
            kinds = sorted(row.kind for row in session.query(OutboxRow))
    assert kinds == ["consultancy_email", "person_email"]
    events, _ = run(ActionSubmitBooking(), confirmed(details, "m-2"), {})
    assert slot_events(events)["lead_reference"] != answers[0][0]  # a new confirmation is a new booking


def test_the_confirmation_is_the_latest_message_by_id_else_timestamp() -> None:
    with_id = confirmed({}, "m-9")
    assert lead_details.confirmation_id(with_id) == "m-9"
    no_id = make_tracker(events=[{"event": "user", "text": "yes", "timestamp": 1764460800.25},
                                 {"event": "bot", "text": "Saved"}])
    assert lead_details.confirmation_id(no_id) == "1764460800.25"
    assert lead_details.confirmation_id(make_tracker()) is None  # nothing to go by: saved without the key
