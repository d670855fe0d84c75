"""The booking form's link to the `leads` package: reading details out of free text, and saving.

`leads` validates whole values ("marie@example.com"); people write sentences ("my email is actually
marie@example.com"), so this module finds the candidate in the sentence first.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from eligibility import Profile, assess
from leads.config import load_settings
from leads.emails import validate_email
from leads.errors import LeadInputError
from leads.names import validate_full_name
from leads.phones import validate_phone
from leads.places import guess_region
from leads.records import NewLead
from leads.store import LeadStore
from leads.summary import screening_summary as summarise
from leads.timezones import parse_preferred_time
from leads.webhook import post_lead

logger = logging.getLogger(__name__)

_EMAIL_CANDIDATE = re.compile(r"[^\s<>,;:()\"']+@[^\s<>,;:()\"']+")
_PHONE_CANDIDATE = re.compile(r"\+?\d[\d\s().-]{4,}\d")
_NAME_PREFIX = re.compile(
    r"^\s*(my name is|my name's|i am|i'm|it's|this is|name:|je m'appelle|je m’appelle|mon nom est|"
    r"moi c'est|c'est|nom\s*:)\s*",
    re.I,
)
_TIME_CUE = re.compile(
    r"\d|\b(morning|afternoon|evening|night|noon|week|weekday|weekend|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|anytime|time|am|pm|matin|apr[eè]s-midi|soir|soir[ée]e|midi|semaine|lundi|mardi|"
    r"mercredi|jeudi|vendredi|samedi|dimanche|heure|n'importe quand)s?\b",
    re.I,
)
_WANTS_FRENCH = re.compile(r"\b(fr|fran[cç]ais|french)\b", re.I)
_WANTS_ENGLISH = re.compile(r"\b(en|english|anglais)\b", re.I)


def full_name(message: str) -> str | None:
    """A first and last name, without "my name is" / "je m'appelle", nor the email or phone written after it
    ("Marie Tremblay, marie@example.com")."""
    without_contacts = _PHONE_CANDIDATE.sub(" ", _EMAIL_CANDIDATE.sub(" ", message))
    first_part = re.split(r"[,;]|\band\b|\bet\b", without_contacts, maxsplit=1)[0]
    try:
        return validate_full_name(_NAME_PREFIX.sub("", first_part).strip(" .!"))
    except LeadInputError:
        return None


def email(message: str) -> str | None:
    """The normalised email address written in the message, if it is a complete one."""
    match = _EMAIL_CANDIDATE.search(message)
    if not match:
        return None
    try:
        return validate_email(match.group(0).rstrip("."))
    except LeadInputError:
        return None


def phone(message: str, residence: str | None, place: str | None) -> str | None:
    """The phone number in the message, in E.164; a number without "+" is read where the person lives."""
    match = _PHONE_CANDIDATE.search(_EMAIL_CANDIDATE.sub(" ", message))
    if not match:
        return None
    try:
        return validate_phone(match.group(0), guess_region(place, residence)).e164
    except LeadInputError:
        return None


def time_zone(message: str, place: str | None = None) -> str | None:
    """The IANA zone the preferred time names ("weekday mornings, Paris time" → Europe/Paris), if any."""
    return parse_preferred_time(message, place).zone


def looks_like_time(message: str) -> bool:
    """Whether a message says when to call ("weekday mornings", "après 17 h"), whatever intent it got."""
    return bool(_TIME_CUE.search(message)) or time_zone(message) is not None


def language_choice(message: str, tracker: Tracker) -> str | None:
    """The language chosen for the call, from a button or the words "English" / "français"."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "lead_language" and entity.get("value") in ("en", "fr"):
            return str(entity["value"])
    wants_fr, wants_en = bool(_WANTS_FRENCH.search(message)), bool(_WANTS_ENGLISH.search(message))
    if wants_fr != wants_en:
        return "fr" if wants_fr else "en"
    return None


def retention_days() -> int:
    """How long a lead is kept (LEADS_RETENTION_DAYS), as the consent question says."""
    return int(load_settings().retention_days)


def screening_summary(profile: Profile, on: dt.date, skipped: list[str]) -> dict[str, Any]:
    """What the consultant sees of the pre-screening: the answers and the engine's assessment."""
    return summarise(profile, assess(profile, on=on, skip=skipped))


@lru_cache(maxsize=4)
def store_for(url: str) -> LeadStore:
    """One store (and connection pool) per database for the life of the action server."""
    return LeadStore(url)


def save(
    details: dict[str, Any], consent_text: str, language: str, sender_id: str, screening: dict[str, Any]
) -> str:
    """Stores the consented lead, then notifies the consultancy's webhook if one is set; the reference.

    Blocking (database, then the webhook with its retries): the action runs it in a worker thread.
    """
    settings = load_settings()
    lead = store_for(settings.db_url).save(
        NewLead(
            full_name=details["lead_name"],
            email=details["lead_email"],
            phone=details.get("lead_phone") or None,
            language=details.get("lead_language") or language,
            preferred_time=details.get("lead_time") or "",
            time_zone=details.get("lead_time_zone"),
            consent_text=consent_text,
            sender_id=sender_id,
            screening=screening,
        )
    )
    post_lead(lead, settings.webhook_url, timeout=settings.webhook_timeout, retries=settings.webhook_retries)
    return str(lead.reference)
