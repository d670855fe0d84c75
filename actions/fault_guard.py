"""Every action bounded in time and kept from failing silently.

rasa-sdk answers an exception inside an action with HTTP 500, and Rasa then says nothing and carries on:
the person is left waiting. Here each action runs under ACTION_TIMEOUT_SECONDS (shorter than the
conversation lock's lifetime, TICKET_LOCK_LIFETIME, so a slow action never outlives the lock that keeps
the conversation's messages in order); an exception or a timeout is logged with its traceback and the
person gets a short apology in their language instead. The action's events are dropped, so the
conversation stays as it was before the failing turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from i18n.catalog import text
from project_settings import action_timeout
from reading.conversation_state import language_of_call

logger = logging.getLogger(__name__)

ExecutorRun = Callable[[ActionExecutor, dict[str, Any]], Awaitable[dict[str, Any] | None]]


def apology(action_call: dict[str, Any]) -> dict[str, Any]:
    """The action server's answer for a failed action: no events, one apology in the person's language."""
    dispatcher = CollectingDispatcher()
    lang = language_of_call(action_call.get("tracker") or {})
    dispatcher.utter_message(text=text(lang, "guard.unavailable"))
    return {"events": [], "responses": dispatcher.messages}


def guarded(unguarded: ExecutorRun) -> ExecutorRun:
    """rasa-sdk's ``ActionExecutor.run`` with the time bound and the apology (launch/rasa_patches.py)."""

    async def guarded_run(self: ActionExecutor, action_call: dict[str, Any]) -> dict[str, Any] | None:
        name = action_call.get("next_action")
        timeout = action_timeout()
        try:
            return await asyncio.wait_for(unguarded(self, action_call), timeout=timeout)
        except (ActionExecutionRejection, ActionNotFoundException):
            raise  # Rasa's own protocol: a form rejecting a turn, an unknown action
        except asyncio.TimeoutError:
            logger.error("Action %s took longer than %.0f s: answered with an apology.", name, timeout)
        except Exception:
            logger.exception("Action %s failed: answered with an apology.", name)
        return apology(action_call)

    return guarded_run
