"""One person talking to the running assistant through Telegram: real Update payloads in, the bot's
messages read back from the fake Bot API."""

from __future__ import annotations

import itertools
import json
import random
import time
import urllib.error
import urllib.request
from typing import Any

from channels.telegram import SECRET_HEADER
from tests.servers import Assistant
from tests.telegram.fake_bot_api import FakeBotAPI, SentMessage

_update_ids = itertools.count(700_000_000)
_message_ids = itertools.count(1)


def post_update(
    assistant: Assistant, body: bytes | dict[str, Any] | list[Any], secret: str | None = None
) -> tuple[int, str]:
    """POSTs to the Telegram webhook as Telegram does (JSON body, and the webhook's `secret` in its header
    when given); returns the HTTP status and body."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(f"{assistant.url}/webhooks/telegram/webhook", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class TelegramChat:
    """A private chat: `write` sends a text message, `tap` taps a button of the bot's inline keyboard."""

    def __init__(self, assistant: Assistant, api: FakeBotAPI, language_code: str | None = "en") -> None:
        self.assistant = assistant
        self.api = api
        self.chat_id = random.randint(10**8, 10**9)
        self.user: dict[str, Any] = {"id": self.chat_id, "is_bot": False, "first_name": "Camille"}
        if language_code:
            self.user["language_code"] = language_code
        self.read = 0
        self.replies: list[SentMessage] = []

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "first_name": "Camille", "type": "private"}

    def message_update(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(_message_ids),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(" ", 1)[0]
            message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        return {"update_id": next(_update_ids), "message": message}

    def write(self, text: str) -> list[SentMessage]:
        return self.send(self.message_update(text))

    def tap(self, title: str) -> list[SentMessage]:
        """Taps the button titled `title` in the bot's latest replies: sends its callback_data."""
        keyboard = self.keyboard()
        assert keyboard is not None, f"no inline keyboard in the latest replies: {self.text()!r}"
        buttons = {button["text"]: button for button in keyboard.inline_buttons}
        assert title in buttons, f"no button {title!r} in {list(buttons)}"
        update = {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": str(random.randint(10**17, 10**18)),
                "from": self.user,
                "message": keyboard.message,
                "chat_instance": str(-random.randint(10**17, 10**18)),
                "data": buttons[title]["callback_data"],
            },
        }
        return self.send(update)

    def send(self, update: dict[str, Any]) -> list[SentMessage]:
        """Posts `update` as Telegram does: with the secret the webhook was registered with."""
        status, body = post_update(self.assistant, update, self.api.webhook_secret)
        assert status == 200, f"webhook answered {status}: {body}"
        sent = self.api.messages_to(self.chat_id)
        self.replies = sent[self.read :]
        self.read = len(sent)
        return self.replies

    def text(self) -> str:
        """The text of the bot's replies to the latest update."""
        return "\n\n".join(reply.text for reply in self.replies)

    def keyboard(self) -> SentMessage | None:
        """The latest reply that carries an inline keyboard, if any of the latest replies does."""
        return next((reply for reply in reversed(self.replies) if reply.inline_buttons), None)
