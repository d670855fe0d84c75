"""Program facts from the engine's dated data, rendered for a message in one language.

Answers name facts as {placeholders}; this module fills them with the value in force on the given date,
formatted for the language, and lists the sources of exactly the facts a message used.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from typing import Any

from actions.language import detect_language
from actions.texts import entry, text
from eligibility import DatedValue, Reference, load_program

NARROW_NBSP = "\u202f"


def format_number(value: float, lang: str) -> str:
    """7350 → "7,350" in English, "7 350" in French."""
    grouped = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return grouped.replace(",", NARROW_NBSP) if lang == "fr" else grouped


def format_date(day: dt.date, lang: str) -> str:
    month = entry(lang, "months")[day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def render(value: Any, lang: str) -> str:
    """One fact value as text: numbers, dates, bilingual texts and lists of them."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, lang)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if hasattr(value, "in_"):
        return str(value.in_(lang))
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    if isinstance(value, (list, tuple)):
        items = [render(item, lang) for item in value]
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {text(lang, 'list_or')} {items[-1]}"
    return str(value)


def placeholders(template: str) -> list[str]:
    """The fact names a template uses, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def facts_on(on: dt.date, names: Iterable[str], lang: str) -> tuple[dict[str, str], list[DatedValue]]:
    """The rendered values of `names` on date `on`, and the dated values they came from (for sources)."""
    program = load_program()
    rendered: dict[str, str] = {"year": str(on.year)}
    used: list[DatedValue] = []
    for name in names:
        if name in rendered:
            continue
        if name in ("cap_first", "cap_first_year"):
            first = program.history("cap")[0]
            rendered["cap_first"] = render(first.value, lang)
            rendered["cap_first_year"] = str(first.effective.year)
            used.append(first)
            continue
        dated = program.value(name, on)
        rendered[name] = "" if dated.value is None else render(dated.value, lang)
        used.append(dated)
    return rendered, used


def fill(template: str, on: dt.date, lang: str) -> tuple[str, list[DatedValue]]:
    """`template` with its facts filled in, and the dated values used."""
    values, used = facts_on(on, placeholders(template), lang)
    return re.sub(r"[ \t\n]+", " ", template.format(**values)).strip(), used


def source_lines(used: Iterable[DatedValue], lang: str, limit: int = 2) -> list[str]:
    """One "Source: …" line per distinct official page behind the facts used."""
    lines: list[str] = []
    seen: set[str] = set()
    for dated in used:
        reference: Reference = dated.reference
        if reference.url in seen:
            continue
        seen.add(reference.url)
        # A page title in the other language would make the answer read as mixed: keep only the link.
        key = "source_line" if detect_language(reference.title) in (lang, None) else "source_link"
        lines.append(
            text(
                lang,
                key,
                title=reference.title,
                url=reference.url,
                date=format_date(dated.last_checked, lang),
            )
        )
    return lines[:limit]
