"""Soak test: does the scale-out assistant stay up, lose nothing and keep its memory through crashes?

Two Rasa servers on PostgreSQL and Redis (this machine's, or throwaway ones: tests/local_services.py) and one
action server run the benchmark's seeded conversations, in both languages, at about half of saturation for
`--minutes`. Meanwhile, as a supervisor would see it happen: one Rasa server is killed (SIGKILL) and started
again every `--kill-every` minutes, the two in turn; the action server is killed and started again once;
every PostgreSQL connection to the tracker database is cut once (pg_terminate_backend). Each person's turn
goes to one server at random; a server that refuses the connection (down) hands it to the other, as a load
balancer would. At the end the stored trackers are compared with what was sent and answered.

A measurement, not part of `make test`: it writes reports/soak.md, reports/soak.png and reports/soak.json,
and exits 1 when a turn was lost or duplicated, a 5xx was answered, or a process's memory grew by 10 % or
more after its warm-up.

    python benchmarks/soak.py [--minutes 20] [--kill-every MINUTES] [--seed 2026] [--rate TURNS_PER_SECOND]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psycopg2
from sqlalchemy import select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import replay, run_level  # noqa: E402
from benchmarks.processes import first_answer, resident_mb  # noqa: E402
from benchmarks.soak_report import write_reports  # noqa: E402
from benchmarks.workload import REST_PATH, Workload  # noqa: E402
from i18n.catalog import text  # noqa: E402
from i18n.languages import SUPPORTED  # noqa: E402
from launch.local_services import environment  # noqa: E402
from privacy.tracker_events import EVENTS, tracker_engine  # noqa: E402
from tests.local_services import postgres_url, redis_url  # noqa: E402
from tests.servers import ROOT, Assistant  # noqa: E402

SOAK_DIR = ROOT / "var" / "soak"
REPORTS_DIR = ROOT / "reports"
# The soak's own database on the PostgreSQL server, dropped and created again at each run: cutting every
# connection to it touches nobody else's tests, and its events are the soak's only.
SOAK_DATABASE = "impplus_soak"
# Without --kill-every, the kill interval is the run's length divided by this: the schedule of faults keeps
# its shape for a short run (5 min for the 20-minute run: Rasa killed at 5, 10, 15).
KILLS_PER_RUN = 4
# Closed-loop users (no think time) of the calibration: enough to saturate two servers on a small machine.
CALIBRATION_USERS = 10
# The share of the calibrated saturation the soak runs at.
LOAD_SHARE = 0.5
# Seconds between two readings of every process's memory.
RSS_SAMPLE_SECONDS = 5.0
# A process's memory is compared from this share of the kill interval after it started (its warm-up).
WARMUP_SHARE = 0.4
# The targets: nothing lost, duplicated or answered with a 5xx; memory growth after warm-up under this.
MAX_RSS_GROWTH = 0.10
# How long a killed server may take to answer again before the soak gives up.
RESTART_TIMEOUT_SECONDS = 300.0
APOLOGIES = frozenset(text(lang, "guard.unavailable") for lang in SUPPORTED)
FLOOD_REFUSALS = frozenset(text(lang, "guard.flood") for lang in SUPPORTED)
# Lines of the servers' logs counted in the report (Rasa's own wording, and channels/guarded_turn.py's).
LOG_SIGNS = {
    "tracker store failed, Rasa fell back to memory": "Falling back to use the 'InMemoryTrackerStore'",
    "action server unreachable": "Couldn't connect to the server at",
    "turn answered with the apology": "got no reply: sent the apology instead",
    "tracebacks": "Traceback (most recent call last)",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20, help="how long the load runs (default 20)")
    parser.add_argument("--kill-every", type=float,
                        help="minutes between two Rasa server kills (default: a quarter of --minutes, 5 for "
                             "20); the action server is killed at 1.5 times this, PostgreSQL's connections "
                             "cut at 2.5 times this")
    parser.add_argument("--seed", type=int, help="the conversations' seed (default: workload.yml's)")
    parser.add_argument("--rate", type=float,
                        help="turns per second to send (default: half of a short calibration's saturation)")
    parser.add_argument("--calibration-seconds", type=float, default=20,
                        help="how long the calibration saturates the servers (default 20)")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR, help="folder for the reports")
    args = parser.parse_args(argv)
    args.kill_every = args.kill_every or args.minutes / KILLS_PER_RUN
    return args


# --- The turns --------------------------------------------------------------------------------------------


@dataclass
class Turn:
    """One message of one person, what came back and when.

    `problem`: "" when answered with a 200; "http <status>"; "cut" when the connection broke with the
    request sent (the server may or may not have stored it); "timeout"; "refused" when no server took the
    connection (then nothing was sent).
    """

    sender: str
    seq: int
    text: str
    sent_at: float  # seconds after the load started
    latency_ms: float
    status: int  # the HTTP status, 0 when no answer came
    problem: str
    apology: bool
    silent: bool  # answered with no message at all
    flood_refused: bool
    rerouted: int  # servers that refused the connection before one took it

    @property
    def answered(self) -> bool:
        return 200 <= self.status < 300

    @property
    def reached(self) -> bool:
        """Whether a server may have received it (so it may be in the tracker store)."""
        return self.problem != "refused"


@dataclass
class Pacer:
    """Hands out send times `rate` per second, in order, to whoever asks; never catches up on missed ones
    (when every person is busy the load drops instead of bursting afterwards)."""

    rate: float
    start: float
    issued: int = 0

    async def next_slot(self, deadline: float) -> bool:
        """Waits for the next send time; False once it would be past `deadline` (loop time)."""
        now = asyncio.get_running_loop().time()
        slot = max(self.issued, math.floor((now - self.start) * self.rate))
        self.issued = slot + 1
        at = self.start + slot / self.rate
        if at >= deadline:
            return False
        await asyncio.sleep(max(0.0, at - now))
        return True


async def post_turn(session: aiohttp.ClientSession, urls: list[str], first: int, sender: str, message: str,
                    timeout: float) -> tuple[int, list[dict], str, int]:
    """Sends one message to urls[first], or to the next server while one refuses the connection.

    Returns (status, replies, problem, servers that refused). While every server refuses, it keeps trying
    every half second until `timeout`.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    order = urls[first:] + urls[:first]
    refused = 0
    while True:
        for url in order:
            left = max(deadline - loop.time(), 0.1)
            try:
                async with session.post(url + REST_PATH, json={"sender": sender, "message": message},
                                        timeout=aiohttp.ClientTimeout(total=left)) as response:
                    replies = await response.json(content_type=None) if response.status == 200 else None
                    problem = "" if response.status == 200 else f"http {response.status}"
                    return response.status, replies or [], problem, refused
            except aiohttp.ClientConnectorError:  # nothing sent: the server is down
                refused += 1
            except asyncio.TimeoutError:
                return 0, [], "timeout", refused
            except aiohttp.ClientError:
                return 0, [], "cut", refused
        if loop.time() >= deadline:
            return 0, [], "refused", refused
        await asyncio.sleep(0.5)


