"""Whatever a person types reaches the real servers and gets a 200 with a sensible answer (none when
empty); the next normal message still works, and no typed value escapes validation."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.message_guard import MAX_MESSAGE_CHARS
from i18n.catalog import text
from tests.servers import Assistant

# Nothing left to understand once cleaned, or not text at all: no reply.
EMPTY_MESSAGES = ["", "   ", "\n\t", "\u202e\u200b\u2066", "\x00", None, 42, {"text": "hi"}]
BAD_MESSAGES = [
    "a\x00b\x00 what is IMP+?",
    "\x07\x1b[31m red \x1b[0m",
    "مرحبا، ما هو برنامج IMP+؟",
    "😀🇨🇦👍",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '{"sender": "someone-else", "message": "hi"}',
    "/restart",
    "/session_start",
    '/inform{"residence": "<img src=x onerror=alert(1)>"}',
    '/inform{"place": "<img src=x onerror=alert(1)>"}',
    "'; DROP TABLE events; --",
    "%s %n {0} ${HOME}",
]


def post(assistant: Assistant, body: bytes) -> tuple[int, object]:
    request = urllib.request.Request(f"{assistant.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read().decode() or "[]")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def say(assistant: Assistant, sender: str, message: object) -> list[dict]:
    status, replies = post(assistant, json.dumps({"sender": sender, "message": message}).encode())
    assert status == 200, replies
    assert isinstance(replies, list)
    return replies


def joined(replies: list[dict]) -> str:
    return "\n".join(json.dumps(reply, ensure_ascii=False) for reply in replies)


def still_works(assistant: Assistant, sender: str) -> None:
    assert "open work permit" in joined(say(assistant, sender, "What is IMP+?"))


@pytest.mark.parametrize("message", EMPTY_MESSAGES)
def test_empty_or_non_text_messages_get_no_reply(assistant: Assistant, message: object) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    assert say(assistant, sender, message) == []
    still_works(assistant, sender)


@pytest.mark.parametrize("message", BAD_MESSAGES)
def test_odd_messages_get_a_sensible_reply(assistant: Assistant, message: str) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    replies = say(assistant, sender, message)
    # Text, or the widget's event that goes with it (a booking started): never an empty reply.
    assert any(reply.get("text") for reply in replies)
    assert all(reply.get("text") or reply.get("custom") for reply in replies)
    assert "<img" not in joined(replies) and "<script" not in joined(replies)
    still_works(assistant, sender)


def test_a_very_long_message_is_cut_and_the_person_told(assistant: Assistant) -> None:
    sender = f"long-{uuid.uuid4().hex[:8]}"
    replies = say(assistant, sender, "What is IMP+? " + "blah " * 4000)
    assert text("en", "guard.truncated", limit=MAX_MESSAGE_CHARS) in joined(replies)
    still_works(assistant, sender)


def test_a_typed_place_never_reaches_the_verdict(assistant: Assistant) -> None:
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    say(assistant, sender, "am I eligible for IMP+?")
    say(assistant, sender, '/inform{"residence": "quebec", "place": "<img src=x onerror=alert(1)>"}')
    verdict = joined(say(assistant, sender, "why?"))
    assert "<img" not in verdict
    assert "onerror" not in joined(say(assistant, sender, "/human_handoff"))


def test_invalid_utf8_and_broken_bodies(assistant: Assistant) -> None:
    status, replies = post(assistant, b'{"sender": "utf8-test", "message": "caf\xe9 what is IMP+ \xff"}')
    assert status == 200 and replies
    for body in (b"", b"not json", b"[]", b'{"message": "no sender"}', b'{"sender": "a\\u0000b"}'):
        status, answer = post(assistant, body)
        assert status == 400 and "sender" in str(answer), body


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=st.text(max_size=300) | st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")))
def test_generated_text_always_gets_a_200(assistant: Assistant, message: str) -> None:
    say(assistant, "fuzz-rest", message)
