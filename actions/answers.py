"""Answers to questions about IMP+, with every fact and its source taken from the engine's data."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import today
from actions.program_facts import fill, source_lines
from eligibility import load_program
from i18n.catalog import entry
from reading.conversation_state import language_of, latest_intent, requested_field
from reading.profile_updates import read_message

# The question intents this action answers: one answer each in i18n/messages/<lang>.yml.
QUESTION_INTENTS = tuple(entry("en", "answers"))


def template_for(answer: Any, on: Any) -> str:
    """An answer's template on a date: a plain text, or the before/after text around a dated fact."""
    if isinstance(answer, str):
        return answer
    day = load_program().event_date(answer["switch"], on)
    return answer["after"] if day is not None and on >= day else answer["before"]


def answer_messages(intent: str, lang: str) -> list[str]:
    """The answer to a question intent, then its sources (every fact used, one line per page)."""
    on = today()
    body, sources = fill(template_for(entry(lang, f"answers.{intent}"), on), on, lang)
    return [body, "\n".join(source_lines(sources, lang, on))]


class ActionAnswerQuestion(Action):
    """Answers a question about the program, during a screening or outside it."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        requested = requested_field(tracker)
        message = tracker.latest_message or {}
        if requested and requested in read_message(intent, message.get("entities") or [], requested).updates:
            # It was an answer to the question asked, worded like a question: the form takes it.
            return []
        if intent not in QUESTION_INTENTS:
            return []
        for part in answer_messages(intent, language_of(tracker)):
            if part:
                dispatcher.utter_message(text=part)
        return []
