"""The website widget's socket.io channel: Rasa's socket.io channel, locked to the site's own origins.

Rasa's stock `SocketIOInput` builds its socket.io server with `cors_allowed_origins=[]`, which turns the
origin check off: any web page could open a chat in a visitor's browser. This channel accepts only the
origins listed in its `allowed_origins` credential (comma-separated, e.g. `${WEB_ALLOWED_ORIGINS}`).

It also fixes what the stock channel gets wrong with the libraries pinned here:
- python-socketio 5.x made `enter_room` a coroutine that Rasa 3.6 never awaits, so with
  `session_persistence: true` the client never joins its session's room and never gets a reply;
- the page's language (`metadata.language`) must reach the actions (`tracker.latest_message["metadata"]`),
  so it is checked and passed on every message, the first one of a session included (rasa#11087);
- a message is accepted only for the session this connection asked for with `session_request`, so one
  connection cannot write into another visitor's conversation by sending a different `session_id`.

The channel keeps the name `socketio` and the path `/socket.io`, so `socket.io-client` connects normally.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.guarded_turn import shared_turn
from i18n.languages import supported

logger = logging.getLogger(__name__)

# Session ids are the hex uuids this channel hands out; anything else gets a fresh one.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TRUE = {"1", "true", "yes", "on"}


def parse_origins(value: Any) -> list[str]:
    """The allowed origins from a credential: a comma-separated string (env var) or a YAML list.

    Origins are compared exactly with the browser's `Origin` header, which never has a path or a
    trailing slash, so both are trimmed here.
    """
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else [str(item) for item in value]
    return [item.strip().rstrip("/") for item in items if item.strip()]


def _as_bool(value: Any) -> bool:
    """A YAML boolean, or the string an `${ENV_VAR}` expands to."""
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def clean_metadata(raw: Any) -> dict[str, Any]:
    """The metadata a browser may set: only a supported `language`, anything else is dropped.

    The page is not trusted, so free-form keys (which end up in the tracker store and in the
    `session_started_metadata` slot) are not passed on.
    """
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    if not isinstance(raw, dict):
        return {}
    language = supported(raw.get("language"))
    return {"language": language} if language else {}


class OriginCheckedSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel that only accepts connections from the site's own origins."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> OriginCheckedSocketIOInput:
        """Reads the stock socket.io credentials plus `allowed_origins`; unknown keys are ignored."""
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt") or "user_uttered",
            bot_message_evt=credentials.get("bot_message_evt") or "bot_uttered",
            namespace=credentials.get("namespace"),
            session_persistence=_as_bool(credentials.get("session_persistence", False)),
            socketio_path=credentials.get("socketio_path") or "/socket.io",
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method") or "HS256",
            metadata_key=credentials.get("metadata_key") or "metadata",
            allowed_origins=parse_origins(credentials.get("allowed_origins")),
        )

    def __init__(self, *args: Any, allowed_origins: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins = list(allowed_origins or [])
        # The conversation (session id) each connection asked for with `session_request`.
        self._sessions: dict[str, str] = {}
        self._app: Any = None
        if not self.allowed_origins:
            logger.warning(
                "socket.io channel: no allowed_origins, so no web page can connect "
                "(set WEB_ALLOWED_ORIGINS to the website's origins)."
            )
        elif "*" in self.allowed_origins:
            logger.warning("socket.io channel: allowed_origins contains '*': every web page can connect.")

    def _cors_allowed_origins(self) -> list[str] | Callable[[str], bool]:
        """The value for python-socketio: never `[]`, which would switch the origin check off."""
        if self.allowed_origins:
            return self.allowed_origins
        return lambda origin: False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The stock channel's routes and events, with the origin check and the fixes above."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self._cors_allowed_origins())
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # used by get_output_channel, as in the stock channel

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str, reason: Any = None) -> None:
            self._sessions.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and _SESSION_ID.match(requested) else None
            session_id = session_id or uuid.uuid4().hex
            previous = self._sessions.get(sid)
            if self.session_persistence:
                if previous and previous != session_id:
                    await _awaited(sio.leave_room(sid, previous, namespace=self.namespace))
                await _awaited(sio.enter_room(sid, session_id, namespace=self.namespace))
            self._sessions[sid] = session_id
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender_id = self._sender_for(sid, data)
            if sender_id is None:
                return
            await shared_turn().handle(
                data.get("message"),
                sender_id,
                SocketIOOutput(sio, self.bot_message_evt),
                self.name(),
                clean_metadata(data.get(self.metadata_key)),
                on_new_message,
                self._app.ctx.agent if self._app else None,
            )

        @socketio_webhook.listener("before_server_start")
        async def keep_app(app: Any, _: Any) -> None:
            self._app = app  # the agent (app.ctx.agent) tells the guards the conversation's language

        return socketio_webhook

    def _sender_for(self, sid: str, data: dict[str, Any]) -> str | None:
        """The conversation a message belongs to, or None to drop it.

        With session persistence it is the session this connection confirmed; a message naming another
        session (or sent before `session_request`) is dropped, as the stock channel drops one without id.
        """
        if not self.session_persistence:
            return sid
        confirmed = self._sessions.get(sid)
        if confirmed is None or data.get("session_id") != confirmed:
            logger.warning(
                "socket.io channel: dropped a message whose session_id is not the one this connection "
                "confirmed with session_request."
            )
            return None
        return confirmed


async def _awaited(result: Any) -> Any:
    """Awaits `result` if it is awaitable: `enter_room` is a coroutine only in newer python-socketio."""
    return await result if inspect.isawaitable(result) else result
