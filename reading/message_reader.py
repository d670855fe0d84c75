"""`action_read_message`: after every user message, keep the conversation's language and record every
profile fact the message states.

domain.yml names it as the custom slot mapping of the language and profile slots; the Rasa server runs it
in its own process (reading.in_process), before the next action is predicted. It reads the slots, the
latest message and the active form only, never the event history.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from i18n.languages import requested_language, supported, turn_language
from reading.conversation_state import (
    in_booking,
    latest_intent,
    latest_text,
    requested_field,
    skipped_fields,
)
from reading.profile_updates import read_message

READ_MESSAGE = "action_read_message"


class ActionReadMessage(Action):
    """Keeps the conversation's language and records every profile fact in the latest message."""

    def name(self) -> str:
        return READ_MESSAGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        current = tracker.get_slot("language")
        message_text = latest_text(tracker)
        intent = latest_intent(tracker)
        requested = None
        if intent == "switch_language" and tracker.get_slot("requested_slot") != "lead_language":
            requested = _language_entity(tracker) or requested_language(message_text, current)
        lang = turn_language(message_text, current, requested=requested, channel=_channel_language(tracker))
        if lang and lang != current:
            events.append(SlotSet("language", lang))
        if in_booking(tracker):
            # Contact details are being given: "mornings, Paris time" or a name is no fact about the
            # person's situation, and nothing derived from them is kept in the screening.
            return events

        reading = read_message(
            intent, (tracker.latest_message or {}).get("entities") or [], requested_field(tracker)
        )
        for name, value in reading.updates.items():
            if tracker.get_slot(name) != value:
                events.append(SlotSet(name, value))
        if reading.place and reading.updates.get("residence"):
            events.append(SlotSet("place", reading.place))
        elif "residence" in reading.updates and tracker.get_slot("place"):
            events.append(SlotSet("place", None))

        skipped = skipped_fields(tracker)
        now_skipped = [name for name in skipped if name not in reading.updates]
        if reading.dont_know and reading.dont_know not in now_skipped:
            now_skipped.append(reading.dont_know)
        if now_skipped != skipped:
            events.append(SlotSet("skipped_fields", now_skipped))
        return events


def _language_entity(tracker: Tracker) -> str | None:
    """The language named by a button or widget switch: /switch_language{"language": "fr"}."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        lang = supported(entity.get("value")) if entity.get("entity") == "language" else None
        if lang:
            return lang
    return None


def _channel_language(tracker: Tracker) -> str | None:
    """A language the channel told us (e.g. the website widget's language switch), if any."""
    return supported(((tracker.latest_message or {}).get("metadata") or {}).get("language"))
