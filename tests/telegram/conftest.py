"""The session's shared assistant (tests/session_servers.py) as the Telegram tests see it: one Rasa server
with the Telegram channel pointed at a fake Bot API, and the default one: no token, channel off."""

from __future__ import annotations

import time

import pytest

from tests.servers import ROOT, Assistant
from tests.session_servers import TELEGRAM_BOT_NAME, TELEGRAM_TOKEN, SessionServers
from tests.telegram.fake_bot_api import FakeBotAPI

TOKEN = TELEGRAM_TOKEN
BOT_NAME = TELEGRAM_BOT_NAME
CHANNEL = "channels.telegram.ConfigurableTelegramInput"
WEBHOOK_SET_TIMEOUT = 30.0


def _require_channel_in_credentials() -> None:
    if CHANNEL not in (ROOT / "credentials.settings.yml").read_text(encoding="utf-8"):
        pytest.fail(f"credentials.settings.yml has no {CHANNEL} block: the Telegram channel is off")


@pytest.fixture(scope="session")
def bot_api(e2e_servers: SessionServers) -> FakeBotAPI:
    assert e2e_servers.bot_api is not None
    return e2e_servers.bot_api


@pytest.fixture(scope="session")
def telegram_assistant(e2e_servers: SessionServers, bot_api: FakeBotAPI) -> Assistant:
    """The assistant with Telegram on; its webhook URL was known before it started (its port was chosen).

    Ready once it has registered its webhook: updates carry the secret_token it registered then.
    """
    _require_channel_in_credentials()
    port = int(e2e_servers.url("telegram").rsplit(":", 1)[1])
    deadline = time.monotonic() + WEBHOOK_SET_TIMEOUT
    while not bot_api.webhook_secret and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bot_api.webhook_secret, "the Telegram channel did not register its webhook with a secret_token"
    return e2e_servers.assistant.view(port)


@pytest.fixture(scope="session")
def silent_bot_api(e2e_servers: SessionServers) -> FakeBotAPI:
    """A Bot API that the assistant with Telegram off must never call."""
    assert e2e_servers.silent_bot_api is not None
    return e2e_servers.silent_bot_api


@pytest.fixture(scope="session")
def assistant_without_token(e2e_servers: SessionServers) -> Assistant:
    """The assistant as shipped (config/defaults.env): no token, so the Telegram channel is off."""
    _require_channel_in_credentials()
    return e2e_servers.assistant
