"""A per-sender limit on messages, so one person flooding cannot slow everyone else's conversations.

A sliding window in this server's memory: with several Rasa servers each one limits what it receives,
which is enough to keep one sender from monopolising a server.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FloodLimit:
    """At most `max_messages` per sender in any `window_seconds`; the rest are refused, not queued."""

    def __init__(self, max_messages: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self._clock = clock
        self._recent: dict[str, deque[float]] = {}
        self._next_sweep = 0.0

    def allow(self, sender: str) -> bool:
        """Records a message from `sender`; False when it goes over the limit (and is not counted)."""
        now = self._clock()
        self._sweep(now)
        recent = self._recent.setdefault(sender, deque())
        while recent and recent[0] <= now - self.window_seconds:
            recent.popleft()
        if len(recent) >= self.max_messages:
            return False
        recent.append(now)
        return True

    def _sweep(self, now: float) -> None:
        """Forgets senders quiet for a whole window, so memory follows the number of active people."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window_seconds
        quiet_since = now - self.window_seconds
        for sender in [s for s, times in self._recent.items() if not times or times[-1] <= quiet_since]:
            del self._recent[sender]
