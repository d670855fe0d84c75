"""The Rasa server runs the message readers itself, instead of calling the action server for them.

Rasa 3.6 fills a custom slot mapping by calling the action server (``ActionExtractSlots``), which for
``action_read_message`` meant one HTTP round trip per message, with the whole conversation serialised
on both sides, before any answer was chosen. The reader needs only the slots, the latest message and the
active form, so it runs here on exactly those (the state an action call carries, without the events),
and its events are kept or dropped by Rasa's own rule for custom mappings (slots and bot messages only).

A reader that fails is logged by its exception class and fills nothing, as a failing action server would.
launch/rasa_patches.py installs this in the Rasa server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa.core.actions.action import ActionExtractSlots
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from launch.rasa_replacements import original, replace
from reading.message_reader import ActionReadMessage

logger = logging.getLogger(__name__)

# The custom slot mappings the Rasa server answers itself, by action name.
READERS: dict[str, Callable[[], Action]] = {ActionReadMessage().name(): ActionReadMessage}


async def read_in_process(action_name: str, tracker: Any) -> list[Any]:
    """Runs the reader `action_name` on Rasa's `tracker`; returns Rasa events (slots and bot messages)."""
    from rasa.shared.core.events import BotUttered, SlotSet, deserialise_events
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)  # slots, latest message, active form; no events
    state["events"] = []
    try:
        events = await READERS[action_name]().run(CollectingDispatcher(), Tracker.from_dict(state), {})
    except Exception as error:  # noqa: BLE001 - as a failed action call: logged, nothing filled
        logger.error("Reading a message of conversation %s failed (%s): no slot filled.",
                     tracker.sender_id, type(error).__name__)
        return []
    return [event for event in deserialise_events(events) if isinstance(event, (SlotSet, BotUttered))]


async def run_custom_action(extract: Any, custom_action: str, output_channel: Any, nlg: Any, tracker: Any,
                            domain: Any) -> list[Any]:
    """Replaces ``ActionExtractSlots._run_custom_action``: a reader here, any other mapping remotely."""
    if custom_action in READERS:
        return await read_in_process(custom_action, tracker)
    remote = original(ActionExtractSlots, "_run_custom_action")
    return await remote(extract, custom_action, output_channel, nlg, tracker, domain)


def install() -> None:
    """Rasa's slot extraction runs the READERS here and calls the action server for any other custom
    mapping; idempotent. Written for the Rasa version launch/rasa_patches.py checks."""
    replace(ActionExtractSlots, "_run_custom_action", run_custom_action)
