"""Starts the real action server and Rasa server on free ports, for end-to-end tests and benchmarks."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from project_settings import config_files, given_values

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def default_settings(profile: str = "embedded") -> dict[str, str]:
    """config/defaults.env, with config/<profile>.env over it: the files scripts/run.sh reads."""
    return given_values({}, config_files(profile))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def current_model() -> Path:
    fingerprint = subprocess.run(
        [str(ROOT / "scripts" / "model_is_current.sh"), "--print"], capture_output=True, text=True, check=True
    ).stdout.strip()
    model = ROOT / "models" / f"impplus-{fingerprint}.tar.gz"
    if not model.exists():
        raise RuntimeError(f"no model for the current training data ({model.name}): run 'make train'")
    return model


def shared_dir() -> Path | None:
    """The shared/ folder beside the repository (eval sample, facts), if this checkout has it.

    IMPPLUS_SHARED_DIR names it; otherwise it is looked for beside this checkout, then beside the local
    checkout this one was cloned from (a clean clone made to test a working copy).
    """
    candidates = (os.environ.get("IMPPLUS_SHARED_DIR"), ROOT.parent / "shared", _origin_parent() / "shared")
    for candidate in candidates:
        if candidate and (Path(candidate) / "eval" / "converse.py").exists():
            return Path(candidate)
    return None


def _origin_parent() -> Path:
    """The folder holding the local repository this checkout was cloned from (ROOT's parent otherwise)."""
    origin = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"],
                            capture_output=True, text=True).stdout.strip()
    return Path(origin).resolve().parent if origin and Path(origin).is_dir() else ROOT.parent


@dataclass
class Assistant:
    """A running assistant: an action server, `replicas` Rasa servers and optionally the web page.

    The embedded profile keeps its SQLite tracker store in `workdir`; the scale-out profile uses the
    PostgreSQL and Redis of config/scale-out.env, with a lock-store key prefix of its own.
    """

    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    rasa_port: int = 0
    action_port: int = 0
    web_port: int = 0
    with_web: bool = False
    profile: str = "embedded"
    replicas: int = 1
    # Further Rasa servers started with the others (in parallel), each with its own settings over `env`.
    extra_rasa: list[dict[str, str]] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    rasa_processes: dict[int, subprocess.Popen] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def urls(self) -> list[str]:
        """Every Rasa server's URL, first one first."""
        return [f"http://127.0.0.1:{port}" for port in self.rasa_processes]

    def start(self, timeout: float = 180.0) -> Assistant:
        """Starts every server and waits until all of them answer."""
        self.launch()
        self.wait_ready(timeout)
        return self

    def launch(self) -> Assistant:
        """Starts every server and returns at once, so a test session can boot them while other tests run;
        `wait_ready` waits for them."""
        self.rasa_port = self.rasa_port or free_port()
        self.action_port = self.action_port or free_port()
        self.web_port = self.web_port or free_port()
        web_origins = f"http://localhost:{self.web_port},http://127.0.0.1:{self.web_port}"
        stores = (
            {"TRACKER_DB_URL": f"sqlite:///{self.workdir / 'tracker.db'}"}
            if self.profile == "embedded"
            else {"LOCK_STORE_KEY_PREFIX": f"test{os.getpid()}{self.rasa_port}"}
        )
        env = {
            **default_settings(self.profile),
            **os.environ,
            "WEB_ALLOWED_ORIGINS": web_origins,
            "PYTHONPATH": str(ROOT),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            **stores,
            "LEADS_DB_URL": f"sqlite:///{self.workdir / 'leads.db'}",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            **self.env,
        }
        self.settings = env
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._spawn(
            [str(VENV_BIN / "python"), "-m", "launch.action_server", "--actions", "actions",
             "-i", env["ACTION_HOST"], "-p", str(self.action_port)],
            env,
            "actions.log",
        )
        self.start_rasa(self.rasa_port)
        for _ in range(self.replicas - 1):
            self.start_rasa(free_port())
        for overrides in self.extra_rasa:
            self.start_rasa(free_port(), env=overrides)
        if self.with_web:
            self._spawn(
                [
                    str(VENV_BIN / "python"),
                    "web/serve.py",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.web_port),
                    "--rasa-url",
                    self.url,
                ],
                env,
                "web.log",
            )
        return self

    def start_rasa(self, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Starts one more Rasa server on `port` (returns at once; `wait_ready` waits for it).

        `env` overrides settings for this server only (e.g. {"RASA_ENABLE_API": "true", ...}). Rasa is
        started as scripts/run.sh starts it: launch.rasa_server adds the API, auth and CORS arguments.
        """
        command = [str(VENV_BIN / "python"), "-m", "launch.rasa_server", "-m", str(current_model()),
                   "-i", "127.0.0.1", "-p", str(port), "--endpoints", "endpoints.settings.yml",
                   "--credentials", "credentials.settings.yml"]
        log_name = "rasa.log" if port == self.rasa_port else f"rasa-{port}.log"
        process = self._spawn(command, {**self.settings, **(env or {})}, log_name)
        self.rasa_processes[port] = process
        return process

    def kill_rasa(self, url: str, hard: bool = False) -> None:
        """Stops the Rasa server at `url`: SIGTERM, or SIGKILL (`hard`) as a crash would."""
        port = int(url.rsplit(":", 1)[1])
        process = self.rasa_processes.pop(port)
        os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
        process.wait(timeout=30)
        self.processes.remove(process)

    def view(self, rasa_port: int) -> Assistant:
        """The same running servers, addressed at another of their Rasa servers (`url`, `say`).

        For tests given one Rasa server of a shared assistant; stopping it is the owner's job, not the view's.
        """
        return dataclasses.replace(self, rasa_port=rasa_port)

    def env_value(self, name: str) -> str:
        """A setting the servers were started with (after defaults and the environment)."""
        return self.settings[name]

    @property
    def web_url(self) -> str:
        """The demo page with the chat widget (when started with `with_web=True`)."""
        return f"http://127.0.0.1:{self.web_port}/"

    def _spawn(self, command: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a server exited early; see {self.workdir}")
            if all(self._answers(f"{url}/webhooks/rest/") for url in self.urls) and self._answers(
                f"http://127.0.0.1:{self.action_port}/health"
            ):
                return
            time.sleep(0.2)
        raise RuntimeError(f"the assistant did not start within {timeout:.0f} s; see {self.workdir}")

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
        self.rasa_processes.clear()

    def say(self, sender: str, message: str, url: str | None = None) -> list[dict]:
        """Sends one message over the REST channel (to the first Rasa server by default); returns replies."""
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            f"{url or self.url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode() or "[]")


def run_public_sample(url: str, json_out: Path) -> subprocess.CompletedProcess[str]:
    """Runs the shared checker (shared/eval/converse.py) over the public sample against `url`."""
    folder = shared_dir()
    if folder is None:
        raise FileNotFoundError("shared/eval is not beside this checkout")
    command = [
        sys.executable,
        str(folder / "eval" / "converse.py"),
        "--url",
        url,
        str(folder / "eval" / "public" / "sample.yml"),
        "--json",
        str(json_out),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
