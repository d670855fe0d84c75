"""A fake Bot API and the real assistant with its Telegram channel pointed at it; one more with it off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import ROOT, Assistant, free_port
from tests.telegram.fake_bot_api import FakeBotAPI

TOKEN = "123456:TEST-token"
BOT_NAME = "impplus_test_bot"
CHANNEL = "channels.telegram.ConfigurableTelegramInput"


def _require_channel_in_credentials() -> None:
    if CHANNEL not in (ROOT / "credentials.settings.yml").read_text(encoding="utf-8"):
        pytest.fail(f"credentials.settings.yml has no {CHANNEL} block: the Telegram channel is not configured")


@pytest.fixture(scope="session")
def bot_api() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI(TOKEN, BOT_NAME).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def telegram_assistant(tmp_path_factory: pytest.TempPathFactory, bot_api: FakeBotAPI) -> Iterator[Assistant]:
    """The assistant with Telegram on; its webhook URL is known before it starts (its port is chosen)."""
    _require_channel_in_credentials()
    port = free_port()
    running = Assistant(
        workdir=tmp_path_factory.mktemp("telegram"),
        rasa_port=port,
        env={
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_BOT_NAME": BOT_NAME,
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
            "TELEGRAM_API_BASE_URL": bot_api.url,
        },
    ).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def silent_bot_api() -> Iterator[FakeBotAPI]:
    """A Bot API that the assistant with Telegram off must never call."""
    api = FakeBotAPI(TOKEN, BOT_NAME).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def assistant_without_token(
    tmp_path_factory: pytest.TempPathFactory, silent_bot_api: FakeBotAPI
) -> Iterator[Assistant]:
    """The assistant as shipped (config/defaults.env): no token, so the Telegram channel is off."""
    _require_channel_in_credentials()
    port = free_port()
    running = Assistant(
        workdir=tmp_path_factory.mktemp("telegram_off"),
        rasa_port=port,
        env={
            "TELEGRAM_TOKEN": "",
            "TELEGRAM_BOT_NAME": BOT_NAME,
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
            "TELEGRAM_API_BASE_URL": silent_bot_api.url,
        },
    ).start()
    yield running
    running.stop()
