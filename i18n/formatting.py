"""Dates, numbers and lists written the way each language writes them, with babel's locale data.

Two house choices differ from babel's defaults and are kept here: the first of the month is "1er" in
French ("1er janvier 2026"), and English lists have no serial comma ("A, B or C").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, Protocol

from babel.dates import format_date as babel_date
from babel.lists import format_list as babel_list
from babel.numbers import format_decimal

Conjunction = Literal["or", "and"]
_LIST_STYLES: dict[str, str] = {"or": "or", "and": "standard"}  # babel's list styles


class Bilingual(Protocol):
    """A value worded in each language (the engine's Text)."""

    def in_(self, lang: str) -> str: ...


def format_date(d: date, lang: str) -> str:
    """'January 1, 2026' in English, '1er janvier 2026' in French."""
    if lang == "fr":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{day} {babel_date(d, 'MMMM y', locale='fr')}"
    return babel_date(d, "MMMM d, y", locale=lang)


def format_number(n: float, lang: str) -> str:
    """'1,234' in English, '1 234' in French (a narrow no-break space, U+202F), every digit kept."""
    return format_decimal(n, locale=lang, decimal_quantization=False)


def format_list(items: Sequence[str], lang: str, conjunction: Conjunction = "or") -> str:
    """'A or B', 'A, B or C' (or 'A, B and C'; 'A, B ou C' in French).

    The items but the last are joined first, so babel's pattern for a pair joins them to the last one:
    that is how both languages drop the serial comma ('A, B or C', not 'A, B, or C').
    """
    if len(items) <= 1:
        return "".join(items)
    head = ", ".join(items[:-1])
    return babel_list([head, items[-1]], style=_LIST_STYLES[conjunction], locale=lang)  # type: ignore[arg-type]


def format_value(value: Any, lang: str) -> str:
    """Any program value as text in one language: a bilingual text, a date, a number, a list or a string."""
    if hasattr(value, "in_"):
        return str(value.in_(lang))
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
