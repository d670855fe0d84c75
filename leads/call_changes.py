"""A person cancelling or moving their booked call (the chat's "cancel my call QP-…", actions/call_change.py).

The booking is found only by its reference and the email it was made with, both matching, so a reference
alone (read over a shoulder, guessed) changes nothing. The slot's change and the notifications that tell
the consultancy and the person of it are written in one transaction, like a new lead's (leads.outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_settings import ProjectSettings

from . import appointments, outbox
from .appointments import Slot, SlotTaken
from .availability import Availability
from .emails import email_key
from .lead_errors import LeadInputError
from .lead_tables import LeadRow
from .records import utcnow
from .reference import normalise_reference
from .store import LeadStore


@dataclass(frozen=True)
class BookedCall:
    """A lead's call as it stands (or stood, before a change): its upcoming slot, if any, and the person's
    time zone, to say the slot in their time."""

    reference: str
    time_zone: str | None
    slot: Slot | None


def find_booking(store: LeadStore, reference: str, email: str,
                 now: datetime | None = None) -> BookedCall | None:
    """The booking with this reference and email (any case), or None when they don't match one together."""
    normalised = normalise_reference(reference)
    try:
        key = email_key(email)
    except LeadInputError:
        return None
    if normalised is None:
        return None
    with store.session() as session:
        lead = session.execute(select(LeadRow).where(LeadRow.reference == normalised,
                                                     LeadRow.email_key == key)).scalar_one_or_none()
        if lead is None:
            return None
        slot = appointments.upcoming_slot(session, normalised, now or utcnow())
        return BookedCall(normalised, lead.time_zone, slot)


def cancel_call(store: LeadStore, reference: str, settings: ProjectSettings, now: datetime) -> BookedCall:
    """Frees the lead's upcoming slot and tells the consultancy and the person; the call as it stood."""
    with store.session() as session:
        before = _booked(session, reference, now)
        appointments.cancel_in(session, before.reference, now)
        outbox.enqueue(session, before.reference, "cancelled", settings, now)
        session.commit()
    return before


def move_call(store: LeadStore, reference: str, holder: str, new_start: datetime, availability: Availability,
              settings: ProjectSettings, now: datetime) -> BookedCall:
    """Moves the lead's call to the slot at ``new_start`` (held by ``holder``, the conversation) and tells the
    consultancy and the person; the call as it stood. SlotTaken, with nothing changed, when the slot is no
    longer free. A lead without a slot (a time given in words) gets this one."""
    with store.session() as session:
        before = _booked(session, reference, now)
        if before.slot is None:
            appointments.confirm_hold(session, holder, new_start, before.reference, availability, now)
            event = "booked"
        else:
            appointments.move_in(session, before.reference, new_start, availability, now, holder=holder)
            event = "moved"
        outbox.enqueue(session, before.reference, event, settings, now)
        session.commit()
    return before


def _booked(session: Session, reference: str, now: datetime) -> BookedCall:
    normalised = normalise_reference(reference)
    query = select(LeadRow).where(LeadRow.reference == normalised)
    lead = session.execute(query).scalar_one_or_none() if normalised else None
    if lead is None:
        raise LeadInputError("reference", "reference_unknown")
    slot = appointments.upcoming_slot(session, lead.reference, now)
    return BookedCall(lead.reference, lead.time_zone, slot)


__all__ = ["BookedCall", "SlotTaken", "cancel_call", "find_booking", "move_call"]
