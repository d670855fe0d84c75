"""The configurations the benchmark compares, each started, measured and stopped the same way.

The assistant's configurations run through the test harness (tests/servers.py), so the benchmark measures
exactly what the end-to-end and scale tests start; the baseline runs from its own `rasa init` folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

from benchmarks.baseline import BaselineProject
from benchmarks.processes import first_answer
from project_settings import config_files, load_settings
from scripts.check_stores import lock_store_problem, tracker_store_problem
from tests.servers import Assistant, free_port

# How long a configuration may take to start before the benchmark gives up on it (the target is lower).
START_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class Configuration:
    """One way of running Rasa: the baseline (no profile) or the assistant in a profile, on N servers."""

    name: str
    label: str
    profile: str | None
    replicas: int = 1

    @property
    def is_baseline(self) -> bool:
        return self.profile is None

    def unavailable(self) -> str | None:
        """Why this configuration cannot run on this machine (PostgreSQL or Redis missing), or None."""
        if self.profile != "scale-out":
            return None
        settings = load_settings({}, config_files(self.profile))
        return tracker_store_problem(settings.tracker_db_url) or lock_store_problem(settings)


BASELINE = Configuration("baseline", "plain Rasa (rasa init)", None)
EMBEDDED = Configuration("embedded", "assistant, embedded (SQLite)", "embedded")
SCALE_OUT_ONE = Configuration("scale-out-1", "assistant, scale-out, 1 server", "scale-out", 1)
SCALE_OUT_TWO = Configuration("scale-out-2", "assistant, scale-out, 2 servers", "scale-out", 2)
CONFIGURATIONS = (BASELINE, EMBEDDED, SCALE_OUT_ONE, SCALE_OUT_TWO)


class Running(Protocol):
    """A configuration being run: where to send messages, how long it took to answer, its processes."""

    ready_seconds: float

    @property
    def urls(self) -> list[str]: ...

    def boot(self) -> list[subprocess.Popen]:
        """Starts the servers; returns the Rasa servers' processes, in the order of `urls`."""
        ...

    def pids(self) -> dict[str, list[int]]:
        """The process ids by role: "rasa" (one per server) and, if there is one, "action_server"."""
        ...

    def stop(self) -> None: ...


@dataclass
class RunningBaseline:
    """`rasa run` in the baseline project: one process, no action server."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    ready_seconds: float = 0.0

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.port}"]

    def boot(self) -> list[subprocess.Popen]:
        self.process = BaselineProject().start_server(self.port, self.workdir / "rasa.log")
        return [self.process]

    def pids(self) -> dict[str, list[int]]:
        return {"rasa": [self.process.pid] if self.process else []}

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class RunningAssistant:
    """The assistant through the test harness; `sender_prefix` marks the benchmark's conversations."""

    assistant: Assistant
    sender_prefix: str
    ready_seconds: float = 0.0

    @property
    def urls(self) -> list[str]:
        return self.assistant.urls

    def boot(self) -> list[subprocess.Popen]:
        self.assistant.start(timeout=START_TIMEOUT_SECONDS)
        return list(self.assistant.rasa_processes.values())

    def pids(self) -> dict[str, list[int]]:
        servers = list(self.assistant.rasa_processes.values())
        others = [process for process in self.assistant.processes if process not in servers]
        return {"rasa": [server.pid for server in servers], "action_server": [other.pid for other in others]}

    def stop(self) -> None:
        """Stops the servers; in the scale-out profile, also deletes the benchmark's conversations."""
        self.assistant.stop()
        tracker_url = self.assistant.settings.get("TRACKER_DB_URL")
        if self.assistant.profile == "scale-out" and tracker_url:
            engine = sa.create_engine(tracker_url)
            with engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM events WHERE sender_id LIKE :prefix"),
                                   {"prefix": f"{self.sender_prefix}%"})
            engine.dispose()


def start(configuration: Configuration, workdir: Path, sender_prefix: str) -> Running:
    """Starts `configuration`; returns once every Rasa server has answered a first message (timed)."""
    running: Running = (
        RunningBaseline(workdir) if configuration.is_baseline else RunningAssistant(
            Assistant(workdir=workdir, profile=configuration.profile, replicas=configuration.replicas),
            sender_prefix,
        )
    )
    started = time.perf_counter()
    try:
        servers = running.boot()  # before `urls`: the harness picks the ports as it starts
        for url, process in zip(running.urls, servers, strict=True):
            first_answer(url, process, START_TIMEOUT_SECONDS, f"{sender_prefix}-ready")
    except BaseException:
        running.stop()
        raise
    running.ready_seconds = time.perf_counter() - started
    return running
