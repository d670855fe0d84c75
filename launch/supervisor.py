"""``python -m launch.supervisor --server NAME -- CMD... [--server NAME -- CMD...]``: keeps servers running.

`make run` starts the action server, the Rasa server(s), the web page, the desk and the notification worker
through this supervisor, so that one crash does not take the assistant down: a server that exits is
restarted after a back-off (1 s, doubling, at most 10 s) and the others keep answering. A server that keeps
crashing is not restarted forever: after SUPERVISE_MAX_RESTARTS restarts within SUPERVISE_WINDOW_SECONDS its
next crash gives it up, with one line saying so. Every event is one line on stderr, starting ``supervisor:``.

Each server runs in a process group of its own, so that the terminal's Ctrl-C reaches only the supervisor,
which then stops every server the same way (SIGTERM to the group, SIGKILL after a grace period) and exits
0. A server that exits because the supervisor is stopping is never restarted. ``--given-up-file PATH``
appends the name of each server given up on to PATH, so that scripts/run.sh can tell while it waits for the
servers that one will never answer. The supervisor exits 1 once every server is given up on.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from project_settings import SettingsError, get_settings

FIRST_DELAY_SECONDS = 1.0  # the back-off before the first restart, doubled for each further one
MAX_DELAY_SECONDS = 10.0
STOP_GRACE_SECONDS = 15.0  # a Rasa server stopping cleanly closes its tracker store within a few seconds
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class ServerSpec:
    """A server to keep running: the name the log lines use, and its command."""

    name: str
    command: tuple[str, ...]


@dataclass(frozen=True)
class RestartPolicy:
    """When a crashed server is restarted, and after how long."""

    max_restarts: int
    window_seconds: float
    first_delay: float = FIRST_DELAY_SECONDS
    max_delay: float = MAX_DELAY_SECONDS

    def delay(self, restart_number: int) -> float:
        """The back-off before restart number `restart_number` (1 for the first restart in the window)."""
        return min(self.first_delay * 2 ** (restart_number - 1), self.max_delay)


@dataclass
class _Server:
    spec: ServerSpec
    process: subprocess.Popen | None = None
    crashes: list[float] = field(default_factory=list)  # monotonic times of the crashes within the window
    restart_at: float | None = None
    given_up: bool = False


def exit_description(returncode: int) -> str:
    """``signal 9`` or ``exit code 1``: how a server ended, as the log lines say it."""
    return f"signal {-returncode}" if returncode < 0 else f"exit code {returncode}"


def log_line(message: str) -> None:
    """One supervision event, on stderr beside the servers' own logs."""
    print(f"supervisor: {message}", file=sys.stderr, flush=True)


