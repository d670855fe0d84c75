"""launch/supervisor.py with tiny real servers: Python processes that crash, hang on, or leave children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from launch.supervisor import RestartPolicy, ServerSpec, Supervisor, parse_servers

ROOT = Path(__file__).resolve().parents[2]
FAST = RestartPolicy(max_restarts=3, window_seconds=60, first_delay=0.05, max_delay=0.1)


def python(code: str) -> tuple[str, ...]:
    return (sys.executable, "-c", code)


def records_pid(pid_file: Path, then: str = "import time; time.sleep(300)") -> tuple[str, ...]:
    """A server that appends its process id to `pid_file` once started, then runs `then`."""
    return python(f"import os\nwith open({str(pid_file)!r}, 'a') as f: f.write(f'{{os.getpid()}}\\n')\n"
                  + then)


def pids_in(pid_file: Path) -> list[int]:
    return [int(line) for line in pid_file.read_text().split()] if pid_file.exists() else []


def eventually(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never held")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for init to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


class Running:
    """A Supervisor run in a thread, its log lines collected."""

    def __init__(self, specs: list[ServerSpec], policy: RestartPolicy = FAST, **options: object) -> None:
        self.lines: list[str] = []
        self.supervisor = Supervisor(specs, policy, log=self.lines.append, **options)
        self.status: int | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.status = self.supervisor.run()

    def stop(self) -> int | None:
        self.supervisor.request_stop()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()
        return self.status


def test_a_killed_server_is_restarted_and_the_others_keep_running(tmp_path: Path) -> None:
    crashing, steady = tmp_path / "crashing.pids", tmp_path / "steady.pids"
    running = Running([ServerSpec("action server", records_pid(crashing)),
                       ServerSpec("desk", records_pid(steady))])
    try:
        eventually(lambda: len(pids_in(crashing)) == 1 and len(pids_in(steady)) == 1)
        os.kill(pids_in(crashing)[0], signal.SIGKILL)
        eventually(lambda: len(pids_in(crashing)) == 2)
        assert running.lines == ["action server exited (signal 9); restarting in 0.05 s (restart 1 of 3)"]
        now_running = {"action server": pids_in(crashing)[1], "desk": pids_in(steady)[0]}
        assert running.supervisor.pids() == now_running
    finally:
        assert running.stop() == 0
    assert len(pids_in(steady)) == 1, "the desk was never restarted"


def test_the_back_off_doubles_up_to_its_cap() -> None:
    policy = RestartPolicy(max_restarts=5, window_seconds=60)
    assert [policy.delay(n) for n in range(1, 6)] == [1, 2, 4, 8, 10]


def test_a_server_crashing_again_and_again_is_given_up_on_and_the_others_stay(tmp_path: Path) -> None:
    given_up, steady = tmp_path / "given-up", tmp_path / "steady.pids"
    running = Running([ServerSpec("notification worker", python("import sys; sys.exit(3)")),
                       ServerSpec("web page", records_pid(steady))], given_up_file=given_up)
    try:
        eventually(lambda: given_up.exists())
        assert running.lines == [
            "notification worker exited (exit code 3); restarting in 0.05 s (restart 1 of 3)",
            "notification worker exited (exit code 3); restarting in 0.1 s (restart 2 of 3)",
            "notification worker exited (exit code 3); restarting in 0.1 s (restart 3 of 3)",
            "notification worker exited (exit code 3); giving up on it: it crashed 4 times within 60 s "
            "(SUPERVISE_MAX_RESTARTS=3, SUPERVISE_WINDOW_SECONDS=60)",
        ]
        assert given_up.read_text() == "notification worker\n"
        assert running.thread.is_alive() and list(running.supervisor.pids()) == ["web page"]
    finally:
        assert running.stop() == 0


def test_when_every_server_is_given_up_on_the_supervisor_stops_with_status_1() -> None:
    running = Running([ServerSpec("desk", python("import sys; sys.exit(1)"))],
                      RestartPolicy(max_restarts=1, window_seconds=60, first_delay=0.01))
    running.thread.join(timeout=20)
    assert running.status == 1 and running.lines[-1] == "every server was given up on; stopping"


def test_a_command_that_cannot_run_is_a_crash_like_any_other(tmp_path: Path) -> None:
    running = Running([ServerSpec("desk", (str(tmp_path / "no-such-program"),))],
                      RestartPolicy(max_restarts=1, window_seconds=60, first_delay=0.01))
    running.thread.join(timeout=20)
    assert running.lines == [
        "desk could not start (No such file or directory); restarting in 0.01 s (restart 1 of 1)",
        "desk could not start (No such file or directory); giving up on it: it crashed 2 times within 60 s "
        "(SUPERVISE_MAX_RESTARTS=1, SUPERVISE_WINDOW_SECONDS=60)",
        "every server was given up on; stopping",
    ]


def test_crashes_older_than_the_window_no_longer_count(tmp_path: Path) -> None:
    """A window shorter than the back-off: every crash is the first of its window, restarted forever."""
    running = Running([ServerSpec("desk", python("import sys; sys.exit(2)"))],
                      RestartPolicy(max_restarts=1, window_seconds=0.01, first_delay=0.05))
    try:
        eventually(lambda: len(running.lines) >= 4)
        assert set(running.lines) == {"desk exited (exit code 2); restarting in 0.05 s (restart 1 of 1)"}
    finally:
        running.stop()


def test_stopping_never_restarts_a_server_and_kills_one_that_ignores_sigterm(tmp_path: Path) -> None:
    polite, stubborn = tmp_path / "polite.pids", tmp_path / "stubborn.pids"
    exits_1_on_term = ("import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *_: sys.exit(1))\n"
                       "time.sleep(300)")
    ignores_term = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(300)"
    running = Running([ServerSpec("desk", records_pid(polite, exits_1_on_term)),
                       ServerSpec("web page", records_pid(stubborn, ignores_term))], grace_seconds=0.5)
    eventually(lambda: pids_in(polite) and pids_in(stubborn))
    eventually(lambda: len(running.supervisor.pids()) == 2)
    assert running.stop() == 0
    assert running.lines == ["web page did not stop within 0.5 s; killing it"]
    assert not alive(pids_in(polite)[0]) and not alive(pids_in(stubborn)[0])
    assert len(pids_in(polite)) == 1, "the desk was not started again"


def test_the_command_line_stops_every_server_and_its_children_on_sigint(tmp_path: Path) -> None:
    """As scripts/run.sh starts it: a background job, SIGINT ignored until the supervisor takes it."""
    child_pids, grandchild_pids = tmp_path / "child.pids", tmp_path / "grandchild.pids"
    leaves_a_child = (f"import subprocess, sys\nsubprocess.Popen({list(records_pid(grandchild_pids))!r})\n"
                      "import time; time.sleep(300)")
    command = [sys.executable, "-m", "launch.supervisor",
               "--server", "Rasa server on port 5005", "--", *records_pid(child_pids, leaves_a_child),
               "--server", "desk", "--", *python("import sys; sys.exit(4)")]
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "SUPERVISE_MAX_RESTARTS": "1", "SUPERVISE_WINDOW_SECONDS": "60"}
    log = tmp_path / "supervisor.log"
    with log.open("w") as stderr_file:
        supervisor = subprocess.Popen(command, cwd=ROOT, env=env, stderr=stderr_file,
                                      preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        eventually(lambda: pids_in(child_pids) and pids_in(grandchild_pids) and log.read_text())
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=30) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    stderr = log.read_text()
    first_crash = "supervisor: desk exited (exit code 4); restarting in 1 s (restart 1 of 1)"
    assert stderr.splitlines()[0] == first_crash
    assert all(line.startswith("supervisor: desk exited (exit code 4); ") for line in stderr.splitlines())
    eventually(lambda: not alive(pids_in(child_pids)[0]) and not alive(pids_in(grandchild_pids)[0]))
    assert len(pids_in(child_pids)) == 1


@pytest.mark.parametrize("argv", [[], ["--server", "desk"], ["--server", "desk", "--"], ["desk", "--", "x"]])
def test_a_wrong_command_line_is_refused(argv: list[str]) -> None:
    with pytest.raises(ValueError):
        parse_servers(argv)


def test_each_command_runs_until_the_next_server() -> None:
    assert parse_servers(["--server", "web page", "--", "python", "web/serve.py", "--port", "1",
                          "--server", "desk", "--", "python", "-m", "desk"]) == [
        ServerSpec("web page", ("python", "web/serve.py", "--port", "1")),
        ServerSpec("desk", ("python", "-m", "desk")),
    ]
