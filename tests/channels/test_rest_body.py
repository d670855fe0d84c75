"""The REST channel's body parsing: lenient with text, strict with what identifies a conversation."""

from __future__ import annotations

from channels.rest import parse_body


def test_invalid_utf8_is_read_with_replacement_characters() -> None:
    assert parse_body(b'{"sender": "a", "message": "caf\xe9"}')["message"] == "caf\ufffd"


def test_numbers_are_accepted_as_sender_ids() -> None:
    assert parse_body(b'{"sender": 42, "message": "hi"}')["sender"] == "42"


def test_bodies_without_a_usable_sender_are_refused() -> None:
    for body in (b"", b"not json", b"[]", b'"text"', b'{"message": "hi"}', b'{"sender": ""}',
                 b'{"sender": "a\\u0000b"}', b'{"sender": true}', b'{"sender": "' + b"x" * 200 + b'"}'):
        assert parse_body(body) is None, body


def test_metadata_keeps_only_a_supported_language() -> None:
    body = parse_body(b'{"sender": "a", "message": "hi", "metadata": {"language": "fr", "x": 1}}')
    assert body["metadata"] == {"language": "fr"}
