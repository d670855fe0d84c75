"""The scale-out lock store against a real Redis (TEST_REDIS_URL, or a throwaway one): two stores (two Rasa
servers) racing."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from launch.local_services import lock_store_settings
from stores import AtomicRedisLockStore
from tests.local_services import local_redis_fixture  # noqa: F401 - fixture
from tests.servers import default_settings


@pytest.fixture
def two_servers(local_redis_url: str) -> Iterator[tuple[AtomicRedisLockStore, AtomicRedisLockStore]]:
    settings = {**default_settings("scale-out"), **lock_store_settings(local_redis_url)}
    prefix = f"unit{uuid.uuid4().hex[:8]}"
    config = EndpointConfig(url=settings["LOCK_STORE_HOST"], port=settings["LOCK_STORE_PORT"],
                            db=settings["LOCK_STORE_DB"], key_prefix=prefix, type=settings["LOCK_STORE_TYPE"])
    stores = (LockStore.create(config), LockStore.create(config))
    assert all(isinstance(store, AtomicRedisLockStore) for store in stores), "endpoints.yml type resolves"
    yield stores
    for key in stores[0].red.scan_iter(f"{prefix}:*"):
        stores[0].red.delete(key)


def test_simultaneous_tickets_from_two_servers_are_all_different(two_servers) -> None:
    conversation = f"c-{uuid.uuid4().hex}"
    barrier = threading.Barrier(40)
    tickets: list[int] = []

    def take(store: AtomicRedisLockStore) -> None:
        barrier.wait()
        tickets.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(two_servers[i % 2],)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(tickets) == list(range(40))
    assert two_servers[1].get_lock(conversation).now_serving == 0


def test_the_lock_serves_in_order_and_disappears_with_its_last_ticket(two_servers) -> None:
    first, second = two_servers
    conversation = f"c-{uuid.uuid4().hex}"
    order: list[str] = []

    async def handle(store: AtomicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
            order.append(f"{name} start")
            await asyncio.sleep(0.05)
            order.append(f"{name} end")

    async def both() -> None:
        await asyncio.gather(handle(first, "a", 0), handle(second, "b", 0.01))

    asyncio.run(both())
    assert order == ["a start", "a end", "b start", "b end"]
    assert first.get_lock(conversation) is None and not first.red.exists(first.key_prefix + conversation)


def test_expired_tickets_do_not_block_the_conversation(two_servers) -> None:
    first, second = two_servers
    conversation = f"c-{uuid.uuid4().hex}"
    first.issue_ticket(conversation, lock_lifetime=0.001)  # a server that died holding the lock
    ticket = second.issue_ticket(conversation, lock_lifetime=30)
    lock = asyncio.run(second._acquire_lock(conversation, ticket, wait_time_in_seconds=0.01))
    assert not lock.is_locked(ticket)
    second.cleanup(conversation, ticket)
    assert second.get_lock(conversation) is None
