"""The Telegram channel in-process, against the fake Bot API: update parsing, the `verify` check, the
language metadata and the keyboards, without starting Rasa."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from channels.telegram import (
    SECRET_HEADER,
    ConfigurableTelegramInput,
    ConfigurableTelegramOutput,
    carries_secret,
    parse_update,
    secret_token_for,
)
from tests.telegram.conftest import BOT_NAME, TOKEN
from tests.telegram.fake_bot_api import FakeBotAPI

USER = {"id": 42, "is_bot": False, "first_name": "Camille", "language_code": "fr-CA"}
CHAT = {"id": 42, "first_name": "Camille", "type": "private"}


def message(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "update_id": 1,
        "message": {"message_id": 5, "from": USER, "chat": CHAT, "date": 0, "text": text, **extra},
    }


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        (message("Bonjour"), ("Bonjour", "fr")),
        (message("/start"), ("/greet", "fr")),
        (message(f"/start@{BOT_NAME} campaign"), ("/greet", "fr")),
        (message(f"/check_eligibility@{BOT_NAME}"), ("/check_eligibility", "fr")),
        (message("/restart"), ("/restart", "fr")),
        ({"update_id": 2, "edited_message": message("I live in Lyon")["message"]}, ("I live in Lyon", "fr")),
        (
            {
                "update_id": 3,
                "callback_query": {"id": "9", "from": {**USER, "language_code": "en"}, "data": "/deny"},
            },
            ("/deny", "en"),
        ),
    ],
)
def test_updates_become_messages(update: dict[str, Any], expected: tuple[str, str]) -> None:
    incoming = parse_update(update, BOT_NAME)
    assert incoming is not None and incoming.chat_id == 42
    assert (incoming.text, incoming.language) == expected


def test_only_english_and_french_are_passed_on() -> None:
    for code, language in (("en-US", "en"), ("FR", "fr"), ("de", None), ("", None)):
        update = message("hi")
        update["message"]["from"] = {**USER, "language_code": code}
        assert parse_update(update).language == language  # type: ignore[union-attr]


def test_a_location_becomes_rasa_s_lng_lat_message() -> None:
    update = message("x")
    del update["message"]["text"]
    update["message"]["location"] = {"longitude": 4.85, "latitude": 45.75}
    assert parse_update(update).text == '{"lng":4.85, "lat":45.75}'  # type: ignore[union-attr]


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    running = FakeBotAPI(TOKEN, BOT_NAME).start()
    yield running
    running.stop()


def handle(channel: ConfigurableTelegramInput, update: dict[str, Any]) -> tuple[str, list[UserMessage]]:
    received: list[UserMessage] = []

    async def on_new_message(user_message: UserMessage) -> None:
        received.append(user_message)

    async def run() -> str:
        reply = await channel._handle(SimpleNamespace(body=json.dumps(update).encode()), on_new_message)
        await channel.get_output_channel().close_session()  # type: ignore[union-attr]
        return reply.body.decode()

    return asyncio.run(run()), received


def test_messages_carry_the_language_and_button_taps_are_answered(api: FakeBotAPI) -> None:
    channel = ConfigurableTelegramInput(TOKEN, BOT_NAME, None, api_base_url=api.url)
    tap = {
        "update_id": 3,
        "callback_query": {
            "id": "77",
            "from": USER,
            "message": message("?")["message"],
            "chat_instance": "-5",
            "data": "/affirm",
        },
    }
    body, received = handle(channel, tap)
    assert body == "success"
    [user_message] = received
    assert (user_message.text, user_message.sender_id, user_message.input_channel) == (
        "/affirm",
        "42",
        "telegram",
    )
    assert user_message.metadata == {"language": "fr"}
    assert api.calls_to("answerCallbackQuery") == [{"callback_query_id": "77"}]


def test_restart_starts_again_with_a_greeting(api: FakeBotAPI) -> None:
    channel = ConfigurableTelegramInput(TOKEN, BOT_NAME, None, api_base_url=api.url)
    _, received = handle(channel, message("/restart"))
    assert [m.text for m in received] == ["/restart", "/greet"]


def test_messages_for_another_bot_are_ignored_as_rasa_does(api: FakeBotAPI) -> None:
    channel = ConfigurableTelegramInput(TOKEN, "someone_elses_bot", None, api_base_url=api.url)
    body, received = handle(channel, message("hello"))
    assert body == "failed" and received == []


@pytest.mark.parametrize("token", ["", "   ", None, "not-a-token"])
def test_no_usable_token_leaves_the_channel_off(token: str | None) -> None:
    channel = ConfigurableTelegramInput.from_credentials({"access_token": token, "verify": BOT_NAME})
    assert isinstance(channel, ConfigurableTelegramInput)
    assert not channel.enabled and channel.get_output_channel() is None and channel.off_reason
    assert asyncio.run(channel.set_webhook()) == channel.off_reason


def test_keyboards_fit_a_phone_and_telegram_s_limits(api: FakeBotAPI) -> None:
    async def run() -> None:
        output = ConfigurableTelegramOutput(TOKEN, api.url)
        short = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
        long = [
            {"title": "Regular Skilled Worker Program (PRTQ)", "payload": "/a"},
            {"title": "Other", "payload": "/b"},
        ]
        too_long = [*short, {"title": "Too long", "payload": "/inform" + "x" * 64}]
        await output.send_text_with_buttons("42", "short", short)
        await output.send_text_with_buttons("42", "long", long)
        await output.send_text_with_buttons("42", "too long", too_long)
        await output.send_text_with_buttons("42", "reply", short, button_type="reply")
        await output.send_text_message("42", "One.\n\n\n\nTwo.\n\n ")
        await output.close_session()

    asyncio.run(run())
    rows = {sent.text: (sent.reply_markup or {}).get("inline_keyboard") for sent in api.sent}
    assert [len(row) for row in rows["short"]] == [2]
    assert [len(row) for row in rows["long"]] == [1, 1]
    assert [b["callback_data"] for row in rows["too long"] for b in row] == ["/affirm", "/deny"]
    assert "keyboard" in api.sent[3].reply_markup  # type: ignore[operator]
    assert [sent.text for sent in api.sent[4:]] == ["One.", "Two."]
    assert len(api.calls_to("sendMessage")) == len(api.sent), "the API refused nothing"


def test_the_derived_secret_is_the_same_on_every_server_and_valid_for_telegram() -> None:
    derived = secret_token_for(TOKEN)
    assert derived == secret_token_for(TOKEN, "") == secret_token_for(TOKEN, None)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", derived)
    assert derived != secret_token_for("654321:OTHER-token") and TOKEN not in derived
    assert secret_token_for(TOKEN, "  my_Secret-1 ") == "my_Secret-1"


@pytest.mark.parametrize("configured", ["has space", "été", "x" * 257, "semi;colon"])
def test_a_secret_telegram_would_refuse_leaves_the_channel_off(configured: str) -> None:
    channel = ConfigurableTelegramInput(TOKEN, BOT_NAME, None, webhook_secret=configured)
    assert not channel.enabled and "TELEGRAM_WEBHOOK_SECRET" in (channel.off_reason or "")
    assert configured not in (channel.off_reason or "")


def test_only_the_exact_secret_is_accepted() -> None:
    secret = secret_token_for(TOKEN)
    assert carries_secret({SECRET_HEADER: secret}, secret)
    for headers in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: secret[:-1]}, {SECRET_HEADER: "é" + secret[1:]},
                    {"X-Other": secret}):
        assert not carries_secret(headers, secret), headers


@pytest.mark.parametrize("configured", [None, "configured_Secret-42"])
def test_set_webhook_registers_the_secret(
    api: FakeBotAPI, configured: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    url = "https://bot.example/webhooks/telegram/webhook"
    channel = ConfigurableTelegramInput(TOKEN, BOT_NAME, url, api_base_url=api.url, webhook_secret=configured)

    async def run() -> str | None:
        error = await channel.set_webhook()
        await channel.get_output_channel().close_session()  # type: ignore[union-attr]
        return error

    with caplog.at_level(logging.DEBUG):
        assert asyncio.run(run()) is None
    [call] = api.calls_to("setWebhook")
    secret = configured or secret_token_for(TOKEN)
    assert call["url"] == url and call["secret_token"] == secret
    assert "setWebhook" in caplog.text and secret not in caplog.text, "no log line shows the secret"
    assert json.loads(call["allowed_updates"]) == ["message", "edited_message", "callback_query"]
