"""The booking form's actions with real Trackers: consent first, reading details, corrections, cancel."""

from __future__ import annotations

from typing import Any

import pytest

from actions.booking import ASK_DETAIL_ACTIONS, ValidateBookingForm
from actions.conversation import ActionStop
from tests.actions.conftest import make_tracker, run, slot_events

FORM = "booking_form"
CONSENTED = {"lead_consent": True}
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


def test_activation_asks_for_consent_before_any_detail_and_tells_the_widget() -> None:
    tracker = make_tracker({"language": "en"}, intent="human_handoff", text="can I talk to someone?")
    events, dispatcher = run(ValidateBookingForm(), tracker, {})
    assert slot_events(events)["requested_slot"] == "lead_consent"
    assert dispatcher.messages[0]["custom"] == {"data": {"booking": "started"}}


def test_a_detail_written_before_consent_is_not_taken() -> None:
    slots, _ = validate({"requested_slot": "lead_consent"}, "sure, marie@example.com", intent="affirm")
    assert slots["lead_consent"] is True and "lead_email" not in slots
    assert slots["requested_slot"] == "lead_name"


def test_the_consent_question_says_who_why_whom_where_how_long_and_the_rights(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSULTANCY_NAME", "Cabinet Lévesque Immigration")
    monkeypatch.setenv("PRIVACY_CONTACT_EMAIL", "vie.privee@levesque.example")
    monkeypatch.setenv("LEADS_STORAGE_LOCATION", "Montréal")
    monkeypatch.setenv("LEADS_RETENTION_DAYS", "200")
    for lang, parts in (
        ("en", ["arrange a call", "see them, correct them, withdraw your consent or have them erased",
                "up to 200 days", "not immigration advice",
                "licensed immigration consultant (RCIC) or lawyer"]),
        ("fr", ["organiser un appel", "les consulter, à les corriger, à retirer votre consentement",
                "au plus 200 jours", "pas un conseil en immigration", "(CRIC) ou avocat"]),
    ):
        tracker = make_tracker({"language": lang, "requested_slot": "lead_consent"}, active_loop=FORM)
        _, dispatcher = run(ASK_DETAIL_ACTIONS["lead_consent"](), tracker, {})
        question = dispatcher.messages[0]["text"]
        for part in [*parts, "Cabinet Lévesque Immigration", "vie.privee@levesque.example", "Montréal"]:
            assert part in question, (lang, part, question)
        assert "levesque.example" in question and "hooks.example" not in question
    monkeypatch.setenv("LEADS_WEBHOOK_URL", "https://hooks.example/leads")
    tracker = make_tracker({"language": "en", "requested_slot": "lead_consent"}, active_loop=FORM)
    _, dispatcher = run(ASK_DETAIL_ACTIONS["lead_consent"](), tracker, {})
    assert "hooks.example" in dispatcher.messages[0]["text"], "every recipient is named"
    monkeypatch.setenv("LEADS_WEBHOOK_RECIPIENT", "Acme CRM")
    _, dispatcher = run(ASK_DETAIL_ACTIONS["lead_consent"](), tracker, {})
    assert "Acme CRM" in dispatcher.messages[0]["text"]


def test_a_sentence_gives_the_detail_asked() -> None:
    slots, _ = validate({**CONSENTED, "requested_slot": "lead_name"}, "my name is Marie Tremblay")
    assert slots["lead_name"] == "Marie Tremblay" and slots["requested_slot"] == "lead_email"
    slots, _ = validate({**DETAILS, "lead_phone": None, "requested_slot": "lead_phone"}, "+33 6 12 34 56 78")
    assert slots["lead_phone"] == "+33612345678"


def test_several_details_in_one_message() -> None:
    slots, _ = validate(
        {**CONSENTED, "requested_slot": "lead_name"},
        "I'm Marie Tremblay, marie@example.com, +33 6 12 34 56 78",
    )
    assert slots["lead_name"] == "Marie Tremblay" and slots["lead_email"] == "marie@example.com"
    assert slots["lead_phone"] == "+33612345678" and slots["requested_slot"] == "lead_time"


def test_a_bad_email_is_explained_and_asked_again() -> None:
    slots, messages = validate(
        {**CONSENTED, "lead_name": "Marie Tremblay", "requested_slot": "lead_email"}, "marie@example"
    )
    assert "lead_email" not in slots and slots["requested_slot"] == "lead_email"
    assert "@ and a domain" in messages[0]


def test_the_optional_phone_is_left_out_after_two_tries_or_on_skip() -> None:
    base = {**CONSENTED, "lead_name": "Marie Tremblay", "lead_email": "marie@example.com",
            "requested_slot": "lead_phone"}
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


def test_no_consent_ends_the_booking_and_says_what_is_kept() -> None:
    tracker = make_tracker({"language": "en", "requested_slot": "lead_consent"}, intent="deny", text="no",
                           active_loop=FORM)
    events, dispatcher = run(ValidateBookingForm(), tracker, {})
    slots = slot_events(events)
    assert slots["lead_consent"] is None and slots["requested_slot"] is None
    refusal = dispatcher.messages[0]["text"]
    assert "nothing was sent" in refusal and "What is kept: this conversation" in refusal
    assert dispatcher.messages[-1]["custom"] == {"data": {"booking": "ended"}}


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
    assert dispatcher.messages[-1]["custom"] == {"data": {"booking": "ended"}}


def test_what_is_typed_during_a_booking_changes_nothing_in_the_screening() -> None:
    """ "mornings, Paris time" answers the booking; it says nothing about where the person lives."""
    from reading.message_reader import ActionReadMessage

    tracker = make_tracker(
        {"language": "en", "residence": "other_province", "requested_slot": "lead_time"},
        intent="inform", text="mornings, Paris time", active_loop=FORM,
        entities=[{"entity": "residence", "value": "abroad"}, {"entity": "place", "value": "Paris, France"}],
    )
    events, _ = run(ActionReadMessage(), tracker, {})
    assert slot_events(events) == {}


def test_a_preferred_time_is_taken_whatever_intent_it_was_given() -> None:
    base = {**CONSENTED, "lead_name": "Marie Tremblay", "lead_email": "marie@example.com", "lead_phone": "",
            "requested_slot": "lead_time"}
    for intent in ("ask_still_open", "inform", "greet"):
        slots, _ = validate(base, "weekday mornings, Paris time", intent=intent)
        assert slots["lead_time"] == "weekday mornings, Paris time"
        assert slots["requested_slot"] == "lead_language"
    slots, _ = validate(base, "how much are the fees?", intent="ask_fees")
    assert slots == {}, "a question is answered, then the time asked again"


def _said_where_they_live(value: str, details: dict[str, Any]) -> list[dict[str, Any]]:
    """The user event of the message where the extractor found the place, with the index's details."""
    entity = {"entity": "place", "value": value, "extractor": "ProfileFactExtractor", "place": details}
    return [{"event": "user", "text": "j'habite à Oran", "parse_data": {"entities": [entity]}}]


def test_the_phone_and_time_are_read_where_the_extractor_placed_the_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Country and zone come from the place entity's details: the place's name is not even looked up."""
    import actions.lead_details

    def no_lookup(*_: Any, **__: Any) -> None:
        raise AssertionError("the place was looked up again instead of read from its entity")

    monkeypatch.setattr(actions.lead_details, "place_named", no_lookup)
    details = {"name": "Oran, Algeria", "kind": "city", "country": "DZ", "region": "09",
               "timezone": "Africa/Algiers"}
    home = {"place": "Oran, Algeria", "residence": "abroad"}
    events = _said_where_they_live("Oran, Algeria", details)
    slots, _ = validate({**CONSENTED, **home, "requested_slot": "lead_phone"}, "0551 23 45 67", events=events)
    assert slots["lead_phone"] == "+213551234567"
    base = {**CONSENTED, **home, "lead_name": "Awa Diop", "lead_email": "awa@example.com", "lead_phone": "",
            "requested_slot": "lead_time"}
    slots, _ = validate(base, "le matin", events=events)
    assert (slots["lead_time"], slots["lead_time_zone"]) == ("le matin", "Africa/Algiers")


def test_a_place_without_details_is_looked_up_by_its_display_name() -> None:
    """A place set by a button's payload carries no details: the index is read by its display name."""
    home = {"place": "Paris, France", "residence": "abroad"}
    slots, _ = validate({**CONSENTED, **home, "requested_slot": "lead_phone"}, "06 12 34 56 78")
    assert slots["lead_phone"] == "+33612345678"
