"""The real scripts/run.sh keeps the assistant up: a server killed with SIGKILL comes back by itself.

Each test starts scripts/run.sh on free ports (as `make run` / `make run-scale` do), kills one server as a
crash would, and checks that the others keep answering, that a new one answers and that whole conversations
work again; then Ctrl-C stops everything, leaving no process behind. How long the new server took is
printed, not asserted (tests check correctness; on an idle machine it is well within the 30 s promised, but
a loaded one can take longer just to load Rasa's model).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from i18n.catalog import text
from tests.e2e.test_conversations import asks, texts
from tests.local_services import local_postgres_fixture, local_redis_fixture, scale_out_env  # noqa: F401
from tests.servers import Assistant, free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300.0  # also how long a killed server may take to answer again
BANNER = "The IMP+ assistant is running"


def _processes() -> dict[int, tuple[int, str]]:
    """Every process: its parent's id and its command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        found[int(entry.name)] = (parent, command)
    return found


def descendants(pid: int) -> dict[int, str]:
    """The processes started, directly or not, by process `pid`: id and command line."""
    processes, found, parents = _processes(), {}, {pid}
    while parents:
        children = {child: command for child, (parent, command) in processes.items()
                    if parent in parents and child not in found}
        found.update(children)
        parents = set(children)
    return found


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for init to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], what: str, timeout: float) -> float:
    """Waits until `condition()` holds; returns how many seconds that took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


@dataclass
class RunScript:
    """scripts/run.sh running in a session of its own, its output in `log`."""

    process: subprocess.Popen
    log: Path
    client: Assistant  # only to talk to the servers (say, url); run.sh started them, not this

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def server_pid(self, *command_parts: str) -> int:
        """The process id of the server whose command line holds every one of `command_parts` (the
        supervisor's own, which holds every server's, aside)."""
        matching = [pid for pid, command in descendants(self.process.pid).items()
                    if all(part in command.split() for part in command_parts)
                    and "launch.supervisor" not in command.split()]
        assert len(matching) == 1, f"{command_parts}: {matching}"
        return matching[0]

    def interrupt(self) -> None:
        """Ctrl-C: SIGINT to the script's process group (the script and the supervisor, as in a terminal)."""
        os.killpg(self.process.pid, signal.SIGINT)


StartRun = Callable[..., RunScript]  # (profile, rasa_ports, env, until_ready=True)


