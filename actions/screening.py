"""The eligibility check as a Rasa form whose questions come from the engine.

Each user turn, the Rasa server has already read the message (`reading.message_reader`): the language is
kept and every fact the message states is in the slots. The form's validation asks the engine for the
next question that can still change the verdict, or ends the form as soon as the verdict is known.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.ask_action import Message, ask_actions
from actions.clock import today
from eligibility import PROFILE_FIELDS, assess, question
from i18n.catalog import text
from reading.conversation_state import (
    in_screening,
    latest_intent,
    profile_of,
    requested_field,
    skipped_fields,
)
from reading.message_reader import ActionReadMessage

# Answers that should have filled the question asked; anything else (a question, small talk) is an
# interruption after which the form simply asks again.
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "nlu_fallback"})
# Asking for the check while in it ("am I eligible?" again) simply carries it on, without counting a failure.
CONTINUE_INTENTS = frozenset({"check_eligibility"})
# After this many unusable answers the question is shown with its choices; one more and it is skipped.
CHOICES_AFTER = 2
SKIP_AFTER = 3


class ValidateScreeningForm(Action):
    """Decides the next question with the engine; counts answers it couldn't use.

    A message that is neither an answer nor a fact (a question, small talk, "why do you ask?") gets no
    events back: Rasa then rejects the form for this turn and the interruption rules answer it, after
    which the form resumes here and asks again.
    """

    def name(self) -> str:
        return "validate_screening_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        activating = not in_screening(tracker)
        resuming = resuming_after_interruption(tracker)
        intent = latest_intent(tracker)
        answered = intent in ANSWER_INTENTS | {"dont_know"} or _facts_this_turn(tracker)
        if not (activating or resuming or answered or intent in CONTINUE_INTENTS):
            return []
        skipped = skipped_fields(tracker)
        requested = requested_field(tracker)
        failures = int(tracker.get_slot("failed_attempts") or 0)
        unanswered = bool(requested) and tracker.get_slot(requested) is None and requested not in skipped
        failures = failures + 1 if unanswered and not resuming and intent in ANSWER_INTENTS else 0
        events: list[EventType] = []
        if failures >= SKIP_AFTER and requested:
            skipped = [*skipped, requested]
            events.append(SlotSet("skipped_fields", skipped))
            failures = 0
        assessment = assess(profile_of(tracker), on=today(), skip=skipped)
        events += [
            SlotSet("failed_attempts", failures),
            SlotSet("verdict", assessment.verdict),
            SlotSet("requested_slot", assessment.next_question),
        ]
        return events


def _events_since_user_message(tracker: Tracker) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        events.append(event)
    return events


def resuming_after_interruption(tracker: Tracker) -> bool:
    """True when the form was rejected this turn, or another action answered before it came back."""
    own = {"action_listen", "action_extract_slots", None}

    def forms_own(name: str | None) -> bool:  # a form and its validation (screening, booking, call change)
        return name in own or str(name).endswith("_form")

    return any(
        event.get("event") == "action_execution_rejected"
        or (event.get("event") == "action" and not forms_own(event.get("name")))
        for event in _events_since_user_message(tracker)
    )


def _facts_this_turn(tracker: Tracker) -> bool:
    return any(
        event.get("event") == "slot" and event.get("name") in PROFILE_FIELDS
        for event in _events_since_user_message(tracker)
    )


def field_question(field_name: str, tracker: Tracker, lang: str) -> list[Message]:
    """Asks for one profile field with its answer buttons.

    A first unusable answer gets a short "sorry"; the second one explains what is needed and shows
    every choice, so the person is never stuck in a loop.
    """
    failures = int(tracker.get_slot("failed_attempts") or 0)
    parts: list[str] = []
    if latest_intent(tracker) == "check_eligibility" and not _anything_known(tracker):
        parts.append(text(lang, "start_check"))
    if failures >= CHOICES_AFTER:
        parts += [text(lang, "choices_prefix"), question(field_name, lang).help]
    elif failures == 1:
        parts.append(text(lang, "retry_prefix"))
    parts.append(question(field_name, lang).ask)
    return [{"text": " ".join(parts), "buttons": answer_buttons(lang, field_name, failures >= CHOICES_AFTER)}]


def answer_buttons(lang: str, field_name: str, all_choices: bool) -> list[dict[str, Any]]:
    """Quick replies for a question; a free-text question (residence) shows them only when asked twice."""
    if field_name == "residence" and not all_choices:
        return []
    choices = [{"title": b.title, "payload": b.payload} for b in question(field_name, lang).buttons]
    return [*choices, {"title": text(lang, "dont_know_button"), "payload": "/dont_know"}]


def _anything_known(tracker: Tracker) -> bool:
    return any(tracker.get_slot(name) is not None for name in PROFILE_FIELDS) or bool(skipped_fields(tracker))


ASK_ACTIONS = ask_actions(PROFILE_FIELDS, field_question)


# ActionReadMessage is also served here: the Rasa server runs it itself (reading.in_process), but a plain
# `rasa run` or `rasa shell` without this project's patches calls it on the action server.
__all__ = ["ActionReadMessage", "ValidateScreeningForm", "ASK_ACTIONS", "field_question", "in_screening"]
