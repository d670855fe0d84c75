"""The one ask action behind every form question (`action_ask_<slot>`, as domain.yml declares them).

Rasa runs `action_ask_<slot>` when a form requests that slot. Both forms (the screening and the booking)
get theirs from `ask_actions`: each form only says which messages ask for one of its slots, in the
person's language; naming, language and sending are the same for all.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from reading.conversation_state import language_of

# The keyword arguments of one dispatcher.utter_message call (text, buttons, ...).
Message = dict[str, Any]
# What asks for a slot: (slot, tracker, language) -> the messages to send, in order; a coroutine when it
# needs the database (the booking's free slots).
Question = Callable[[str, Tracker, str], "list[Message] | Awaitable[list[Message]]"]


class AskForSlot(Action, ABC):
    """Asks for one slot of a form with the messages its form's question gives. Abstract: rasa_sdk
    registers only the concrete subclasses `ask_actions` makes, one per slot."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    @abstractmethod
    def messages(self, tracker: Tracker, lang: str) -> list[Message] | Awaitable[list[Message]]:
        """The messages that ask for the slot."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        messages = self.messages(tracker, language_of(tracker))
        if inspect.isawaitable(messages):
            messages = await messages
        for message in messages:
            dispatcher.utter_message(**message)
        return []


def ask_actions(slots: Iterable[str], question: Question) -> dict[str, type[AskForSlot]]:
    """One ask action class per slot, each asking with `question`."""

    def make(slot: str) -> type[AskForSlot]:
        def messages(self: AskForSlot, tracker: Tracker,
                     lang: str) -> list[Message] | Awaitable[list[Message]]:
            return question(slot, tracker, lang)

        return type(f"AskFor_{slot}", (AskForSlot,), {"slot": slot, "messages": messages,
                                                      "__doc__": f"Asks for {slot}."})

    return {slot: make(slot) for slot in slots}
