"""A per-sender limit on messages, so one person flooding cannot slow everyone else's conversations.

Two stores for one rule (at most `max_messages` per sender in any sliding `window_seconds`):

- `FloodLimit`, in this server's memory: the embedded profile, one Rasa server;
- `RedisFloodLimit`, in the Redis of the lock store: the scale-out profile, where a sender's messages are
  spread over several servers and each server counting alone would give a flooder the allowance once per
  server. Each check is one Lua script, so two servers checking the same sender at the same moment cannot
  both take the last place.

`flood_limit_for(settings)` picks the store the same way the lock store is picked (LOCK_STORE_TYPE).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Protocol

import redis

from project_settings import ProjectSettings

logger = logging.getLogger(__name__)

# The LOCK_STORE_TYPE values that keep conversations' locks in Redis (endpoints.settings.yml).
REDIS_LOCK_STORE_TYPES = frozenset({"redis", "stores.AtomicRedisLockStore"})
# A check must not hold up the server's event loop for long when Redis is slow or gone.
REDIS_TIMEOUT_SECONDS = 2.0


class SenderLimit(Protocol):
    """What a channel asks before handling a message."""

    def allow(self, sender: str) -> bool:
        """Records a message from `sender`; False when it goes over the limit (and is not counted)."""


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


# KEYS[1]: the sender's sorted set (members: one per counted message, scored by its time in seconds).
# ARGV: now (empty: Redis's own clock, one clock for every server), window seconds, max messages, member.
# Drops what left the window, refuses when full, else counts the message; the set expires with its window.
_ALLOW_SCRIPT = """
local now = tonumber(ARGV[1])
if now == nil then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return 1
"""


class RedisFloodLimit:
    """`FloodLimit` counted in Redis, so the allowance is per sender across every server sharing it.

    Synchronous, like the lock store Rasa already calls on every message: one short script per message.
    When Redis does not answer the message is let through (and logged): the lock store needs the same
    Redis, so Rasa will apologise for the message anyway, and refusing everyone would be worse.
    """

    def __init__(self, client: redis.Redis, max_messages: int, window_seconds: float, key_prefix: str,
                 clock: Callable[[], float] | None = None) -> None:
        self.client = client
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self.key_prefix = f"{key_prefix}:flood:"
        self._clock = clock  # None: Redis's clock; tests pass their own to move the window
        self._script = client.register_script(_ALLOW_SCRIPT)

    def allow(self, sender: str) -> bool:
        """Records a message from `sender`; False when it goes over the limit (and is not counted)."""
        now = "" if self._clock is None else repr(self._clock())
        try:
            allowed = self._script(
                keys=[self.key_prefix + sender],
                args=[now, self.window_seconds, self.max_messages, uuid.uuid4().hex],
            )
        except redis.RedisError as error:
            logger.warning("Flood limit: Redis did not answer (%s); the message is let through.", error)
            return True
        return bool(allowed)


def flood_limit_for(settings: ProjectSettings) -> SenderLimit:
    """In Redis when the lock store is (the scale-out profile), else in this server's memory."""
    if settings.lock_store_type not in REDIS_LOCK_STORE_TYPES:
        return FloodLimit(settings.flood_max_messages, settings.flood_window_seconds)
    client = redis.Redis(
        host=settings.lock_store_host,
        port=settings.lock_store_port,
        db=settings.lock_store_db,
        password=settings.lock_store_password or None,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return RedisFloodLimit(client, settings.flood_max_messages, settings.flood_window_seconds,
                           settings.lock_store_key_prefix)