async def person(session: aiohttp.ClientSession, urls: list[str], workload: Workload, user: int, prefix: str,
                 pacer: Pacer, started: float, deadline: float, turns: list[Turn]) -> None:
    """Person `user`'s visits (a new conversation each) until `deadline`, one turn per pacer slot.

    A turn that is not answered ends the visit, as in benchmarks/load.py: what follows it would be out of
    step with the conversation.
    """
    servers = random.Random(f"{workload.seed}/soak-servers/{user}")
    loop = asyncio.get_running_loop()
    for number, visit in enumerate(workload.visits(user)):
        sender = f"{prefix}-p{user}-v{number}-{visit.name}"
        for seq, message in enumerate(visit.messages):
            if not await pacer.next_slot(deadline):
                return
            sent_at = loop.time()
            status, replies, problem, refused = await post_turn(
                session, urls, servers.randrange(len(urls)), sender, message,
                workload.plan.turn_timeout_seconds,
            )
            said = {reply.get("text") for reply in replies if isinstance(reply, dict)}
            turns.append(Turn(sender, seq, message, round(sent_at - started, 3),
                              round((loop.time() - sent_at) * 1000, 1), status, problem,
                              bool(said & APOLOGIES), status == 200 and not replies,
                              bool(said & FLOOD_REFUSALS), refused))
            if problem:
                break


# --- The faults, and the parts started again as a supervisor would -------------------------------------


@dataclass
class Fault:
    """One planned fault and what happened: when it was done, when the part answered again, its new pid."""

    kind: str  # "kill rasa", "kill action server", "cut postgres"
    target: str
    planned_at: float  # seconds after the load started
    done_at: float | None = None
    back_at: float | None = None
    detail: str = ""
    new_pid: int | None = None


def fault_plan(seconds: float, kill_every: float, urls: list[str]) -> list[Fault]:
    """Rasa kills every `kill_every` seconds (servers in turn); the action server at 1.5, PostgreSQL at 2.5
    intervals, between two Rasa kills. Faults past the end are left out.
    """
    faults = [Fault("kill rasa", urls[(number - 1) % len(urls)], number * kill_every)
              for number in range(1, math.ceil(seconds / kill_every)) if number * kill_every < seconds]
    faults += [Fault("kill action server", "action server", 1.5 * kill_every),
               Fault("cut postgres", SOAK_DATABASE, 2.5 * kill_every)]
    kept = [fault for fault in faults if fault.planned_at < seconds]
    return sorted(kept, key=lambda fault: fault.planned_at)


