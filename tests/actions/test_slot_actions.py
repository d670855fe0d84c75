"""The booking's time as real slots, and a booked call cancelled or moved from the chat: real Trackers, the
real actions and a real SQLite leads database per test (tests/actions/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from actions.booking import ASK_DETAIL_ACTIONS, ActionSubmitBooking, ValidateBookingForm
from actions.call_change import ActionChangeCall, ValidateCallChangeForm
from actions.slot_offer import availability, now
from leads.appointments import free_slots
from leads.lead_tables import OutboxRow
from leads.store import LeadStore
from tests.actions.conftest import make_tracker, run, slot_events

FORM = "booking_form"
BEFORE_TIME = {"lead_consent": True, "lead_name": "Marie Tremblay", "lead_email": "marie@example.com",
               "lead_phone": "", "requested_slot": "lead_time"}
PARIS = [{"entity": "place", "value": "Paris, France"}]


def slot_button(value: str) -> dict[str, Any]:
    """The entity a slot button's payload (/inform{"lead_slot": ...}) gives."""
    return {"entity": "lead_slot", "value": value}


def offer(slots: dict[str, Any] | None = None, lang: str = "en", sender: str = "test") -> dict[str, Any]:
    tracker = make_tracker({"language": lang, "place": "Paris, France", **BEFORE_TIME, **(slots or {})},
                           active_loop=FORM)
    tracker.sender_id = sender
    _, dispatcher = run(ASK_DETAIL_ACTIONS["lead_time"](), tracker, {})
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]


def utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def payload_value(button: dict[str, str]) -> str:
    return json.loads(button["payload"].removeprefix("/inform"))["lead_slot"]


def pick(value: str, sender: str = "test", slots: dict[str, Any] | None = None) -> tuple[dict, list[str]]:
    tracker = make_tracker({"language": "en", "place": "Paris, France", **BEFORE_TIME, **(slots or {})},
                           text=f'/inform{{"lead_slot":"{value}"}}', entities=[slot_button(value)],
                           active_loop=FORM)
    tracker.sender_id = sender
    events, dispatcher = run(ValidateBookingForm(), tracker, {})
    return slot_events(events), [m["text"] for m in dispatcher.messages]


