"""From the booking form's raw answers to a NewLead: every validator, in one call, for the assistant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from eligibility import Assessment, Profile

from .phones import validate_phone
from .places import guess_region
from .records import NewLead
from .summary import screening_summary
from .timezones import parse_preferred_time


def build_lead(*, full_name: str, email: str, language: str, consent_text: str, phone: str | None = None,
               preferred_time: str | None = None, place: str | None = None, residence: str | None = None,
               sender_id: str | None = None, profile: Profile | Mapping[str, Any] | None = None,
               assessment: Assessment | Mapping[str, Any] | None = None,
               consent_at: datetime | None = None) -> NewLead:
    """A checked NewLead, or LeadInputError (``field`` + ``code``) for the first unusable answer.

    A phone without "+" is read in the country the person lives in (``place``, or ``residence`` /
    the profile's residence: Quebec or another province means Canada); the preferred time keeps what
    they typed, with the zone it names or else the zone of ``place``.
    """
    if residence is None and profile is not None:
        residence = profile.residence if isinstance(profile, Profile) else profile.get("residence")
    checked_phone = None
    if phone and phone.strip():
        checked_phone = validate_phone(phone, guess_region(place, residence))
    when = parse_preferred_time(preferred_time, place=place) if preferred_time and preferred_time.strip() \
        else None
    return NewLead(
        full_name=full_name,
        email=email,
        language=language,
        consent_text=consent_text,
        preferred_time=when.text if when else "",
        time_zone=when.zone if when else None,
        phone=checked_phone.e164 if checked_phone else None,
        phone_typed=checked_phone.typed if checked_phone else None,
        sender_id=sender_id,
        screening=screening_summary(profile, assessment),
        consent_at=consent_at,
    )
