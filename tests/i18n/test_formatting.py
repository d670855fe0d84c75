"""The one formatter of dates, numbers and lists: the outputs the replies and the engine's texts show."""

from __future__ import annotations

import datetime as dt

import pytest

from eligibility import Text
from i18n.formatting import format_date, format_list, format_number, format_value

NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


@pytest.mark.parametrize(
    "day, en, fr",
    [
        (dt.date(2026, 1, 1), "January 1, 2026", "1er janvier 2026"),
        (dt.date(2026, 3, 13), "March 13, 2026", "13 mars 2026"),
        (dt.date(2025, 12, 31), "December 31, 2025", "31 décembre 2025"),
        (dt.date(2024, 8, 2), "August 2, 2024", "2 août 2024"),
    ],
)
def test_dates(day: dt.date, en: str, fr: str) -> None:
    assert format_date(day, "en") == en
    assert format_date(day, "fr") == fr


@pytest.mark.parametrize(
    "number, en, fr",
    [(7, "7", "7"), (155, "155", "155"), (7350, "7,350", f"7{NNBSP}350"), (14700, "14,700", f"14{NNBSP}700"),
     (1234567, "1,234,567", f"1{NNBSP}234{NNBSP}567")],
)
def test_numbers(number: int, en: str, fr: str) -> None:
    assert format_number(number, "en") == en
    assert format_number(number, "fr") == fr


def test_decimals_keep_every_digit() -> None:
    assert format_number(1234.5678, "en") == "1,234.5678"


@pytest.mark.parametrize(
    "items, lang, conjunction, expected",
    [
        ([], "en", "or", ""),
        (["A"], "en", "or", "A"),
        (["A", "B"], "en", "or", "A or B"),
        (["A", "B", "C"], "en", "or", "A, B or C"),  # no serial comma
        (["A", "B", "C", "D"], "fr", "or", "A, B, C ou D"),
        (["A", "B", "C"], "en", "and", "A, B and C"),
        (["A", "B"], "fr", "and", "A et B"),
    ],
)
def test_lists(items: list[str], lang: str, conjunction: str, expected: str) -> None:
    assert format_list(items, lang, conjunction) == expected  # type: ignore[arg-type]


def test_values_of_every_kind() -> None:
    assert format_value(Text(en="permit", fr="permis"), "fr") == "permis"
    assert format_value((dt.date(2026, 1, 1), 14700), "fr") == f"1er janvier 2026 ou 14{NNBSP}700"
    assert format_value("as is", "en") == "as is"
    with pytest.raises(TypeError):
        format_value(True, "en")
    with pytest.raises(TypeError):
        format_value(object(), "en")
