"""Reading the conversation's state from a Rasa tracker: language, profile, what was asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from eligibility import PROFILE_FIELDS, Profile
from i18n.languages import conversation_language

SCREENING_FORM = "screening_form"
BOOKING_FORM = "booking_form"
CALL_CHANGE_FORM = "call_change_form"


def language_of(tracker: Tracker) -> str:
    """The language to answer in: action_read_message has stored this turn's in the `language` slot."""
    return conversation_language(tracker.get_slot("language"))


def language_of_call(tracker: dict[str, Any]) -> str:
    """The same from the tracker JSON of an action call, for code around the actions (the fault guard, the
    not-advice notice): when the turn's language was never stored, the latest message and its channel tell."""
    latest = tracker.get("latest_message") or {}
    return conversation_language(
        (tracker.get("slots") or {}).get("language"),
        str(latest.get("text") or ""),
        channel=(latest.get("metadata") or {}).get("language"),
    )


# A bare yes / no / "I don't know" sets or skips an answer by itself, so a weak guess of one of them is
# treated as not understood: the question is asked again rather than answered wrongly.
SELF_SUFFICIENT_ANSWERS = frozenset({"affirm", "deny", "dont_know"})
MIN_ANSWER_CONFIDENCE = 0.5


def latest_intent(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    if name in SELF_SUFFICIENT_ANSWERS and float(intent.get("confidence") or 0) < MIN_ANSWER_CONFIDENCE:
        return "nlu_fallback"
    return name


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def in_screening(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == SCREENING_FORM


def in_booking(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == BOOKING_FORM


def in_call_change(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == CALL_CHANGE_FORM


def requested_field(tracker: Tracker) -> str | None:
    """The profile field the assistant is waiting for, if a screening is under way."""
    requested = tracker.get_slot("requested_slot")
    return requested if in_screening(tracker) and requested in PROFILE_FIELDS else None


def profile_of(tracker: Tracker) -> Profile:
    values: dict[str, Any] = {name: tracker.get_slot(name) for name in PROFILE_FIELDS}
    return Profile(**{name: value for name, value in values.items() if value is not None})


def skipped_fields(tracker: Tracker) -> list[str]:
    return [name for name in tracker.get_slot("skipped_fields") or [] if name in PROFILE_FIELDS]
