"""The website's socket.io channel gets the same bad input as REST: an answer, never a broken session."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import socketio

from channels.message_guard import MAX_MESSAGE_CHARS
from i18n.catalog import text
from tests.e2e.test_bad_input import BAD_MESSAGES
from tests.servers import Assistant


class WidgetClient:
    """What the widget does: connect from the site's origin, ask for a session, send, collect replies."""

    def __init__(self, assistant: Assistant) -> None:
        self.replies: queue.Queue[dict] = queue.Queue()
        self.session_id = uuid.uuid4().hex
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.put)
        confirmed: queue.Queue[str] = queue.Queue()
        self.client.on("session_confirm", confirmed.put)
        origin = assistant.env_value("WEB_ALLOWED_ORIGINS").split(",")[0]
        self.client.connect(assistant.url, headers={"Origin": origin}, transports=["polling"])
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.get(timeout=10) == self.session_id

    def send(self, message: object, quiet: float = 1.0, timeout: float = 30.0) -> list[dict]:
        """Sends `message`; returns the replies received until none came for `quiet` seconds."""
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})
        replies: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                replies.append(self.replies.get(timeout=quiet))
            except queue.Empty:
                break
        return replies


@pytest.fixture
def widget(assistant: Assistant) -> Iterator[WidgetClient]:
    client = WidgetClient(assistant)
    yield client
    # Disconnecting waits for the open long-poll request (~29 s): let it finish in the background.
    threading.Thread(target=client.client.disconnect, daemon=True).start()


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def test_bad_input_over_socketio_is_answered_and_the_session_keeps_working(widget: WidgetClient) -> None:
    # REST gets every odd input (test_bad_input.py); here a sample of each kind, as the widget sends them.
    for message in ["", "\u202e\u200b", None, ["list"]]:
        assert widget.send(message, quiet=0.5) == [], message
    for message in BAD_MESSAGES[::3]:
        replies = widget.send(message)
        assert replies and "<img" not in texts(replies), message
    long_reply = texts(widget.send("What is IMP+? " + "blah " * 4000))
    assert text("en", "guard.truncated", limit=MAX_MESSAGE_CHARS) in long_reply
    assert "open work permit" in texts(widget.send("What is IMP+?"))


def test_malformed_events_are_ignored(widget: WidgetClient) -> None:
    widget.client.emit("user_uttered", "not an object")
    widget.client.emit("user_uttered", {"message": "hi", "session_id": "someone-else"})
    assert widget.send("Qu'est-ce que le PMI+?") and widget.client.connected