def test_the_time_question_offers_the_next_free_slots_in_both_time_zones(leads_database: str) -> None:
    message = offer()
    buttons = message["buttons"]
    rules = availability()
    expected = free_slots(LeadStore(leads_database), rules, now(), rules.slots_offered)
    assert [payload_value(b) for b in buttons[:-2]] == [
        slot.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") for slot in expected]
    assert [b["title"] for b in buttons[-2:]] == ["Other times", "None of these"]
    first = buttons[0]["title"]
    assert "your time" in first and "Montreal" in first, first


def test_french_buttons_are_in_french() -> None:
    buttons = offer(lang="fr")["buttons"]
    assert [b["title"] for b in buttons[-2:]] == ["Autres moments", "Aucun de ces moments"]
    assert "Montréal" in buttons[0]["title"]


def test_picking_a_slot_holds_it_and_the_next_person_loses_it_politely() -> None:
    first = payload_value(offer()["buttons"][0])
    slots, said = pick(first)
    assert slots["lead_slot"] == first and slots["requested_slot"] == "lead_language"
    assert "your time" in slots["lead_time"] and slots["lead_time_zone"] == "Europe/Paris" and said == []
    other, said = pick(first, sender="someone-else")
    assert "lead_slot" not in other and other["requested_slot"] == "lead_time"
    assert said == ["Sorry, someone has just booked that time. Here are the next free ones."]
    assert first not in [payload_value(b) for b in offer(sender="someone-else")["buttons"][:-2]]
    assert first in [payload_value(b) for b in offer()["buttons"][:-2]]  # still offered to its holder


def test_other_times_shows_the_page_after_the_last_slot_shown() -> None:
    page = [payload_value(b) for b in offer()["buttons"][:-2]]
    slots, said = pick("more")
    assert slots["lead_slot_after"] == page[-1] and said == []
    following = [payload_value(b) for b in offer({"lead_slot_after": page[-1]})["buttons"][:-2]]
    assert following and min(following) > max(page)


def test_none_of_these_asks_for_a_time_in_words() -> None:
    slots, _ = pick("none")
    assert slots["lead_time_free"] is True
    message = offer({"lead_time_free": True})
    assert message["text"].startswith("When would you prefer to be called") and not message.get("buttons")


def test_a_confirmed_booking_keeps_its_slot_and_queues_its_notifications(
    leads_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LEADS_NOTIFY_EMAIL", "desk@example.org")
    start = payload_value(offer()["buttons"][0])
    picked, _ = pick(start)
    details = {**BEFORE_TIME, **picked, "lead_language": "fr", "lead_confirmed": True}
    events, dispatcher = run(ActionSubmitBooking(), make_tracker({"language": "en", **details}), {})
    reference = slot_events(events)["lead_reference"]
    said = dispatcher.messages[0]["text"]
    assert reference in said and picked["lead_time"] in said and "marie@example.com" in said
    with LeadStore(leads_database) as store:
        lead = store.get(reference)
        assert lead is not None and lead.slot_starts_at == utc(start)
        with store.session() as session:
            kinds = sorted(row.kind for row in session.query(OutboxRow).filter_by(lead_reference=reference))
    assert kinds == ["consultancy_email", "person_email"]


def book(leads_database: str) -> tuple[str, str]:
    start = payload_value(offer()["buttons"][0])
    picked, _ = pick(start)
    details = {**BEFORE_TIME, **picked, "lead_language": "en", "lead_confirmed": True}
    events, _ = run(ActionSubmitBooking(), make_tracker({"language": "en", **details}), {})
    return slot_events(events)["lead_reference"], start


def change(slots: dict[str, Any], text: str, intent: str = "inform", **kwargs: Any) -> tuple[dict, list[str]]:
    tracker = make_tracker({"language": "en", **slots}, intent=intent, text=text,
                           active_loop="call_change_form", **kwargs)
    tracker.sender_id = "changer"
    events, dispatcher = run(ValidateCallChangeForm(), tracker, {})
    return slot_events(events), [m["text"] for m in dispatcher.messages]


def test_cancel_my_call_needs_the_booking_email_then_frees_the_slot(leads_database: str) -> None:
    reference, start = book(leads_database)
    slots, said = change({}, f"cancel my call {reference.lower()}", intent="cancel_call")
    assert slots["call_reference"] == reference and slots["requested_slot"] == "call_email"
    wrong, said = change({**slots}, "someone@example.com")
    assert said == ["That reference and email don't match a booking I can find. Please check them and try "
                    "again."]
    assert wrong["call_reference"] is None
    slots, said = change({**slots, "requested_slot": "call_reference"},
                         f"{reference} MARIE@example.com")
    assert slots["call_verified"] is True and slots["requested_slot"] == "call_new_slot"
    assert said[0].startswith("Your call is booked for")
    slots, said = change({**slots, "call_reference": reference, "call_request": "cancel"}, "yes",
                         intent="affirm")
    assert slots["call_new_slot"] == "cancel" and slots["requested_slot"] is None
    done = {**slots, "call_reference": reference, "call_request": "cancel", "call_verified": True}
    events, dispatcher = run(ActionChangeCall(), make_tracker({"language": "en", **done}), {})
    assert "cancelled" in dispatcher.messages[0]["text"]
    rules = availability()
    free = free_slots(LeadStore(leads_database), rules, now(), rules.slots_offered)
    assert start in [slot.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") for slot in free]
    with LeadStore(leads_database) as store:
        assert store.get(reference).slot_starts_at is None


def test_two_wrong_pairs_change_nothing(leads_database: str) -> None:
    reference, _ = book(leads_database)
    slots, _ = change({}, f"change my call {reference}", intent="change_call")
    slots, _ = change(slots, "nope@example.com")
    slots, said = change({**slots, "call_reference": reference, "failed_attempts": 1}, "nope@example.com")
    assert slots["call_verified"] is False and slots["requested_slot"] is None
    assert "nothing was changed" in said[0]
    events, dispatcher = run(ActionChangeCall(), make_tracker({"language": "en", **slots}), {})
    assert dispatcher.messages == []
    with LeadStore(leads_database) as store:
        assert store.get(reference).slot_starts_at is not None


def test_change_my_call_moves_it_to_a_new_slot(leads_database: str) -> None:
    reference, start = book(leads_database)
    slots, said = change({}, f"change my call {reference}, my email is marie@example.com",
                         intent="change_call")
    assert slots["call_verified"] is True and slots["requested_slot"] == "call_new_slot"
    assert said[0].startswith("Your call is booked for")
    ask = make_tracker({"language": "en", **slots}, active_loop="call_change_form")
    ask.sender_id = "changer"
    _, dispatcher = run(ASK_CALL_NEW_SLOT(), ask, {})
    new = payload_value(dispatcher.messages[0]["buttons"][0])
    assert new != start
    slots, _ = change({**slots, "requested_slot": "call_new_slot"}, "", entities=[slot_button(new)])
    assert slots["call_new_slot"] == new
    final = {**slots, "call_reference": reference, "call_request": "change", "call_verified": True}
    tracker = make_tracker({"language": "en", **final})
    tracker.sender_id = "changer"
    events, dispatcher = run(ActionChangeCall(), tracker, {})
    assert dispatcher.messages[0]["text"].startswith("Done: your call is now")
    with LeadStore(leads_database) as store:
        moved = store.get(reference)
        assert moved.slot_starts_at == utc(new)


def test_a_cancel_asks_for_a_yes_and_can_turn_into_a_change(leads_database: str) -> None:
    reference, start = book(leads_database)
    slots, _ = change({}, f"cancel my call {reference} marie@example.com", intent="cancel_call")
    ask = make_tracker({"language": "en", **slots, "call_request": "cancel"}, active_loop="call_change_form")
    _, dispatcher = run(ASK_CALL_NEW_SLOT(), ask, {})
    assert dispatcher.messages[0]["text"] == "Shall I cancel it?"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny", "/change_call"]
    switched, _ = change({**slots, "call_request": "cancel", "requested_slot": "call_new_slot"},
                         "/change_call", intent="change_call")
    assert switched["call_request"] == "change" and switched["requested_slot"] == "call_new_slot"
    kept, _ = change({**slots, "call_request": "cancel", "requested_slot": "call_new_slot"}, "no",
                     intent="deny")
    final = {**slots, **kept, "call_reference": reference, "call_request": "cancel", "call_verified": True}
    _, dispatcher = run(ActionChangeCall(), make_tracker({"language": "en", **final}), {})
    assert dispatcher.messages[0]["text"].startswith("All right, your call stays as it is")
    with LeadStore(leads_database) as store:
        assert store.get(reference).slot_starts_at == utc(start)


def ASK_CALL_NEW_SLOT() -> Any:  # noqa: N802 - the ask action's class, as Rasa would name the action
    from actions.call_change import ASK_CALL_ACTIONS

    return ASK_CALL_ACTIONS["call_new_slot"]()
