"""Formats program values inside bilingual texts, so texts name values by key instead of repeating them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from .models import Text

# {key} or {key.attr}: the value of a program key, or one of its dated entry's attributes.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z_]+))?\}")
# effective / until: the in-force entry's first and last day; year: its first year; note; last_checked;
# first / first_year: the key's first value ever and its year (e.g. the first year's cap).
ATTRIBUTES: tuple[str, ...] = ("effective", "until", "note", "last_checked", "year", "first", "first_year")

_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
}
_CONJUNCTIONS = {"or": {"en": "or", "fr": "ou"}, "and": {"en": "and", "fr": "et"}}
NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_date(d: date, lang: str) -> str:
    """'January 1, 2026' in English, '1er janvier 2026' in French."""
    month = _MONTHS[lang][d.month - 1]
    if lang == "fr":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{day} {month} {d.year}"
    return f"{month} {d.day}, {d.year}"


def format_number(n: float, lang: str) -> str:
    """'1,234' in English, '1 234' (narrow no-break space) in French."""
    text = f"{n:,}"
    return text.replace(",", NBSP) if lang == "fr" else text


def format_list(items: list[str], lang: str, conjunction: str = "or") -> str:
    """'A or B', 'A, B or C' (or 'A, B and C')."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_CONJUNCTIONS[conjunction][lang]} {items[-1]}"


def format_value(value: Any, lang: str) -> str:
    """Any program value as text in one language."""
    if isinstance(value, Text):
        return value.in_(lang)
    if isinstance(value, bool):
        raise TypeError("booleans have no wording")
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, (int, float)):
        return format_number(value, lang)
    if isinstance(value, (list, tuple)):
        return format_list([format_value(v, lang) for v in value], lang)
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot word a value of type {type(value).__name__}")


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """The (key, attribute) pairs a text refers to."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def stray_braces(text: str) -> bool:
    """True when braces remain that are no valid placeholder (a typo the loader should report)."""
    rest = PLACEHOLDER.sub("", text)
    return "{" in rest or "}" in rest


def fill(text: str, lang: str, lookup: Callable[[str, str | None, str], str]) -> str:
    """Replace every placeholder with lookup(key, attribute, lang)."""
    return PLACEHOLDER.sub(lambda m: lookup(m.group(1), m.group(2), lang), text)
