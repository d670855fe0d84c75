"""The booking form's actions with real Trackers: reading details, corrections, consent, cancel."""

from __future__ import annotations

from typing import Any

from actions.booking import ASK_DETAIL_ACTIONS, ValidateBookingForm
from actions.conversation import ActionStop
from tests.actions.conftest import make_tracker, run, slot_events

FORM = "booking_form"
DETAILS = {
    "lead_name": "Marie Tremblay",
    "lead_email": "marie@example.com",
    "lead_phone": "+33612345678",
    "lead_time": "mornings, Paris time",
    "lead_time_zone": "Europe/Paris",
    "lead_language": "en",
}


def validate(slots: dict[str, Any], text: str, intent: str = "inform", **kwargs: Any) -> tuple[dict, list]:
    tracker = make_tracker({"language": "en", **slots}, intent=intent, text=text, active_loop=FORM, **kwargs)
    events, dispatcher = run(ValidateBookingForm(), tracker, {})
    return slot_events(events), [m["text"] for m in dispatcher.messages]


def test_activation_introduces_the_booking_and_asks_the_name() -> None:
    tracker = make_tracker({"language": "en"}, intent="human_handoff", text="can I talk to someone?")
    events, dispatcher = run(ValidateBookingForm(), tracker, {})
    assert slot_events(events)["requested_slot"] == "lead_name"
    assert "licensed immigration consultant" in dispatcher.messages[0]["text"]


def test_a_sentence_gives_the_detail_asked() -> None:
    slots, _ = validate({"requested_slot": "lead_name"}, "my name is Marie Tremblay")
    assert slots["lead_name"] == "Marie Tremblay" and slots["requested_slot"] == "lead_email"
    slots, _ = validate({**DETAILS, "lead_phone": None, "requested_slot": "lead_phone"}, "+33 6 12 34 56 78")
    assert slots["lead_phone"] == "+33612345678"


def test_several_details_in_one_message() -> None:
    slots, _ = validate(
        {"requested_slot": "lead_name"}, "I'm Marie Tremblay, marie@example.com, +33 6 12 34 56 78"
    )
    assert slots["lead_name"] == "Marie Tremblay" and slots["lead_email"] == "marie@example.com"
    assert slots["lead_phone"] == "+33612345678" and slots["requested_slot"] == "lead_time"


def test_a_bad_email_is_explained_and_asked_again() -> None:
    slots, messages = validate(
        {"lead_name": "Marie Tremblay", "requested_slot": "lead_email"}, "marie@example"
    )
    assert "lead_email" not in slots and slots["requested_slot"] == "lead_email"
    assert "@ and a domain" in messages[0]


def test_the_optional_phone_is_left_out_after_two_tries_or_on_skip() -> None:
    base = {"lead_name": "Marie Tremblay", "lead_email": "marie@example.com", "requested_slot": "lead_phone"}
    slots, _ = validate({**base, "failed_attempts": 1}, "12")
    assert slots["lead_phone"] == "" and slots["requested_slot"] == "lead_time"
    slots, _ = validate(base, "skip")
    assert slots["lead_phone"] == ""


def test_a_correction_at_the_summary_updates_it_and_shows_it_again() -> None:
    slots, _ = validate(
        {**DETAILS, "lead_consent": True, "requested_slot": "lead_confirmed"},
        "my email is actually marie@example.org",
    )
    assert slots["lead_email"] == "marie@example.org"
    assert slots["lead_confirmed"] is None and slots["requested_slot"] == "lead_confirmed"


def test_no_consent_no_details_kept() -> None:
    slots, messages = validate({**DETAILS, "requested_slot": "lead_consent"}, "no", intent="deny")
    assert all(slots[name] is None for name in DETAILS) and slots["requested_slot"] is None
    assert "nothing was saved" in messages[0]


def test_a_question_during_the_booking_is_left_to_the_rules() -> None:
    slots, _ = validate(
        {"lead_name": "Marie Tremblay", "requested_slot": "lead_email"},
        "how much are the fees?",
        intent="ask_fees",
    )
    assert slots == {}


def test_the_summary_comes_before_the_confirmation_in_french() -> None:
    tracker = make_tracker(
        {"language": "fr", **DETAILS, "lead_consent": True, "verdict": "eligible"}, active_loop=FORM
    )
    _, dispatcher = run(ASK_DETAIL_ACTIONS["lead_confirmed"](), tracker, {})
    summary, question = (m["text"] for m in dispatcher.messages)
    assert "marie@example.com" in summary and "Europe/Paris" in summary and "semble admissible" in summary
    assert question.startswith("Est-ce que j'envoie")


def test_cancel_forgets_every_detail() -> None:
    tracker = make_tracker(
        {"language": "en", **DETAILS, "requested_slot": "lead_time"}, intent="stop", active_loop=FORM
    )
    events, dispatcher = run(ActionStop(), tracker, {})
    assert all(slot_events(events)[name] is None for name in DETAILS)
    assert "cancelled" in dispatcher.messages[0]["text"]
