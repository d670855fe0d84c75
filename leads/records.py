"""The lead as the assistant hands it over (NewLead) and as the consultancy reads it back (Lead)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from i18n.languages import SUPPORTED
from places.iana_zones import canonical_zone

from .emails import validate_email
from .lead_errors import LeadInputError
from .names import validate_full_name
from .phones import validate_phone

MAX_PREFERRED_TIME = 200
MAX_SENDER_ID = 255


def utcnow() -> datetime:
    """Now, in UTC with its zone attached (all stored times are UTC)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class NewLead:
    """A consented "Book a call" request, checked on creation so nothing malformed reaches the database.

    Values are normalised again (idempotent): an email or phone that doesn't pass the validators raises
    LeadInputError with the same codes. No consent text, no lead (``consent_missing``).
    ``screening`` is the JSON summary from ``screening_summary``.
    """

    full_name: str
    email: str
    language: str
    consent_text: str
    preferred_time: str = ""
    time_zone: str | None = None
    phone: str | None = None
    phone_typed: str | None = None
    sender_id: str | None = None
    screening: Mapping[str, Any] = field(default_factory=dict)
    consent_at: datetime | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalised values are set once, here
        set_(self, "full_name", validate_full_name(self.full_name))
        set_(self, "email", validate_email(self.email))
        if self.language not in SUPPORTED:
            raise LeadInputError("language", "language_unknown")
        if not (self.consent_text or "").strip():
            raise LeadInputError("consent", "consent_missing")
        if len(self.preferred_time or "") > MAX_PREFERRED_TIME:
            raise LeadInputError("preferred_time", "time_too_long")
        set_(self, "preferred_time", (self.preferred_time or "").strip())
        if self.time_zone is not None:
            zone = canonical_zone(self.time_zone)
            if zone is None:
                raise LeadInputError("time_zone", "time_zone_unknown")
            set_(self, "time_zone", zone)
        if self.phone:
            phone = validate_phone(self.phone)  # stored form is E.164: no region needed
            set_(self, "phone", phone.e164)
            set_(self, "phone_typed", self.phone_typed or phone.typed)
        else:
            set_(self, "phone", None)
            set_(self, "phone_typed", None)
        if self.sender_id is not None and not 0 < len(self.sender_id) <= MAX_SENDER_ID:
            raise LeadInputError("sender_id", "sender_id_invalid")
        if self.consent_at is not None and self.consent_at.tzinfo is None:
            raise ValueError("consent_at must carry a time zone (use UTC)")
        set_(self, "screening", dict(self.screening or {}))


@dataclass(frozen=True)
class Lead:
    """A saved lead, with its reference; times are UTC."""

    reference: str
    created_at: datetime
    full_name: str
    email: str
    phone: str | None
    phone_typed: str | None
    preferred_time: str
    time_zone: str | None
    language: str
    consent_text: str
    consent_at: datetime
    sender_id: str | None
    screening: dict[str, Any]
    slot_starts_at: datetime | None = None  # the booked call (leads/appointments.py), UTC; None: no slot
    slot_ends_at: datetime | None = None

    @property
    def verdict(self) -> str | None:
        """The engine's verdict at the time of the call request, if a screening was attached."""
        verdict = self.screening.get("verdict")
        return str(verdict) if verdict is not None else None

    def to_dict(self, include_sender: bool = True) -> dict[str, Any]:
        """JSON-ready; without the conversation id for the webhook (the CRM doesn't need it)."""
        data: dict[str, Any] = {
            "reference": self.reference,
            "created_at": _iso(self.created_at),
            "full_name": self.full_name,
            "email": self.email,
            "phone": self.phone,
            "phone_typed": self.phone_typed,
            "preferred_time": self.preferred_time,
            "time_zone": self.time_zone,
            "language": self.language,
            "consent": {"text": self.consent_text, "at": _iso(self.consent_at)},
            "screening": self.screening,
            "slot": ({"starts_at": _iso(self.slot_starts_at), "ends_at": _iso(self.slot_ends_at)}
                     if self.slot_starts_at and self.slot_ends_at else None),
        }
        if include_sender:
            data["sender_id"] = self.sender_id
        return data


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure or a purge removed: the leads, and the conversation events of their senders.

    ``tracker`` says what happened in the tracker store: "erased", "no_conversation" (no sender id or no
    events), "no_tracker" (its database or ``events`` table doesn't exist), "not_configured", or
    "not_checked" when no lead matched.
    """

    references: tuple[str, ...]
    sender_ids: tuple[str, ...]
    events_deleted: int
    tracker: str
    cutoff: datetime | None = None

    @property
    def leads_deleted(self) -> int:
        """How many leads were deleted."""
        return len(self.references)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
