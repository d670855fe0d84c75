"""Closed-loop load over the REST channel: N virtual users, each typing its visits' messages back to back.

There is no think time: a user sends its next message as soon as the last reply arrives, so N users keep N
turns in flight (far more than N people chatting would). Each message goes to one of `urls` at random, so
with several Rasa servers every conversation is spread across them, as behind a load balancer without
sticky sessions.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
import numpy as np

from benchmarks.workload import REST_PATH, Visit, Workload

# The latency percentiles every report shows.
PERCENTILES = (50, 95, 99)


@dataclass
class LevelResult:
    """What one concurrency level measured: every successful turn's latency, the errors, the throughput.

    Throughput counts the turns finished within the level's `seconds`, not those finishing while the
    level drains (then fewer users are left, which would understate it).
    """

    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    empty_replies: int = 0
    turns_in_time: int = 0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    @property
    def turns_per_second(self) -> float:
        return self.turns_in_time / self.seconds

    def percentile_ms(self, percent: float) -> float:
        return float(np.percentile(self.latencies_ms, percent)) if self.latencies_ms else float("nan")

    def summary(self) -> dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "seconds": self.seconds,
            "turns_per_second": round(self.turns_per_second, 2),
            **{f"p{percent}_ms": round(self.percentile_ms(percent), 1) for percent in PERCENTILES},
            "mean_ms": round(float(np.mean(self.latencies_ms)), 1) if self.latencies_ms else None,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "empty_replies": self.empty_replies,
        }


async def send_turn(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> tuple[float, str]:
    """Sends one message; returns the seconds until the whole reply arrived and what went wrong ('' if ok).

    An empty reply list is reported as 'empty' (not an error: the baseline has no answer to some messages).
    """
    started = time.perf_counter()
    body = None
    try:
        async with session.post(url + REST_PATH, json={"sender": sender, "message": message}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            problem = "" if response.status == 200 else f"http {response.status}"
    except asyncio.TimeoutError:
        problem = "timeout"
    except aiohttp.ClientError as error:
        problem = type(error).__name__
    elapsed = time.perf_counter() - started
    return elapsed, problem or ("" if body else "empty")


async def virtual_user(session: aiohttp.ClientSession, urls: list[str], workload: Workload, user: int,
                       sender_prefix: str, deadline: float, result: LevelResult,
                       on_turn: Callable[[], None]) -> None:
    """Makes user `user`'s visits until `deadline` (loop time); a visit that hits an error is abandoned."""
    server = random.Random(f"{workload.seed}/servers/{user}")
    loop = asyncio.get_running_loop()
    for number, visit in enumerate(workload.visits(user)):
        sender = f"{sender_prefix}-u{user}-v{number}-{visit.name}"
        for message in visit.messages:
            if loop.time() >= deadline:
                return
            seconds, problem = await send_turn(session, server.choice(urls), sender, message)
            if problem in ("", "empty"):
                result.latencies_ms.append(seconds * 1000)
                result.turns_in_time += loop.time() <= deadline
                result.empty_replies += problem == "empty"
                on_turn()
            else:
                result.errors[problem] += 1
                break


async def run_level_async(urls: list[str], workload: Workload, concurrency: int, seconds: float,
                          sender_prefix: str, on_turn: Callable[[], None]) -> LevelResult:
    result = LevelResult(concurrency, seconds)
    timeout = aiohttp.ClientTimeout(total=workload.plan.turn_timeout_seconds)
    connector = aiohttp.TCPConnector(limit=0)  # one connection per user at most, never a client-side queue
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        deadline = asyncio.get_running_loop().time() + seconds
        await asyncio.gather(*(
            virtual_user(session, urls, workload, user, sender_prefix, deadline, result, on_turn)
            for user in range(concurrency)
        ))
    return result


@dataclass(frozen=True)
class TimedTurn:
    """One message of a replay, how long its reply took and what went wrong ('' if nothing)."""

    milliseconds: float
    message: str
    problem: str


async def replay_async(urls: list[str], visits: list[Visit], concurrency: int, sender_prefix: str,
                       timeout: float) -> list[TimedTurn]:
    pending = list(enumerate(visits))
    timed: list[TimedTurn] = []

    async def worker(session: aiohttp.ClientSession) -> None:
        while pending:
            number, visit = pending.pop(0)
            sender = f"{sender_prefix}-v{number}-{visit.name}"
            for message in visit.messages:
                seconds, problem = await send_turn(session, urls[number % len(urls)], sender, message)
                timed.append(TimedTurn(seconds * 1000, message, problem))

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return timed


def replay(urls: list[str], visits: list[Visit], concurrency: int, sender_prefix: str,
           timeout: float) -> list[TimedTurn]:
    """Plays each visit once, `concurrency` at a time, spread over `urls`; returns every turn's timing."""
    return asyncio.run(replay_async(urls, visits, concurrency, sender_prefix, timeout))


def run_level(urls: list[str], workload: Workload, concurrency: int, seconds: float, sender_prefix: str,
              on_turn: Callable[[], None] = lambda: None) -> LevelResult:
    """`concurrency` users send turns for `seconds` (then the turns in flight finish); returns the result."""
    return asyncio.run(run_level_async(urls, workload, concurrency, seconds, sender_prefix, on_turn))
