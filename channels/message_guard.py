"""What a person typed, made safe to understand and to store, before Rasa sees it.

Every channel passes incoming text through `guard_text`: it never fails, whatever arrives (control
characters, NUL bytes that PostgreSQL refuses in text, lone surrogates, invisible direction overrides,
20,000 characters), and says what it changed so the person can be told. Typed Rasa commands
(`/intent{"entity": "value"}`) pass only in the shape our own buttons send; anything else is read as words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"
# Longest message understood; the widget's input allows 1,000 characters.
MAX_MESSAGE_CHARS = 1000
# Longest value a typed or button command may carry for one entity.
MAX_COMMAND_VALUE_CHARS = 64
# Invisible characters kept because they change how text is written: zero-width (non-)joiners in emoji
# sequences and in some scripts. Every other format character (direction overrides, zero-width spaces,
# byte-order marks) is dropped.
_KEPT_FORMAT_CHARS = frozenset("\u200c\u200d")
_KEPT_CONTROL_CHARS = frozenset("\n\t")
_SURROGATE = re.compile("[\ud800-\udfff]")
_COMMAND = re.compile(r"^/([A-Za-z_][\w-]*)(\{.*\})?$", re.S)


@dataclass(frozen=True)
class GuardedText:
    """The text to understand, and what was done to it."""

    text: str
    truncated_from: int | None = None  # the original length, when the text was cut


def guard_text(raw: object) -> GuardedText:
    """Cleans, cuts and screens a message; never raises."""
    text = raw if isinstance(raw, str) else ""
    text = _SURROGATE.sub("\ufffd", text)
    text = "".join(_clean_char(char) for char in unicodedata.normalize("NFC", text)).strip()
    original_length = len(text)
    if original_length > MAX_MESSAGE_CHARS:
        cut = text[:MAX_MESSAGE_CHARS]
        text = cut.rsplit(None, 1)[0] if " " in cut[MAX_MESSAGE_CHARS // 2 :] else cut
    text = screen_command(text)
    return GuardedText(text, original_length if original_length > MAX_MESSAGE_CHARS else None)


def _clean_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cc":
        return char if char in _KEPT_CONTROL_CHARS else (" " if char != "\x00" else "")
    if category == "Cf" and char not in _KEPT_FORMAT_CHARS:
        return ""
    return char


def screen_command(text: str) -> str:
    """`text` unchanged unless it is a command our buttons don't send; then its words without the slashes.

    Allowed: an intent declared in domain.yml, with entities declared there whose values are short
    strings, numbers or booleans. Rasa's built-in commands (`/restart`, `/session_start`) are not in the
    domain, so a person typing them is simply understood as saying "restart".
    """
    if not text.startswith("/"):
        return text
    match = _COMMAND.match(text)
    if match and _is_allowed_command(match.group(1), match.group(2)):
        return text
    return text.lstrip("/").strip()


def _is_allowed_command(intent: str, entities_json: str | None) -> bool:
    intents, entities = domain_names()
    if intent not in intents:
        return False
    if entities_json is None:
        return True
    try:
        values = json.loads(entities_json)
    except ValueError:
        return False
    return isinstance(values, dict) and all(
        key in entities and _is_short_scalar(value) for key, value in values.items()
    )


def _is_short_scalar(value: object) -> bool:
    if isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and len(value) <= MAX_COMMAND_VALUE_CHARS and "\n" not in value


@cache
def domain_names() -> tuple[frozenset[str], frozenset[str]]:
    """The intents and entities the assistant declares (domain.yml)."""
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}
    intents = {item if isinstance(item, str) else next(iter(item)) for item in domain.get("intents") or []}
    entities = {item if isinstance(item, str) else next(iter(item)) for item in domain.get("entities") or []}
    return frozenset(intents), frozenset(entities)
