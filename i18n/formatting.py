"""Dates, numbers and lists written the way each language writes them, with babel's locale data.

Two house choices differ from babel's defaults and are kept here: the first of the month is "1er" in
French ("1er janvier 2026"), and English lists have no serial comma ("A, B or C").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_skeleton, format_time, get_timezone_location
from babel.lists import format_list as babel_list
from babel.numbers import format_decimal, format_percent

from i18n.catalog import entry, text
from i18n.text_folding import fold_char

Conjunction = Literal["or", "and"]
_LIST_STYLES: dict[str, str] = {"or": "or", "and": "standard"}  # babel's list styles
# Clock times: babel's short format, except Quebec French's "9 h 00" (babel's fr writes "09:00").
_TIME_PATTERNS: dict[str, str] = {"fr": "H 'h' mm"}


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


def format_share(count: int, total: int, lang: str) -> str:
    """`count` as a whole percentage of `total`: "42%" in English, "42 %" in French (0% of nothing)."""
    return format_percent(count / total if total else 0, locale=lang)


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


def format_time_of_day(moment: datetime, zone: str, lang: str) -> str:
    """The clock time at ``moment`` in ``zone``: '9:00 AM' in English, '9 h 00' in French."""
    return format_time(moment, _TIME_PATTERNS.get(lang, "short"), tzinfo=ZoneInfo(zone), locale=lang)


def zone_city(zone: str, lang: str) -> str:
    """The city a time zone is named after, in the language: 'Paris'; 'Montréal' in French.

    babel (CLDR) names most zones; the catalog's ``slots.cities`` names the ones CLDR files under another
    city (America/Montreal is "Toronto" to it)."""
    cities: dict[str, str] = entry(lang, "slots.cities")
    return cities.get(zone) or get_timezone_location(zone, locale=lang, return_city=True)


def format_slot(starts_at: datetime, person_zone: str | None, consultancy_zone: str, lang: str) -> str:
    """An appointment slot short enough for a button: the person's day and time with the consultancy's time
    beside it ('Tue, Dec 1, 3:00 PM your time (9:00 AM in Montreal)'), or only the consultancy's
    ('Tue, Dec 1, 9:00 AM Montreal time') when the person's zone is unknown or shows the same time.
    The consultancy's weekday is added beside its time when its day is not the person's."""
    city = zone_city(consultancy_zone, lang)
    here = starts_at.astimezone(ZoneInfo(consultancy_zone))
    if person_zone is None or starts_at.astimezone(ZoneInfo(person_zone)).utcoffset() == here.utcoffset():
        key = "slots.city_time_vowel" if fold_char(city[:1]) in tuple("aeiou") else "slots.city_time"
        time = format_time_of_day(starts_at, consultancy_zone, lang)
        return text(lang, key, date=_slot_day(here, lang), time=time, city=city)
    there = starts_at.astimezone(ZoneInfo(person_zone))
    city_time = format_time_of_day(starts_at, consultancy_zone, lang)
    if there.date() != here.date():
        weekday = format_skeleton("E", here, locale=lang)
        city_time = text(lang, "slots.other_day", weekday=weekday, time=city_time)
    return text(lang, "slots.your_time", date=_slot_day(there, lang),
                time=format_time_of_day(starts_at, person_zone, lang), city_time=city_time, city=city)


def _slot_day(local: datetime, lang: str) -> str:
    """'Tue, Dec 1' / 'mar. 1er déc.' (the house's French first of the month, as in format_date)."""
    day = format_skeleton("MMMEd", local, locale=lang)
    if lang == "fr" and local.day == 1:
        return day.replace(" 1 ", " 1er ", 1)
    return day
