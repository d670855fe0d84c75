"""The per-sender flood limit, on a clock the test moves: in memory (one server) and in Redis (shared)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import redis

from channels.flood_limit import FloodLimit, RedisFloodLimit, flood_limit_for
from launch.local_services import lock_store_settings
from project_settings import ProjectSettings, config_files, load_settings
from tests.local_services import local_redis_fixture  # noqa: F401 - fixture
from tests.servers import free_port


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_sender_over_the_limit_is_refused_until_the_window_moves_on() -> None:
    clock = Clock()
    limit = FloodLimit(max_messages=3, window_seconds=10, clock=clock)
    assert [limit.allow("flooder") for _ in range(5)] == [True, True, True, False, False]
    assert limit.allow("someone else")
    clock.now += 10.01
    assert limit.allow("flooder")


def test_refused_messages_do_not_extend_the_wait() -> None:
    clock = Clock()
    limit = FloodLimit(max_messages=2, window_seconds=5, clock=clock)
    limit.allow("s"), limit.allow("s")
    for _ in range(100):
        clock.now += 0.01
        assert not limit.allow("s")
    clock.now = 1005.01
    assert limit.allow("s")


def test_quiet_senders_are_forgotten() -> None:
    clock = Clock()
    limit = FloodLimit(max_messages=2, window_seconds=5, clock=clock)
    for index in range(1000):
        limit.allow(f"visitor-{index}")
    clock.now += 6
    limit.allow("new")
    assert len(limit._recent) == 1


# -- shared by servers: the same limit counted in Redis (TEST_REDIS_URL, or a throwaway one) --------------


@pytest.fixture
def scale_out(local_redis_url: str) -> Iterator[ProjectSettings]:
    """The scale-out profile's settings at the tests' Redis, under a key prefix of this test's own."""
    prefix = f"unit{uuid.uuid4().hex[:8]}"
    env = {**lock_store_settings(local_redis_url), "LOCK_STORE_KEY_PREFIX": prefix,
           "FLOOD_MAX_MESSAGES": "3", "FLOOD_WINDOW_SECONDS": "10"}
    settings = load_settings(env, config_files("scale-out"))
    yield settings
    client = redis.Redis(host=settings.lock_store_host, port=settings.lock_store_port,
                         db=settings.lock_store_db, password=settings.lock_store_password or None)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def two_servers(settings: ProjectSettings, clock: Clock | None = None) -> list[RedisFloodLimit]:
    """What two Rasa servers of the scale-out profile build, each with its own Redis connection."""
    limits = [flood_limit_for(settings), flood_limit_for(settings)]
    assert all(isinstance(limit, RedisFloodLimit) for limit in limits)
    if clock is not None:
        for limit in limits:
            limit._clock = clock
    return limits  # type: ignore[return-value]


def test_the_embedded_profile_counts_in_memory() -> None:
    settings = load_settings({"FLOOD_MAX_MESSAGES": "3"}, config_files("embedded"))
    assert settings.lock_store_type == "in_memory"
    limit = flood_limit_for(settings)
    assert isinstance(limit, FloodLimit) and limit.max_messages == 3


def test_a_sender_spread_over_two_servers_gets_the_allowance_once(scale_out: ProjectSettings) -> None:
    first, second = two_servers(scale_out)
    answers = [(first, second)[index % 2].allow("flooder") for index in range(6)]
    assert answers == [True, True, True, False, False, False]
    assert first.allow("someone else") and second.allow("someone else")


def test_simultaneous_messages_never_exceed_the_allowance(scale_out: ProjectSettings) -> None:
    limits = two_servers(scale_out)
    barrier = threading.Barrier(20)
    answers: list[bool] = []

    def send(limit: RedisFloodLimit) -> None:
        barrier.wait()
        answers.append(limit.allow("racer"))

    threads = [threading.Thread(target=send, args=(limits[index % 2],)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [False] * 17 + [True] * 3


def test_the_shared_window_slides_and_refusals_do_not_extend_it(scale_out: ProjectSettings) -> None:
    clock = Clock()
    first, second = two_servers(scale_out, clock)
    assert [first.allow("s"), second.allow("s"), first.allow("s")] == [True, True, True]
    for _ in range(20):
        clock.now += 0.1
        assert not second.allow("s")
    clock.now = 1010.01
    assert first.allow("s") and second.allow("s") and second.allow("s") and not first.allow("s")


def test_the_shared_count_is_prefixed_and_expires_with_its_window(scale_out: ProjectSettings) -> None:
    first, _ = two_servers(scale_out)
    first.allow("visitor")
    [key] = list(first.client.scan_iter(f"{scale_out.lock_store_key_prefix}:*"))
    assert key.decode() == f"{scale_out.lock_store_key_prefix}:flood:visitor"
    assert 0 < first.client.pttl(key) <= 10_000


def test_without_redis_messages_are_let_through(scale_out: ProjectSettings) -> None:
    settings = scale_out.copy(update={"lock_store_port": free_port()})
    limit = flood_limit_for(settings)
    assert all(limit.allow("s") for _ in range(5))
