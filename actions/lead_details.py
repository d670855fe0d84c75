"""The booking form's link to the `leads` package: reading details out of free text, and saving.

`leads` validates whole values ("marie@example.com"); people write sentences ("my email is actually
marie@example.com"), so this module finds the candidate in the sentence first.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from eligibility import Profile, assess
from i18n.languages import named_language, supported
from leads.appointments import SlotTaken
from leads.capture import capture_lead
from leads.emails import validate_email
from leads.lead_errors import LeadInputError
from leads.names import validate_full_name
from leads.phones import home_region, validate_phone
from leads.records import NewLead
from leads.store import LeadStore
from leads.summary import screening_summary as summarise
from leads.timezones import parse_preferred_time
from places.gazetteer import Place
from places.lookup import place_named
from project_settings import get_settings

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


def home_place(tracker: Tracker) -> Place | None:
    """Where the person lives, as the extractor found it: country and time zone, never re-parsed from text.

    The `place` slot holds the display name; the entity of the message where it was said carries the
    place index's details (nlu_components.rasa_extractor). A place set without them (a button's payload)
    is looked up in the same index by its display name.
    """
    name = tracker.get_slot("place")
    if not name:
        return None
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            details = entity.get("place")
            if entity.get("entity") == "place" and entity.get("value") == name and isinstance(details, dict):
                return Place.from_details(details)
    return place_named(name)


def phone(message: str, residence: str | None, home: Place | None) -> str | None:
    """The phone number in the message, in E.164; a number without "+" is read where the person lives."""
    match = _PHONE_CANDIDATE.search(_EMAIL_CANDIDATE.sub(" ", message))
    if not match:
        return None
    try:
        return validate_phone(match.group(0), home_region(home, residence)).e164
    except LeadInputError:
        return None


def time_zone(message: str, home: Place | None = None) -> str | None:
    """The IANA zone the preferred time names ("weekday mornings, Paris time" → Europe/Paris), else the zone
    of where the person lives, if any."""
    return parse_preferred_time(message, home).zone


def looks_like_time(message: str) -> bool:
    """Whether a message says when to call ("weekday mornings", "après 17 h"), whatever intent it got."""
    return bool(_TIME_CUE.search(message)) or time_zone(message) is not None


def language_choice(message: str, tracker: Tracker) -> str | None:
    """The language chosen for the call, from a button or the words "English" / "français"."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        lang = supported(entity.get("value")) if entity.get("entity") == "lead_language" else None
        if lang:
            return lang
    return named_language(message)


def retention_days() -> int:
    """How long a lead is kept (LEADS_RETENTION_DAYS), as the consent question says."""
    return get_settings().leads_retention_days


def screening_summary(profile: Profile, on: dt.date, skipped: list[str]) -> dict[str, Any]:
    """What the consultant sees of the pre-screening: the answers and the engine's assessment."""
    return summarise(profile, assess(profile, on=on, skip=skipped))


def confirmation_id(tracker: Tracker) -> str | None:
    """The confirming message (the latest the person sent): its Rasa message id, else its timestamp. The
    lead is saved once per confirmation, however often the save is tried (LeadStore.save)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            found = event.get("message_id") or event.get("timestamp")
            return str(found) if found else None
    return None


@lru_cache(maxsize=4)
def store_for(url: str) -> LeadStore:
    """One store (and connection pool) per database for the life of the action server."""
    return LeadStore(url)


def booking_lead(
    details: dict[str, Any], consent_text: str, language: str, sender_id: str, screening: dict[str, Any]
) -> NewLead:
    """The confirmed booking form's details (each checked as it was typed) as a lead for the consultancy."""
    return NewLead(
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


@dataclass(frozen=True)
class SavedBooking:
    """The saved lead's reference, and whether the slot the person picked is booked (False: someone else
    confirmed it first, after this person's hold lapsed; the lead is saved without it)."""

    reference: str
    slot_booked: bool


def save(
    details: dict[str, Any], consent_text: str, language: str, sender_id: str, screening: dict[str, Any],
    confirmation: str | None = None,
) -> SavedBooking:
    """Stores the consented lead with the slot it holds and its notifications, in one transaction
    (leads.capture_lead); the worker (leads/delivery.py) sends the emails and the webhook afterwards.
    Once per ``confirmation`` (confirmation_id): saved again, it gives the lead saved the first time.

    Blocking (the database): the action runs it in a worker thread.
    """
    settings = get_settings()
    lead = booking_lead(details, consent_text, language, sender_id, screening)
    store = store_for(settings.leads_database_url)
    slot_start = parse_slot_start(details.get("lead_slot"))
    try:
        captured = capture_lead(lead, store, settings, slot_holder=sender_id if slot_start else None,
                                slot_start=slot_start, confirmation_id=confirmation)
    except SlotTaken:
        captured = capture_lead(lead, store, settings, confirmation_id=confirmation)
    # From the saved lead: a save repeated for the same confirmation gives the first one's slot.
    return SavedBooking(captured.lead.reference, slot_booked=captured.lead.slot_starts_at is not None)


def parse_slot_start(value: str | None) -> dt.datetime | None:
    """A slot button's start (UTC ISO 8601, as actions/slot_offer.py writes it), or None when it isn't one."""
    try:
        start = dt.datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return start.astimezone(dt.timezone.utc) if start.tzinfo else None