@dataclass
class Supervisor:
    """Kills parts of the running assistant and starts them again, as `make run`'s supervisor would.

    Its methods run in threads beside the load; `lock` keeps the harness's lists of processes consistent.
    """

    assistant: Assistant
    urls: list[str]  # fixed order: the harness's own list changes as servers are started again
    lock: threading.Lock = field(default_factory=threading.Lock)

    def action_server(self) -> subprocess.Popen:
        return next(process for process in self.assistant.processes
                    if "launch.action_server" in map(str, process.args))

    def pids(self) -> dict[str, int]:
        """The current process id of each part, by a name that outlives its restarts."""
        with self.lock:
            found = {f"rasa :{port}": process.pid for port, process in self.assistant.rasa_processes.items()}
            found["action server"] = self.action_server().pid
        return found

    def restart(self, process: subprocess.Popen, log_name: str) -> subprocess.Popen:
        """SIGKILL to `process` (and its children), then the same command again: the same model even when
        the working tree has moved on since. Each new process logs to a file of its own."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log = open(self.assistant.workdir / log_name, "ab")  # noqa: SIM115 - closed with the process
        restarted = subprocess.Popen(process.args, cwd=ROOT, env=self.assistant.settings, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        processes = self.assistant.processes
        processes[processes.index(process)] = restarted
        return restarted

    def kill_rasa(self, url: str, number: int) -> int:
        """Kills the Rasa server at `url` and starts it again; returns the new pid once it answers."""
        port = int(url.rsplit(":", 1)[1])
        with self.lock:
            log_name = f"rasa-{port}-after-fault{number}.log"
            process = self.restart(self.assistant.rasa_processes[port], log_name)
            self.assistant.rasa_processes[port] = process
        first_answer(url, process, RESTART_TIMEOUT_SECONDS, "soak-supervisor")
        return process.pid

    def kill_action_server(self, number: int) -> int:
        """Kills the action server and starts it again; returns the new pid once it answers."""
        with self.lock:
            process = self.restart(self.action_server(), f"actions-after-fault{number}.log")
        health = f"http://127.0.0.1:{self.assistant.action_port}/health"
        deadline = time.monotonic() + RESTART_TIMEOUT_SECONDS
        while not self.assistant._answers(health):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the action server did not start again; see {self.assistant.workdir}")
            time.sleep(0.2)
        return process.pid

    def cut_postgres(self) -> int:
        """Terminates every other connection to the tracker database; returns how many."""
        connection = psycopg2.connect(self.assistant.env_value("TRACKER_DB_URL"))
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                return int(cursor.fetchone()[0])
        finally:
            connection.close()

    def run(self, fault: Fault, number: int) -> None:
        """Does `fault`, the `number`th of the run; a part that does not come back is reported, and the
        soak goes on without it."""
        try:
            if fault.kind == "kill rasa":
                fault.new_pid = self.kill_rasa(fault.target, number)
            elif fault.kind == "kill action server":
                fault.new_pid = self.kill_action_server(number)
            else:
                fault.detail = f"{self.cut_postgres()} connections terminated"
                return
            fault.detail = "SIGKILL, started again"
        except Exception as error:  # the report says what failed; the soak goes on
            fault.detail = f"failed: {error}"


async def run_fault(supervisor: Supervisor, fault: Fault, number: int, started: float, deadline: float,
                    one_rasa_down: asyncio.Lock) -> None:
    """The fault at its time; a Rasa kill waits until no other Rasa server is down (as a rolling
    supervisor would). A fault that comes after the load has ended is not done."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, started + fault.planned_at - loop.time()))
    async with one_rasa_down if fault.kind == "kill rasa" else contextlib.nullcontext():
        if loop.time() >= deadline:
            fault.detail = "not done: the load had ended"
            return
        fault.done_at = round(loop.time() - started, 1)
        say(f"{fault.done_at:7.1f} s  {fault.kind} {fault.target}")
        await asyncio.to_thread(supervisor.run, fault, number)
        fault.back_at = round(loop.time() - started, 1)
    say(f"{fault.back_at:7.1f} s  {fault.target}: {fault.detail} (back after "
        f"{fault.back_at - fault.done_at:.1f} s)")