@pytest.fixture
def run_script(tmp_path: Path) -> Iterator[StartRun]:
    started: list[RunScript] = []

    def start(profile: str, rasa_ports: list[int], env: dict[str, str],
              until_ready: bool = True) -> RunScript:
        action_port = free_port()
        settings = {
            "RASA_PORTS": ",".join(map(str, rasa_ports)), "ACTION_PORT": str(action_port),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "WEB_PORT": str(free_port()), "DESK_PORT": str(free_port()), "SHELL_PORT": str(free_port()),
            "TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
            "LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
            "LOCAL_SERVICES": "", **env,
        }
        log = tmp_path / "run.log"
        with log.open("wb") as output:
            process = subprocess.Popen(["scripts/run.sh", *([profile] if profile != "embedded" else [])],
                                       cwd=ROOT, env={**os.environ, **settings}, stdout=output,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        client = Assistant(workdir=tmp_path, rasa_port=rasa_ports[0], action_port=action_port)
        run = RunScript(process, log, client)
        started.append(run)
        if not until_ready:
            return run
        wait_for(lambda: BANNER in run.output() or process.poll() is not None, "run.sh printed its banner",
                 START_TIMEOUT)
        assert process.poll() is None, run.output()
        wait_for(lambda: answers(f"http://127.0.0.1:{action_port}/health"), "the action server answered",
                 START_TIMEOUT)
        return run

    yield start
    for run in started:
        if run.process.poll() is None:
            os.killpg(run.process.pid, signal.SIGTERM)
            try:
                run.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(run.process.pid, signal.SIGKILL)


def eligible_person_conversation(client: Assistant, url: str | None = None) -> str:
    """The English eligible person of tests/e2e/test_conversations.py, from hello to the verdict."""
    sender = f"supervised-{uuid.uuid4().hex[:8]}"
    turns = [
        ("Hi, can you check if I qualify for IMP+?", "residence"),
        ("I live in Lyon, France", "has_csq"),
        ("yes", "csq_program"),
        ("the regular skilled worker program", "csq_valid"),
        ("yes it's still valid", "pr_applied"),
        ("yes", "pr_decision"),
        ("no decision so far, still waiting", "has_invitation"),
        ("yes, I got the letter from MIFI", "application_complete"),
    ]
    for message, question in turns:
        reply = texts(client.say(sender, message, url))
        assert asks(reply, question), reply
    return texts(client.say(sender, "yes", url))


def stops_cleanly(run: RunScript) -> None:
    """Ctrl-C: run.sh exits 0 and no process it started is left."""
    children = descendants(run.process.pid)
    assert any("launch.supervisor" in command for command in children.values())
    run.interrupt()
    assert run.process.wait(timeout=90) == 0, run.output()
    wait_for(lambda: not any(alive(pid) for pid in children), "every server stopped", 30)


def test_a_killed_action_server_is_restarted_and_conversations_carry_on(run_script: StartRun) -> None:
    run = run_script("embedded", [free_port()], {})
    assert "supervised" in run.output().lower()
    sender = f"kill-actions-{uuid.uuid4().hex[:6]}"
    assert "where do you live" in texts(run.client.say(sender, "am I eligible for IMP+?")).lower()

    killed = run.server_pid("launch.action_server")
    os.kill(killed, signal.SIGKILL)
    killed_at = time.monotonic()
    # The Rasa server still answers, with the apology the guard gives while the actions are away.
    assert texts(run.client.say(sender, "I live in Lyon, France")) == text("en", "guard.unavailable")

    action_health = f"http://127.0.0.1:{run.client.action_port}/health"
    wait_for(lambda: answers(action_health), "a new action server answered", START_TIMEOUT)
    print(f"a new action server answered {time.monotonic() - killed_at:.1f} s after the kill")
    assert run.server_pid("launch.action_server") != killed
    assert "supervisor: action server exited (signal 9); restarting in 1 s (restart 1 of" in run.output()
    # The conversation carries on where it was, and a whole new one reaches its verdict.
    assert "Selection Certificate" in texts(run.client.say(sender, "I live in Lyon, France"))
    assert "appear to be eligible" in eligible_person_conversation(run.client)
    stops_cleanly(run)


def test_a_killed_rasa_server_of_the_scale_out_profile_is_restarted(
        run_script: StartRun, local_postgres_url: str, local_redis_url: str) -> None:
    first, second = free_port(), free_port()
    # PostgreSQL and Redis shared by both Rasa servers; the leads stay in the test's own SQLite file.
    env = {name: value for name, value in scale_out_env().items() if name != "LEADS_DB_URL"}
    env["LOCK_STORE_KEY_PREFIX"] = f"supervised{os.getpid()}{second}"
    run = run_script("scale-out", [first, second], env)
    second_url = f"http://127.0.0.1:{second}"
    sender = f"kill-rasa-{uuid.uuid4().hex[:6]}"
    assert "where do you live" in texts(run.client.say(sender, "am I eligible for IMP+?", second_url)).lower()

    killed = run.server_pid("launch.rasa_server", str(second))
    os.kill(killed, signal.SIGKILL)
    killed_at = time.monotonic()
    # The other Rasa server answers meanwhile, and takes the conversation on (shared tracker store).
    assert "Selection Certificate" in texts(run.client.say(sender, "I live in Lyon, France"))

    wait_for(lambda: answers(f"{second_url}/webhooks/rest/"), "a new Rasa server answered", START_TIMEOUT)
    print(f"a new Rasa server answered {time.monotonic() - killed_at:.1f} s after the kill")
    assert run.server_pid("launch.rasa_server", str(second)) != killed
    assert f"supervisor: Rasa server on port {second} exited (signal 9); restarting in 1 s" in run.output()
    assert "appear to be eligible" in eligible_person_conversation(run.client, second_url)
    stops_cleanly(run)


def test_a_server_that_cannot_start_is_given_up_on_and_run_sh_says_which(run_script: StartRun) -> None:
    port = free_port()
    crashing = {"RASA_EXTRA_ARGS": "--no-such-option", "SUPERVISE_MAX_RESTARTS": "1"}
    run = run_script("embedded", [port], crashing, until_ready=False)
    assert run.process.wait(timeout=START_TIMEOUT) == 1
    lines = run.output().splitlines()
    server = f"Rasa server on port {port}"
    assert f"supervisor: {server} exited (exit code 2); restarting in 1 s (restart 1 of 1)" in lines
    assert f"A server failed to start: Rasa server on port {port} (see the lines above)." in lines
    assert BANNER not in run.output()
    action_port = str(run.client.action_port)
    leftovers = [pid for pid, (_, command) in _processes().items() if action_port in command.split()]
    assert leftovers == [], "the servers that did start were stopped"
