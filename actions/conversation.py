"""Small talk, fallback, stopping, switching language and "why do you ask?"."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import cancel_booking
from actions.call_change import stop_call_change
from eligibility import question
from i18n.catalog import entry, text
from launch.metrics import FALLBACKS
from reading.conversation_state import (
    in_booking,
    in_call_change,
    in_screening,
    language_of,
    latest_intent,
    requested_field,
)

# Intent → message key for the replies that need no logic.
REPLIES = {
    "greet": "greet",
    "thanks": "thanks",
    "goodbye": "goodbye",
    "bot_challenge": "bot_challenge",
    "out_of_scope": "out_of_scope",
    "affirm": "affirm_outside",
    "deny": "deny_outside",
    "dont_know": "deny_outside",
    "ask_advice": "advice",
}
WITH_MENU = frozenset({"greet", "out_of_scope", "affirm", "deny", "dont_know"})
# A request for advice gets no opinion: who can advise, and the call with one of them.
WITH_CALL = frozenset({"ask_advice"})


class ActionRespond(Action):
    """Replies to small talk in the person's language."""

    def name(self) -> str:
        return "action_respond"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        intent = latest_intent(tracker) or ""
        key = REPLIES.get(intent, "fallback")
        busy = in_screening(tracker) or in_booking(tracker)
        buttons = entry(lang, "menu_buttons") if intent in WITH_MENU and not busy else []
        if intent in WITH_CALL and not in_booking(tracker):
            buttons = [{"title": text(lang, "booking.offer_button"), "payload": "/human_handoff"}]
        dispatcher.utter_message(text=text(lang, key), buttons=buttons)
        if key == "fallback":  # an intent with no reply of its own is a message not understood too
            FALLBACKS.labels("intent_without_reply").inc()
        return []


class ActionFallback(Action):
    """Says it didn't understand and what it can do, instead of guessing."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        dispatcher.utter_message(text=text(lang, "fallback"), buttons=entry(lang, "menu_buttons"))
        FALLBACKS.labels("nlu" if latest_intent(tracker) == "nlu_fallback" else "core").inc()
        # As Rasa's core fallback no rule follows it with action_listen: without this, the policy predicts
        # the fallback again until Rasa's circuit breaker stops it (ten "Sorry" messages in one turn).
        return [FollowupAction("action_listen")]


class ActionStop(Action):
    """Stops the check (its answers are kept) or cancels a booking (its details are forgotten)."""

    def name(self) -> str:
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        if in_booking(tracker):
            return await cancel_booking(dispatcher, tracker)
        if in_call_change(tracker):
            return [ActiveLoop(None), *await stop_call_change(dispatcher, tracker)]
        if not in_screening(tracker):
            dispatcher.utter_message(text=text(lang, "nothing_to_stop"), buttons=entry(lang, "menu_buttons"))
            return []
        dispatcher.utter_message(text=text(lang, "stopped"))
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("failed_attempts", 0)]


class ActionSwitchLanguage(Action):
    """Confirms the switch; the language slot itself was already set when the message was read."""

    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=text(language_of(tracker), "switched"))
        return []


class ActionExplainQuestion(Action):
    """Answers "why do you ask?" with the rule behind the question."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        requested = requested_field(tracker)
        if in_booking(tracker):
            reply = text(lang, "booking.why")
        elif requested:
            reply = question(requested, lang).why
        else:
            reply = text(lang, "why_none")
        dispatcher.utter_message(text=reply)
        return []


__all__ = [
    "ActionRespond",
    "ActionFallback",
    "ActionStop",
    "ActionSwitchLanguage",
    "ActionExplainQuestion",
    "latest_intent",
]