async def run_faults(supervisor: Supervisor, faults: list[Fault], started: float, deadline: float) -> None:
    one_rasa_down = asyncio.Lock()
    await asyncio.gather(*(run_fault(supervisor, fault, number, started, deadline, one_rasa_down)
                           for number, fault in enumerate(faults, start=1)))


@dataclass(frozen=True)
class MemorySample:
    at: float  # seconds after the load started
    process: str
    pid: int
    mb: float


async def sample_memory(supervisor: Supervisor, started: float, deadline: float,
                        samples: list[MemorySample]) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        for name, pid in supervisor.pids().items():
            megabytes = resident_mb(pid)
            if megabytes:  # 0: the process is gone (killed between the listing and the reading)
                samples.append(MemorySample(round(loop.time() - started, 1), name, pid, round(megabytes, 1)))
        await asyncio.sleep(RSS_SAMPLE_SECONDS)


# --- The run ----------------------------------------------------------------------------------------------


@dataclass
class Soak:
    """Everything one soak run measured, before it is summed up for the reports."""

    seconds: float
    rate: float
    people: int
    turns: list[Turn] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    memory: list[MemorySample] = field(default_factory=list)


async def soak_async(supervisor: Supervisor, workload: Workload, soak: Soak, kill_every: float,
                     prefix: str) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + soak.seconds
    pacer = Pacer(soak.rate, started)
    soak.faults = fault_plan(soak.seconds, kill_every, supervisor.urls)
    # A new connection per turn, as through a load balancer: no connection outlives a server's restart.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        people = [person(session, supervisor.urls, workload, user, prefix, pacer, started, deadline,
                         soak.turns) for user in range(soak.people)]
        await asyncio.gather(run_faults(supervisor, soak.faults, started, deadline),
                             sample_memory(supervisor, started, deadline, soak.memory),
                             report_progress(soak, started, deadline), *people)


async def report_progress(soak: Soak, started: float, deadline: float) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        await asyncio.sleep(min(60.0, max(deadline - loop.time(), 0.0)))
        problems = Counter(turn.problem for turn in soak.turns if turn.problem)
        say(f"{loop.time() - started:7.1f} s  {len(soak.turns)} turns, problems: {dict(problems) or 'none'}")


def say(line: str) -> None:
    print(line, flush=True)


def soak_database(server_url: str) -> str:
    """Drops and creates SOAK_DATABASE on the PostgreSQL server of `server_url`; returns its URL."""
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{SOAK_DATABASE}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{SOAK_DATABASE}"')
    finally:
        connection.close()
    return make_url(server_url).set(database=SOAK_DATABASE).render_as_string(hide_password=False)


def calibrate(urls: list[str], workload: Workload, seconds: float, prefix: str) -> float:
    """Turns per second the servers answer when CALIBRATION_USERS keep them busy with no pause."""
    result = run_level(urls, workload, CALIBRATION_USERS, seconds, prefix)
    return result.turns_per_second


def log_findings(workdir: Path) -> dict[str, int]:
    """How often the servers' logs show each of LOG_SIGNS: where to look when a turn went missing."""
    found = Counter()
    for log in workdir.glob("*.log"):
        content = log.read_text(errors="replace")
        for name, sign in LOG_SIGNS.items():
            found[name] += content.count(sign)
    return {name: found[name] for name in LOG_SIGNS}


def stored_user_texts(tracker_db_url: str, prefix: str) -> dict[str, list[str]]:
    """Each soak conversation's stored user messages, in the order they were stored."""
    engine = tracker_engine(tracker_db_url)
    found: dict[str, list[str]] = defaultdict(list)
    query = (select(EVENTS.c.sender_id, EVENTS.c.data)
             .where(EVENTS.c.type_name == "user", EVENTS.c.sender_id.like(f"{prefix}-%"))
             .order_by(EVENTS.c.id))
    with engine.connect() as connection:
        for row in connection.execute(query):
            found[row.sender_id].append(json.loads(row.data).get("text"))
    engine.dispose()
    return found


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(item in remaining for item in part)


