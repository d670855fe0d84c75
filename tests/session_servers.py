"""Real servers started once per test session and shared by the suites that only talk to them.

Starting an action server and a Rasa server takes about 13 s, so the end-to-end suites share them:

- *shared*: one action server and three Rasa servers, for tests/e2e, tests/telegram, tests/security and
  tests/privacy:
  - the *default* Rasa server, with every setting of config/defaults.env (no HTTP API, no CORS, INFO logs,
    no Telegram token: the channel is off and its Bot API, a fake one, must never be called);
  - the *configured* one, with everything optional switched on: the HTTP API with a token and a JWT
    secret, CORS for one origin, and DEBUG logs (Rasa reads LOG_LEVEL);
  - the *telegram* one, with a token and a fake Bot API: the Telegram channel on.
- *faults*: servers of their own for tests/faults, which kill them;
- *restart*: the first assistant of tests/e2e/test_restart.py, which stops it.

tests/conftest.py launches them as soon as collection shows a test needs them, so they boot while the tests
collected before theirs run; a fixture then waits for them (`running`).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import Assistant, default_settings, free_port
from tests.telegram.fake_bot_api import FakeBotAPI

API_TOKEN = f"test-token-{secrets.token_hex(16)}"
JWT_SECRET = secrets.token_hex(32)
SHOP_ORIGIN = "http://shop.example"
FOREIGN_ORIGIN = "http://evil.example"
# The settings under test take their config/defaults.env value even if the developer's shell sets them.
_DEFAULTS_UNDER_TEST = ("RASA_ENABLE_API", "RASA_API_TOKEN", "RASA_JWT_SECRET", "RASA_JWT_METHOD",
                        "RASA_CORS_ORIGINS", "ACTION_HOST")
CONFIGURED = {
    "RASA_ENABLE_API": "true",
    "RASA_API_TOKEN": API_TOKEN,
    "RASA_JWT_SECRET": JWT_SECRET,
    "RASA_JWT_METHOD": "HS256",
    "RASA_CORS_ORIGINS": SHOP_ORIGIN,
    "LOG_LEVEL": "DEBUG",
}
TELEGRAM_TOKEN = "123456:TEST-token"
TELEGRAM_BOT_NAME = "impplus_test_bot"
START_TIMEOUT = 240.0


def _webhook(port: int) -> str:
    return f"http://127.0.0.1:{port}/webhooks/telegram/webhook"


@dataclass
class SessionServers:
    """A launched assistant, the fake Bot APIs it talks to and which Rasa server is which."""

    assistant: Assistant
    named_urls: dict[str, str] = field(default_factory=dict)
    bot_api: FakeBotAPI | None = None
    silent_bot_api: FakeBotAPI | None = None
    error: str | None = None
    ready: bool = False

    def url(self, name: str) -> str:
        return self.named_urls[name]


def _shared(workdir: Path, cleanups: list[Callable[[], None]]) -> SessionServers:
    bot_api = FakeBotAPI(TELEGRAM_TOKEN, TELEGRAM_BOT_NAME).start()
    cleanups.append(bot_api.stop)
    silent_bot_api = FakeBotAPI(TELEGRAM_TOKEN, TELEGRAM_BOT_NAME).start()
    cleanups.append(silent_bot_api.stop)
    defaults = default_settings()
    port = free_port()
    env = {
        **{name: defaults[name] for name in _DEFAULTS_UNDER_TEST},
        "PYTHONUNBUFFERED": "1",
        "TELEGRAM_TOKEN": "",
        "TELEGRAM_BOT_NAME": TELEGRAM_BOT_NAME,
        "TELEGRAM_WEBHOOK_URL": _webhook(port),
        "TELEGRAM_API_BASE_URL": silent_bot_api.url,
        # Email on, at an SMTP server that is down until a test starts one (tests/e2e/test_desk_flow.py).
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
        "SMTP_STARTTLS": "false",
        "LEADS_NOTIFY_EMAIL": "desk@example.org",
    }
    assistant = Assistant(workdir=workdir, rasa_port=port, env=env)
    servers = SessionServers(assistant, bot_api=bot_api, silent_bot_api=silent_bot_api)
    cleanups.append(assistant.stop)
    assistant.launch()
    configured, telegram = free_port(), free_port()
    assistant.start_rasa(configured, env=CONFIGURED)
    telegram_on = {"TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_URL": _webhook(telegram),
                   "TELEGRAM_API_BASE_URL": bot_api.url}
    assistant.start_rasa(telegram, env=telegram_on)
    servers.named_urls = {"default": assistant.url, "configured": f"http://127.0.0.1:{configured}",
                          "telegram": f"http://127.0.0.1:{telegram}"}
    return servers


def _faults(workdir: Path, cleanups: list[Callable[[], None]]) -> SessionServers:
    # A flood window longer than the tests, so what the limit lets through doesn't depend on timing.
    assistant = Assistant(workdir=workdir, env={"FLOOD_WINDOW_SECONDS": "3600"})
    cleanups.append(assistant.stop)
    assistant.launch()
    return SessionServers(assistant, named_urls={"default": assistant.url})


def _restart(workdir: Path, cleanups: list[Callable[[], None]]) -> SessionServers:
    # The first of the two assistants of tests/e2e/test_restart.py, which stops it and starts another.
    assistant = Assistant(workdir=workdir)
    cleanups.append(assistant.stop)
    assistant.launch()
    return SessionServers(assistant, named_urls={"default": assistant.url})


# Each launch, by the fixture whose use (anywhere in a test's fixture closure) means it is needed.
LAUNCHES: dict[str, Callable[[Path, list[Callable[[], None]]], SessionServers]] = {
    "e2e_servers": _shared,
    "fault_servers": _faults,
    "restart_servers": _restart,
}
_STARTED = pytest.StashKey[dict[str, SessionServers]]()
_KEEP_LOGS = pytest.StashKey[bool]()


def launch(config: pytest.Config, name: str) -> SessionServers:
    """Starts the servers of `name` (once per session) without waiting for them; stopped at the session's end.

    A failure is kept and reported by `running`, to the tests that need these servers only.
    """
    started = config.stash.setdefault(_STARTED, {})
    if name in started:
        return started[name]
    workdir = Path(tempfile.mkdtemp(prefix=f"impplus-{name}-"))
    cleanups: list[Callable[[], None]] = []

    def clean_up() -> None:
        for cleanup in reversed(cleanups):
            cleanup()
        if not config.stash.get(_KEEP_LOGS, False):
            shutil.rmtree(workdir, ignore_errors=True)

    config.add_cleanup(clean_up)
    try:
        started[name] = LAUNCHES[name](workdir, cleanups)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        started[name] = SessionServers(Assistant(workdir=workdir), error=f"{name} did not start: {exc}")
    return started[name]


def running(config: pytest.Config, name: str) -> SessionServers:
    """The servers of `name`, launched if collection did not, once they all answer."""
    servers = launch(config, name)
    if servers.error is None and not servers.ready:
        try:
            servers.assistant.wait_ready(START_TIMEOUT)
            servers.ready = True
        except RuntimeError as exc:
            servers.error = str(exc)
    if servers.error is not None:
        config.stash[_KEEP_LOGS] = True  # the logs are worth a look
        pytest.fail(servers.error)
    return servers
