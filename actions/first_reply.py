"""The first reply of every conversation says that the assistant gives general information and a
pre-screening, not immigration advice (FACTS.md, "What the assistant must not do").

Whichever action answers first (a greeting, a program answer, the first screening question, "book a
call"...), its messages are preceded by that one sentence in the person's language. "First" means: no bot
message since the conversation session started, so a session that starts again after a long silence says
it again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.fault_guard import ExecutorRun
from i18n.catalog import text
from reading.conversation_state import language_of_call


def bot_spoke_this_session(events: list[dict[str, Any]]) -> bool:
    for event in reversed(events):
        if event.get("event") == "bot":
            return True
        if event.get("event") == "session_started":
            return False
    return False


def with_not_advice(action_call: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The action's result, its messages preceded by the not-advice sentence if it is the first reply."""
    if not result or not result.get("responses"):
        return result
    tracker = action_call.get("tracker") or {}
    if bot_spoke_this_session(tracker.get("events") or []):
        return result
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text=text(language_of_call(tracker), "not_advice"))
    return {**result, "responses": [*dispatcher.messages, *result["responses"]]}


def with_not_advice_notice(inner: ExecutorRun) -> ExecutorRun:
    """rasa-sdk's ``ActionExecutor.run`` with the notice on a first reply; launch/rasa_patches.py installs
    it outside the fault guard, so an apology counts too."""

    async def run(self: ActionExecutor, action_call: dict[str, Any]) -> dict[str, Any] | None:
        return with_not_advice(action_call, await inner(self, action_call))

    return run
