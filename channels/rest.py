"""The REST channel (`POST /webhooks/rest/webhook`), hardened: any body gets a clear answer, never a 500.

Same URL and reply format as Rasa's own `rest` channel, so integrations keep working. The body is decoded
leniently (invalid UTF-8 becomes U+FFFD instead of an error); a body that is not a JSON object with a
`sender` gets a 400 saying what is expected; the message then goes through the shared guards
(`guarded_turn`). Unlike the stock channel, the person's text is never written to the log on failure.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guarded_turn import agent_of, shared_turn
from channels.socketio import clean_metadata

MAX_SENDER_CHARS = 128


class GuardedRestInput(InputChannel):
    """Rasa's REST channel with lenient decoding, the shared guards and no 500s."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = parse_body(request.body or b"")
            if body is None:
                return response.json(
                    {"error": 'Send a JSON object: {"sender": "<conversation id>", "message": "<text>"}.'},
                    status=400,
                )
            collector = CollectingOutputChannel()
            await shared_turn().handle(
                body["message"], body["sender"], collector, self.name(), body["metadata"], on_new_message,
                agent_of(request),
            )
            return response.json(collector.messages)

        return webhook


def parse_body(raw: bytes) -> dict[str, Any] | None:
    """`sender`, `message` and cleaned `metadata` from a request body, or None when it has no sender."""
    try:
        body = json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    sender = body.get("sender")
    if isinstance(sender, int | float) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None
    if any(unicodedata.category(char).startswith("C") for char in sender):
        return None  # control, format or surrogate characters: not an id any client generates
    metadata = clean_metadata(body.get("metadata"))
    return {"sender": sender, "message": body.get("message"), "metadata": metadata}
