"""Stores the Rasa servers share in the scale-out profile."""

from stores.atomic_redis_lock_store import AtomicRedisLockStore

__all__ = ["AtomicRedisLockStore"]
