"""Times on the desk: in the consultancy's zone, with the person's beside a booked slot, worded with babel
through i18n/formatting.py; times of day in Canadian usage ("9 h 30" in French)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from i18n.formatting import format_date

_TIME_PATTERNS = {"fr": "H 'h' mm"}  # Quebec writes "9 h 30" (babel's fr_CA says "09 h 30")


def city(zone: str) -> str:
    """"America/Montreal" -> "Montreal": the zone named the way people say it."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def time_of_day(moment: datetime, zone: str, lang: str) -> str:
    """"9:30 AM" / "9 h 30" in a zone."""
    return format_time(moment.astimezone(ZoneInfo(zone)), _TIME_PATTERNS.get(lang, "short"), locale=lang)


def moment(moment_utc: datetime, zone: str, lang: str) -> str:
    """"November 24, 2026, 9:30 AM" / "24 novembre 2026, 9 h 30" in a zone."""
    local = moment_utc.astimezone(ZoneInfo(zone))
    return f"{format_date(local.date(), lang)}, {time_of_day(local, zone, lang)}"


def slot(starts_at_utc: datetime, person_zone: str | None, consultancy: str, lang: str) -> str:
    """A booked slot in the consultancy's zone first (the consultant's day), the person's time beside it."""
    text = f"{moment(starts_at_utc, consultancy, lang)} ({city(consultancy)})"
    if person_zone and person_zone != consultancy:
        text += f" · {time_of_day(starts_at_utc, person_zone, lang)} ({city(person_zone)})"
    return text
