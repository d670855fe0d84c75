"""How long Rasa waits for the action server: a little longer than an action may take, never 5 minutes.

Rasa 3.6 waits up to 300 s for each action (a constant, not a setting), far past the conversation lock's
lifetime: a hung action server would let the lock expire and the next message overtake the one being
handled. The action server answers within ACTION_TIMEOUT_SECONDS (actions/fault_guard.py); Rasa gives up
a few seconds after that, still inside the lock's lifetime, and the channel apologises (guarded_turn).
launch/rasa_patches.py sets Rasa's constant to ``request_timeout()`` when the Rasa server starts.
"""

from __future__ import annotations

from project_settings import action_timeout, get_settings

MARGIN_SECONDS = 5.0


def request_timeout() -> float:
    """Seconds Rasa waits for one action: the action's own bound plus a margin, inside the lock lifetime."""
    return min(action_timeout() + MARGIN_SECONDS, get_settings().ticket_lock_lifetime * 0.9)