def check_trackers(turns: list[Turn], stored: dict[str, list[str]]) -> dict[str, object]:
    """Compares each conversation's stored user messages with its turns.

    Lost: answered (2xx) more times than stored. Duplicated: stored more times than it can have reached a
    server. Out of order: the stored messages are not in the order they were sent. Turns cut in flight may
    be stored or not; both are counted, neither is an error.
    """
    by_sender: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        by_sender[turn.sender].append(turn)
    lost, duplicated, out_of_order = [], [], []
    cut_stored = cut_not_stored = 0
    for sender in sorted(set(by_sender) | set(stored)):
        sent = by_sender.get(sender, [])
        kept = Counter(stored.get(sender, []))
        answered = Counter(turn.text for turn in sent if turn.answered)
        reached = Counter(turn.text for turn in sent if turn.reached)
        for message in set(answered) | set(reached) | set(kept):
            missing = answered[message] - kept[message]
            extra = kept[message] - reached[message]
            if missing > 0:
                lost.append({"sender": sender, "text": message, "answered": answered[message],
                             "stored": kept[message]})
            if extra > 0:
                duplicated.append({"sender": sender, "text": message, "reached": reached[message],
                                   "stored": kept[message]})
            unanswered = reached[message] - answered[message]
            stored_unanswered = min(max(kept[message] - answered[message], 0), unanswered)
            cut_stored += stored_unanswered
            cut_not_stored += unanswered - stored_unanswered
        if not is_subsequence(stored.get(sender, []), [turn.text for turn in sent if turn.reached]):
            out_of_order.append(sender)
    return {
        "conversations": len(by_sender),
        "lost": sum(item["answered"] - item["stored"] for item in lost),
        "duplicated": sum(item["stored"] - item["reached"] for item in duplicated),
        "out_of_order": len(out_of_order),
        "unanswered_stored": cut_stored,
        "unanswered_not_stored": cut_not_stored,
        "examples": {"lost": lost[:10], "duplicated": duplicated[:10], "out_of_order": out_of_order[:10]},
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    workload = Workload.load()
    if args.seed is not None:
        workload = dataclasses.replace(workload, seed=args.seed)
    run_id = f"{os.getpid()}-{int(time.time())}"
    prefix = f"soak-{run_id}"
    workdir = SOAK_DIR / "run"  # the servers' logs stay here until the next run
    if workdir.exists():
        for old in workdir.iterdir():
            old.unlink()
    tracker_db_url = soak_database(postgres_url())
    say(f"PostgreSQL database {SOAK_DATABASE}, Redis {redis_url()}; servers' logs in {workdir}")
    assistant = Assistant(workdir=workdir, profile="scale-out", replicas=2,
                          env=environment(tracker_db_url, redis_url()))
    load_before = os.getloadavg()[0]
    try:
        say("starting the action server and two Rasa servers…")
        assistant.start(timeout=RESTART_TIMEOUT_SECONDS)
        urls = list(assistant.urls)
        say("warm-up: every visit once")
        replay(urls, workload.every_visit(), workload.plan.warmup_concurrency, f"{prefix}w",
               workload.plan.turn_timeout_seconds)
        saturation = None
        if args.rate is None:
            say(f"calibration: {CALIBRATION_USERS} users with no pause for {args.calibration_seconds:g} s")
            saturation = calibrate(urls, workload, args.calibration_seconds, f"{prefix}c")
        rate = args.rate or LOAD_SHARE * saturation
        mean_think = sum(workload.think_seconds) / 2
        people = max(4, round(rate * mean_think))  # each person sends about once per think time
        soak = Soak(args.minutes * 60, rate, people)
        say(f"soak: {rate:.2f} turns/s from {people} people for {args.minutes:g} min"
            + (f" (saturation {saturation:.2f} turns/s)" if saturation else ""))
        supervisor = Supervisor(assistant, urls)
        asyncio.run(soak_async(supervisor, workload, soak, args.kill_every * 60, prefix))
        final_pids = supervisor.pids()
    finally:
        assistant.stop()
    check = check_trackers(soak.turns, stored_user_texts(tracker_db_url, prefix))
    return {
        "run": {
            "finished": dt.datetime.now().isoformat(timespec="seconds"),
            "minutes": args.minutes, "kill_every_minutes": args.kill_every, "seed": workload.seed,
            "rate": round(rate, 2), "saturation": saturation and round(saturation, 2),
            "calibration_users": CALIBRATION_USERS, "people": people, "servers": urls,
            "cpus": os.cpu_count(), "load_average_before": round(load_before, 2),
            "warmup_seconds": WARMUP_SHARE * args.kill_every * 60, "max_rss_growth": MAX_RSS_GROWTH,
            "logs": str(workdir.relative_to(ROOT)), "final_pids": final_pids,
        },
        "turns": [dataclasses.asdict(turn) for turn in soak.turns],
        "faults": [dataclasses.asdict(fault) for fault in soak.faults],
        "memory": [dataclasses.asdict(sample) for sample in soak.memory],
        "check": check,
        "log_findings": log_findings(workdir),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = run(args)
    summary, paths = write_reports(results, args.out)
    print(summary)
    print("Written: " + ", ".join(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
                                  for path in paths))
    return 0 if results["verdict"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