class Supervisor:
    """Starts servers, restarts the ones that crash, stops them all on request.

    `run()` blocks until `request_stop()` (from a signal handler or another thread) or until every server is
    given up on; it returns the exit status for the command line.
    """

    def __init__(self, specs: Sequence[ServerSpec], policy: RestartPolicy,
                 log: Callable[[str], None] = log_line, given_up_file: Path | None = None,
                 grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        self._servers = [_Server(spec) for spec in specs]
        self._policy = policy
        self._log = log
        self._given_up_file = given_up_file
        self._grace_seconds = grace_seconds
        self._stopping = False

    def request_stop(self) -> None:
        """Asks `run()` to stop every server and return: safe from a signal handler, and more than once."""
        self._stopping = True

    def pids(self) -> dict[str, int]:
        """The process id of each server now running, by name."""
        return {server.spec.name: server.process.pid for server in self._servers
                if server.process is not None and server.process.poll() is None}

    def run(self) -> int:
        """Supervises until asked to stop (0) or until every server is given up on (1)."""
        for server in self._servers:
            self._start(server)
        try:
            while not self._stopping:
                now = time.monotonic()
                for server in self._servers:
                    self._check(server, now)
                if all(server.given_up for server in self._servers):
                    self._log("every server was given up on; stopping")
                    return 1
                time.sleep(POLL_SECONDS)
            return 0
        finally:
            self._stop_all()

    def _start(self, server: _Server) -> None:
        server.restart_at = None
        try:
            server.process = subprocess.Popen(server.spec.command, start_new_session=True)
        except OSError as error:  # a command that cannot run at all is a crash like any other
            server.process = None
            self._crashed(server, time.monotonic(), f"could not start ({error.strerror})")

    def _check(self, server: _Server, now: float) -> None:
        if server.given_up or self._stopping:  # a server that exits as we stop is never restarted
            return
        if server.restart_at is not None:
            if now >= server.restart_at:
                self._start(server)
            return
        if server.process is None or server.process.poll() is None:
            return
        _kill_group(server.process.pid, signal.SIGKILL)  # what it left behind would hold its port
        self._crashed(server, now, f"exited ({exit_description(server.process.returncode)})")

    def _crashed(self, server: _Server, now: float, what: str) -> None:
        server.crashes = [t for t in server.crashes if now - t < self._policy.window_seconds] + [now]
        restart_number = len(server.crashes)
        name = server.spec.name
        if restart_number > self._policy.max_restarts:
            server.given_up = True
            window, most = f"{self._policy.window_seconds:g}", self._policy.max_restarts
            self._log(f"{name} {what}; giving up on it: it crashed {restart_number} times within {window} s "
                      f"(SUPERVISE_MAX_RESTARTS={most}, SUPERVISE_WINDOW_SECONDS={window})")
            if self._given_up_file is not None:
                with self._given_up_file.open("a", encoding="utf-8") as given_up:
                    given_up.write(name + "\n")
            return
        delay = self._policy.delay(restart_number)
        server.restart_at = now + delay
        self._log(f"{name} {what}; restarting in {delay:g} s "
                  f"(restart {restart_number} of {self._policy.max_restarts})")

    def _stop_all(self) -> None:
        running = [server for server in self._servers
                   if server.process is not None and server.process.poll() is None]
        for server in running:
            _kill_group(server.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self._grace_seconds
        for server in running:
            try:
                server.process.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                self._log(f"{server.spec.name} did not stop within {self._grace_seconds:g} s; killing it")
        for server in self._servers:
            if server.process is not None:
                _kill_group(server.process.pid, signal.SIGKILL)  # the group's stragglers, and the late ones
                server.process.wait()


def _kill_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def parse_servers(argv: Sequence[str]) -> list[ServerSpec]:
    """``--server NAME -- CMD...`` repeated: each command runs until the next ``--server``."""
    specs: list[ServerSpec] = []
    rest = list(argv)
    while rest:
        if len(rest) < 3 or rest[0] != "--server" or rest[2] != "--":
            raise ValueError("expected --server NAME -- COMMAND... (repeated)")
        name, rest = rest[1], rest[3:]
        end = rest.index("--server") if "--server" in rest else len(rest)
        if end == 0:
            raise ValueError(f"no command for the server {name!r}")
        specs.append(ServerSpec(name, tuple(rest[:end])))
        rest = rest[end:]
    if not specs:
        raise ValueError("no server to supervise")
    return specs


def main(argv: Sequence[str] | None = None) -> int:
    """Supervises the servers named on the command line until SIGINT or SIGTERM."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m launch.supervisor", usage=__doc__.splitlines()[0])
    parser.add_argument("--given-up-file", type=Path)
    first_server = args.index("--server") if "--server" in args else len(args)
    options = parser.parse_args(args[:first_server])
    try:
        specs = parse_servers(args[first_server:])
        settings = get_settings()
    except (ValueError, SettingsError) as error:
        parser.error(str(error))
    policy = RestartPolicy(settings.supervise_max_restarts, settings.supervise_window_seconds)
    supervisor = Supervisor(specs, policy, given_up_file=options.given_up_file)
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Installed even where the shell started us with SIGINT ignored (a background job of a script).
        signal.signal(signum, lambda *_: supervisor.request_stop())
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
