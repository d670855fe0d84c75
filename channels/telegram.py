"""Telegram channel: Rasa's own, made configurable, quiet when off and robust to any update.

Rasa's `TelegramInput` talks to the fixed https://api.telegram.org, calls `setWebhook` while the app is
still being built (in a throw-away event loop, which also binds the HTTP session to a closed loop), raises
on updates it doesn't expect (a 500 makes Telegram resend the same update again and again) and ignores
the person's Telegram language. This subclass keeps its behaviour otherwise:

- `api_base_url`: every Bot API call goes to this server (a self-hosted Bot API server, or a fake in tests);
- an empty `access_token` leaves the channel off: its routes say so and nothing touches the network;
- the webhook answers 200 to every POST and ignores what it can't use;
- `from.language_code` (en / fr only) is sent as `metadata.language`, which seeds the conversation
  language until the person writes enough to show theirs (`actions/screening.py`);
- buttons are inline keyboards; a tap (callback query) is acknowledged and its data becomes the message;
- `verify` (the bot's username) is still checked against `getMe`, as Rasa does, but `getMe` is called once;
- the webhook is registered with a `secret_token` (TELEGRAM_WEBHOOK_SECRET, or one derived from the bot
  token so every server of a cluster agrees), and an update without that secret in the
  `X-Telegram-Bot-Api-Secret-Token` header gets 403: anyone who finds the webhook URL could otherwise
  talk as any Telegram user. aiogram 2.15's `set_webhook` has no `secret_token`, so setWebhook is called
  through the Bot API request itself.

Credentials (credentials.yml): access_token, verify, webhook_url, api_base_url (the secret is a setting).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram.bot.api import Methods, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guarded_turn import agent_of, shared_turn
from i18n.languages import SUPPORTED
from project_settings import get_settings

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
# The only updates the channel uses; asking Telegram for these alone spares it posting the rest.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Telegram's limits: a message's text, and a button's callback_data (in bytes).
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
# Inline buttons share one row only when their titles fit a phone's width; otherwise one per row.
ONE_ROW_MAX_CHARS = 30
# Telegram's Start button sends "/start": the assistant has no such intent, so it greets instead.
START_COMMAND = "/start"
START_INTENT = f"{INTENT_MESSAGE_PREFIX}greet"
SET_WEBHOOK_TIMEOUT = 15.0
# Telegram sends the webhook's secret_token in this header with every update.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What Telegram accepts as a secret_token.
SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Derives the secret from the bot token when TELEGRAM_WEBHOOK_SECRET is empty (HMAC-SHA256, hex: 64 chars).
SECRET_DERIVATION_LABEL = b"impplus-telegram-webhook"


class ConfigurableTelegramOutput(TelegramOutput):
    """Rasa's Telegram output, sending to a configurable Bot API server."""

    def __init__(self, access_token: str, api_base_url: str | None = None) -> None:
        super().__init__(access_token)
        self.server = TelegramAPIServer.from_base(api_base_url or DEFAULT_API_BASE_URL)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Sends each paragraph as a message, as Rasa does, skipping empty ones Telegram would refuse."""
        for part in text.strip().split("\n\n"):
            part = part.strip()
            for start in range(0, len(part), MAX_TEXT_LENGTH):
                await self.send_message(recipient_id, part[start : start + MAX_TEXT_LENGTH])

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        """An inline keyboard: one row if the titles fit, else one button per row (long titles get cut).

        A payload over Telegram's 64-byte callback_data limit would make it refuse the whole message,
        so such a button is left out (and logged) rather than losing the question.
        """
        usable = [button for button in buttons if _fits_callback_data(button)]
        if len(usable) < len(buttons):
            logger.warning("Telegram: left out buttons whose payload exceeds 64 bytes: %s", buttons)
        if not usable:
            await self.send_text_message(recipient_id, text)
            return
        if button_type is not None:
            await super().send_text_with_buttons(recipient_id, text, usable, button_type, **kwargs)
            return
        markup = InlineKeyboardMarkup()
        keys = [InlineKeyboardButton(b["title"], callback_data=b["payload"]) for b in usable]
        if sum(len(str(b["title"])) for b in usable) <= ONE_ROW_MAX_CHARS:
            markup.row(*keys)
        else:
            for key in keys:
                markup.row(key)
        await self.send_message(recipient_id, text, reply_markup=markup)

    async def close_session(self) -> None:
        """Closes the HTTP session (if one was opened) so shutdown leaves no unclosed connection."""
        if self._session is not None and not self._session.closed:
            await self._session.close()


def _fits_callback_data(button: dict[str, Any]) -> bool:
    return 1 <= len(str(button.get("payload") or "").encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES


def secret_token_for(access_token: str, configured: str | None = None) -> str:
    """The webhook's secret_token: `configured` (TELEGRAM_WEBHOOK_SECRET) if set, else derived from the
    bot token, so every server of a cluster registers and expects the same one without another setting.

    Raises ValueError when `configured` is not what Telegram accepts (1-256 of A-Z a-z 0-9 _ -).
    """
    configured = (configured or "").strip()
    if configured:
        if not SECRET_TOKEN_PATTERN.fullmatch(configured):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return configured
    return hmac.new(access_token.encode("utf-8"), SECRET_DERIVATION_LABEL, hashlib.sha256).hexdigest()


class SecretRedaction(logging.Filter):
    """Masks the webhook secrets in aiogram's DEBUG lines, which print every request's parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "[secret_token]")
            record.msg, record.args = message, ()
        return True


