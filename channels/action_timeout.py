"""How long Rasa waits for the action server: a little longer than an action may take, never 5 minutes.

Rasa 3.6 waits up to 300 s for each action (a constant, not a setting), far past the conversation lock's
lifetime: a hung action server would let the lock expire and the next message overtake the one being
handled. The action server answers within ACTION_TIMEOUT_SECONDS (actions/fault_guard.py); Rasa gives up
a few seconds after that, still inside the lock's lifetime, and the channel apologises (guarded_turn).
"""

from __future__ import annotations

import rasa.core.actions.action as rasa_actions

from project_settings import action_timeout, number_setting

MARGIN_SECONDS = 5.0


def request_timeout() -> float:
    """Seconds Rasa waits for one action: the action's own bound plus a margin, inside the lock lifetime."""
    return min(action_timeout() + MARGIN_SECONDS, number_setting("TICKET_LOCK_LIFETIME") * 0.9)


def bound_action_request_timeout() -> None:
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = request_timeout()  # read by RemoteAction.run at each call
