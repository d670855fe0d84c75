"""The per-sender flood limit, on a clock the test moves."""

from __future__ import annotations

from channels.flood_limit import FloodLimit


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
