"""Program facts in a message, and the list of sources under it.

Answers name facts as {placeholders}; the engine fills them with the values in force on the day
(`eligibility.word`) and says which facts it used. `{program_status}` adds the engine's hedge on whether
IMP+ is still current. Every source of every fact used is listed, compacted to one line per page, and a
fact last checked more than FACTS_STALE_AFTER_DAYS ago makes the list say it may be out of date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from eligibility import Source, program_status, word
from i18n.catalog import text
from i18n.formatting import format_date
from i18n.languages import detect_language
from project_settings import get_settings

PROGRAM_STATUS = "{program_status}"


def fill(template: str, on: dt.date, lang: str) -> tuple[str, tuple[Source, ...]]:
    """`template` with its facts filled in for the day, and the sources of the facts it used."""
    sources: tuple[Source, ...] = ()
    if PROGRAM_STATUS in template:
        status = program_status(on)
        template = template.replace(PROGRAM_STATUS, status.text.in_(lang) if status else "")
        sources = status.sources if status else ()
    body, used = word(template, on, lang)
    return re.sub(r"[ \t]+", " ", body).strip(), (*sources, *used)


def stale_after_days() -> int:
    """FACTS_STALE_AFTER_DAYS: a fact last checked longer ago than this is said to be possibly out of date."""
    return get_settings().facts_stale_after_days


def numbered_sources(sources: Iterable[Source]) -> dict[str, int]:
    """A number for each distinct page (its URL, or its title when it has none), in order of first use."""
    numbers: dict[str, int] = {}
    for source in sources:
        numbers.setdefault(page_of(source), len(numbers) + 1)
    return numbers


def page_of(source: Source) -> str:
    return source.reference.url or source.reference.title


def title_reads_as(title: str, translated: bool, lang: str) -> bool:
    """Whether a page title can stand in a reply in `lang`: most official titles are English, so a French
    reply shows a title only when it is French (or was given in French)."""
    found = detect_language(title)
    if lang == "fr":
        return translated or found == "fr"
    return found in ("en", None)


def source_lines(sources: Iterable[Source], lang: str, on: dt.date) -> list[str]:
    """One numbered line per page behind the facts used (the oldest check of its facts), then a warning
    if any of them was last checked too long ago."""
    sources = tuple(sources)
    numbers = numbered_sources(sources)
    oldest: dict[str, dt.date] = {}
    for source in sources:
        page = page_of(source)
        oldest[page] = min(oldest.get(page, source.last_checked), source.last_checked)
    by_page = {page_of(s): s.reference for s in sources}
    lines = [text(lang, "sources.title")]
    for page, number in numbers.items():
        reference = by_page[page]
        title = reference.title_in(lang)
        date = format_date(oldest[page], lang)
        values = {"number": number, "date": date, "url": reference.url, "title": title}
        if reference.url is None:
            key = "sources.line_no_url"
        elif title_reads_as(title, reference.title_fr is not None, lang):
            key = "sources.line"
        else:
            key = "sources.line_url_only"  # a title in the other language would make the reply read as mixed
        lines.append(text(lang, key, **values))
    days = stale_after_days()
    if any((on - checked).days > days for checked in oldest.values()):
        lines.append(text(lang, "sources.stale", days=days))
    return lines