_REDACTION = SecretRedaction()
logging.getLogger("aiogram").addFilter(_REDACTION)


def carries_secret(headers: Any, secret: str) -> bool:
    """Whether an update's headers carry the webhook's secret (compared in constant time)."""
    received = str(headers.get(SECRET_HEADER) or "")
    return hmac.compare_digest(received.encode("utf-8", "backslashreplace"), secret.encode("utf-8"))


@dataclass(frozen=True)
class Incoming:
    """What the assistant needs from one Telegram update."""

    chat_id: int | str
    text: str
    language: str | None = None
    callback_query_id: str | None = None


def parse_update(update: Any, bot_username: str | None = None) -> Incoming | None:
    """The message in an update (text, button tap, edit or location), or None for anything else.

    Reads the plain JSON rather than aiogram's types, which accept anything and then fail on access.
    """
    if not isinstance(update, dict):
        return None
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message = _dict(callback.get("message"))
        chat_id = _dict(message.get("chat")).get("id") or _dict(callback.get("from")).get("id")
        data = callback.get("data")
        if not isinstance(data, str) or not data or not _is_id(chat_id):
            return None
        callback_id = callback.get("id")
        return Incoming(
            chat_id,
            data,
            _language(callback.get("from")),
            str(callback_id) if callback_id is not None else None,
        )
    for key in ("message", "edited_message"):
        message = update.get(key)
        if isinstance(message, dict):
            break
    else:
        return None
    chat_id = _dict(message.get("chat")).get("id")
    if not _is_id(chat_id):
        return None
    text = message.get("text")
    location = _dict(message.get("location"))
    if isinstance(text, str) and text.strip():
        text = _command(text.strip(), bot_username)
    elif key == "message" and _is_number(location.get("longitude")) and _is_number(location.get("latitude")):
        text = f'{{"lng":{location["longitude"]}, "lat":{location["latitude"]}}}'
    else:
        return None
    return Incoming(chat_id, text, _language(message.get("from")))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_id(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _language(user: Any) -> str | None:
    """The person's Telegram app language ("fr", "fr-CA"…), if it is one the assistant speaks."""
    code = str(_dict(user).get("language_code") or "").split("-")[0].lower()
    return code if code in SUPPORTED else None


def _command(text: str, bot_username: str | None) -> str:
    """Drops the "@botname" groups add to commands; Telegram's "/start" becomes a greeting."""
    if not text.startswith("/"):
        return text
    command, _, rest = text.partition(" ")
    name, _, addressee = command.partition("@")
    if addressee and bot_username and addressee.lower() == bot_username.lower():
        command = name
    if command.lower() == START_COMMAND:
        return START_INTENT
    return f"{command} {rest}".strip()


class ConfigurableTelegramInput(TelegramInput):
    """Rasa's Telegram input with a configurable Bot API server, an off switch and the person's language."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            api_base_url=credentials.get("api_base_url"),
            webhook_secret=credentials.get("webhook_secret"),
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        api_base_url: str | None = None,
        webhook_secret: str | None = None,
    ) -> None:
        """`webhook_secret`: None reads TELEGRAM_WEBHOOK_SECRET (empty there: derived from the token)."""
        super().__init__(
            (access_token or "").strip() or None, (verify or "").strip() or None, webhook_url, debug_mode
        )
        self.webhook_url = (webhook_url or "").strip() or None
        self.api_base_url = (api_base_url or "").strip() or DEFAULT_API_BASE_URL
        self.off_reason: str | None = None
        self._output: ConfigurableTelegramOutput | None = None
        self._bot_username: str | None = None
        self._secret = ""
        if not self.access_token:
            self.off_reason = "Telegram channel is off: TELEGRAM_TOKEN is empty."
        else:
            if webhook_secret is None:
                webhook_secret = get_settings().telegram_webhook_secret
            try:
                self._secret = secret_token_for(self.access_token, webhook_secret)
                _REDACTION.secrets.add(self._secret)
                self._output = ConfigurableTelegramOutput(self.access_token, self.api_base_url)
            except ValueError as error:  # the secret's message never contains the secret
                self.off_reason = f"Telegram channel is off: {error}."
            except ValidationError as error:
                self.off_reason = f"Telegram channel is off: TELEGRAM_TOKEN is not a bot token ({error})."
        if self.off_reason:
            logger.info(self.off_reason)
        elif not self.verify:
            logger.warning("Telegram: TELEGRAM_BOT_NAME is empty, so every message will be ignored.")

    @property
    def enabled(self) -> bool:
        return self._output is not None

    def get_output_channel(self) -> ConfigurableTelegramOutput | None:  # type: ignore[override]
        """The one output channel, without setting the webhook (that happens once the server runs)."""
        return self._output

    async def set_webhook(self) -> str | None:
        """Registers `webhook_url` and its secret_token with the Bot API; returns an error, or None."""
        if self._output is None:
            return self.off_reason
        if not self.webhook_url:
            return "No webhook URL: set TELEGRAM_WEBHOOK_URL to the public HTTPS URL of the webhook route."
        parameters = {
            "url": self.webhook_url,
            "allowed_updates": json.dumps(ALLOWED_UPDATES),
            "secret_token": self._secret,
        }
        try:
            await asyncio.wait_for(self._output.request(Methods.SET_WEBHOOK, parameters), SET_WEBHOOK_TIMEOUT)
        except (TelegramAPIError, asyncio.TimeoutError) as error:
            return f"setWebhook failed at {self.api_base_url}: {error or type(error).__name__}"
        return None

    async def _username(self) -> str | None:
        """The bot's username from getMe, fetched once (Rasa asked for it on every update)."""
        if self._bot_username is None and self._output is not None:
            me = await self._output.get_me()
            self._bot_username = me.username or ""
        return self._bot_username

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if self.enabled and self.webhook_url:
                error = await self.set_webhook()
                if error:
                    logger.error("Telegram: %s (retry with GET /webhooks/telegram/set_webhook)", error)
                else:
                    logger.info("Telegram: webhook set to %s", self.webhook_url)

        @telegram_webhook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            if self._output is not None:
                await self._output.close_session()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"status": "off", "reason": self.off_reason})
            return response.json({"status": "ok"})

        @telegram_webhook.route("/set_webhook", methods=["GET", "POST"])
        async def set_webhook(_: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text(self.off_reason or "", status=503)
            if not self.webhook_url:
                return response.text(await self.set_webhook() or "", status=400)
            error = await self.set_webhook()
            if error:
                logger.warning("Telegram: %s", error)
                return response.text(f"Webhook setup failed: {error}", status=502)
            logger.info("Telegram: webhook set to %s", self.webhook_url)
            return response.text("Webhook setup successful")

        @telegram_webhook.route("/webhook", methods=["GET", "POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text(self.off_reason or "", status=503)
            if request.method != "POST":
                return response.text("Telegram webhook: Telegram POSTs updates here.")
            if not carries_secret(request.headers, self._secret):
                logger.warning("Telegram: refused an update without the webhook's secret token (403).")
                return response.text("forbidden", status=403)
            try:
                return await self._handle(request, on_new_message)
            except Exception:  # noqa: BLE001 - a non-200 answer makes Telegram resend the update
                logger.exception("Telegram: could not handle an update")
                return response.text("success")

        return telegram_webhook

    async def _handle(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        try:
            update = json.loads(request.body or b"null")
            if isinstance(update, str):  # Rasa accepts a JSON-encoded string too
                update = json.loads(update)
        except ValueError:
            logger.warning("Telegram: ignored an update that is not JSON")
            return response.text("success")
        incoming = parse_update(update, self.verify)
        if incoming is None:
            logger.debug("Telegram: ignored an update without a usable message: %.200s", request.body)
            return response.text("success")
        if await self._username() != self.verify:
            logger.debug("Telegram: getMe's username is not the `verify` credential; message ignored")
            return response.text("failed")

        output = self._output
        assert output is not None
        if incoming.callback_query_id:
            try:
                await output.answer_callback_query(incoming.callback_query_id)
            except TelegramAPIError as error:  # an old or repeated tap: the message still counts
                logger.debug("Telegram: answerCallbackQuery failed: %s", error)
        metadata = {**(self.get_metadata(request) or {})}
        if incoming.language:
            metadata["language"] = incoming.language
        if incoming.text == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
            # Telegram's own /start: Rasa restarts the conversation, then it starts again with a greeting.
            restart = UserMessage(
                incoming.text, output, incoming.chat_id, input_channel=self.name(), metadata=metadata
            )
            await on_new_message(restart)
            text = START_INTENT
        else:
            text = incoming.text
        await shared_turn().handle(
            text, incoming.chat_id, output, self.name(), metadata, on_new_message, agent_of(request)
        )
        return response.text("success")
