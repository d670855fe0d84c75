"""A Redis lock store whose every change to a conversation's lock is one atomic Redis transaction.

Rasa 3.6's RedisLockStore reads a lock, changes it in Python and writes it back. Two servers that receive
messages of the same conversation at the same moment can both be issued ticket 0 and handle the messages
side by side; the later tracker save then drops one of them (seen here: 5 of 20 simultaneous pairs lost a
message). Here each read-modify-write is a WATCH/MULTI transaction, retried when another server changed
the lock in between, so tickets are unique and served in order across servers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore with atomic ticket issue and release (endpoints.yml: `stores.AtomicRedisLockStore`)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], Any], create: bool = False) -> Any:
        """Applies `change` to the stored lock in one transaction and returns its result.

        A lock left without tickets is deleted in the same transaction, so no one can be issued a ticket on
        a lock that is about to disappear.
        """
        key = self.key_prefix + conversation_id

        def transaction(pipe: Pipeline) -> Any:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            if lock is None and create:
                lock = self.create_lock(conversation_id)
            result = change(lock) if lock is not None else None
            pipe.multi()
            if lock is not None and lock.tickets:
                pipe.set(key, lock.dumps())
            elif stored:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            ticket = self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True)
        except Exception as error:  # Rasa's contract: a failure to issue a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return int(ticket)

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Releases the ticket; the lock goes with its last ticket, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)
