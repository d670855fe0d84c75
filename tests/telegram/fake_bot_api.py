"""A fake Telegram Bot API server on 127.0.0.1, so the Telegram channel is tested without the internet.

It serves `/bot<token>/<method>` like https://api.telegram.org: parameters as JSON, form-encoded or
multipart bodies (aiogram sends forms) or the query string; `{"ok": true, "result": ...}` answers shaped
like the real ones (sendMessage returns a real `Message`); the real API's errors for a wrong token, an
unknown method, an empty or too long text and bad callback_data. Every call is recorded, and every
sendMessage also as a `SentMessage` with its reply_markup parsed. setWebhook keeps the URL and the
secret_token, which `TelegramChat` sends back with every update as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token


class BadRequest(Exception):
    """A call the real Bot API would refuse with 400 and this description."""


@dataclass
class SentMessage:
    """One sendMessage call: where it went, its text, its keyboard and the Message the API returned."""

    chat_id: int | str
    text: str
    reply_markup: dict[str, Any] | None
    message: dict[str, Any]

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        """Every inline keyboard button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]


@dataclass
class FakeBotAPI:
    """The fake server: `start()` it, point the channel's api_base_url at `url`, read what it recorded."""

    token: str
    username: str
    first_name: str = "IMP+ test bot"
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": int(self.token.split(":")[0]),
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    # -- running ----------------------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True, name="fake-bot-api")
        self._thread.start()
        if not ready.wait(10) or not self.port:
            raise RuntimeError("the fake Bot API did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, self.port)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    # -- what was recorded ------------------------------------------------------------------------------

    def methods(self) -> list[str]:
        with self._lock:
            return [method for method, _ in self.calls]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        with self._lock:
            return [sent for sent in self.sent if str(sent.chat_id) == str(chat_id)]

    # -- the API ----------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        handler = getattr(self, f"_method_{method.lower()}", None)
        params = await _params(request)
        with self._lock:
            self.calls.append((method, params))
        if handler is None:
            return _error(404, "Not Found")
        try:
            result = handler(params)
        except BadRequest as error:
            return _error(400, f"Bad Request: {error}")
        return web.json_response({"ok": True, "result": result})

    def _method_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _method_setwebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise BadRequest("bad webhook: An HTTPS URL must be provided for webhook")
        secret = str(params.get("secret_token") or "")
        if secret and not SECRET_TOKEN.fullmatch(secret):  # (the real API's wording may differ)
            raise BadRequest("bad webhook: secret token contains unallowed characters")
        self.webhook_url, self.webhook_secret = url, secret
        return True

    def _method_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = self.webhook_secret = ""
        return True

    def _method_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    def _method_sendchataction(self, params: dict[str, Any]) -> bool:
        _chat_id(params)
        return True

    def _method_answercallbackquery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise BadRequest("query is too old and response timeout expired or query ID is invalid")
        return True

    def _method_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise BadRequest("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise BadRequest("message is too long")
        markup = _reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self.bot_user,
            "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if markup and "inline_keyboard" in markup:  # the real API echoes inline keyboards only
            message["reply_markup"] = markup
        with self._lock:
            self.sent.append(SentMessage(chat_id, text, markup, message))
        return message


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters, however they came: query string, JSON, form or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.body_exists:
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body if isinstance(body, dict) else {})
        else:
            form = await request.post()
            params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params


def _chat_id(params: dict[str, Any]) -> int | str:
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise BadRequest("chat_id is empty")
    text = str(chat_id)
    return int(text) if text.lstrip("-").isdigit() else text


def _reply_markup(value: Any) -> dict[str, Any] | None:
    """The keyboard, parsed (forms carry it as a JSON string), checked as the real API does."""
    if value in (None, ""):
        return None
    try:
        markup = json.loads(value) if isinstance(value, str) else value
    except ValueError as error:
        raise BadRequest("can't parse reply keyboard markup JSON object") from error
    if not isinstance(markup, dict):
        raise BadRequest("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not button.get("text"):
                raise BadRequest("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise BadRequest("BUTTON_DATA_INVALID")
    return markup


def _error(status: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)
