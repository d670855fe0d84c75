"""A consultant's follow-up of each lead: new, contacted or closed, with a note, kept as a history.

Every change is a new row (``lead_follow_ups``), never an update, so the desk can show who was called when;
the latest row is the lead's status, and a lead with no row is "new".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .lead_errors import LeadInputError
from .lead_tables import LeadFollowUpRow, LeadRow
from .reference import normalise_reference
from .store import LeadStore

NEW, CONTACTED, CLOSED = "new", "contacted", "closed"
STATUSES: tuple[str, ...] = (NEW, CONTACTED, CLOSED)
MAX_NOTE = 2000


@dataclass(frozen=True)
class FollowUp:
    """One status of a lead; ``at`` is None for a lead never followed up (status "new", no row)."""

    status: str
    note: str = ""
    at: datetime | None = None


NEVER_FOLLOWED_UP = FollowUp(NEW)


def set_status(store: LeadStore, reference: str, status: str, note: str, now: datetime) -> FollowUp:
    """Record a status change of an existing lead; LeadInputError: unknown status or lead, note too long."""
    if status not in STATUSES:
        raise LeadInputError("status", "status_unknown")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise LeadInputError("note", "note_too_long")
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone (use UTC)")
    normalised = normalise_reference(reference)
    if normalised is None:
        raise LeadInputError("reference", "reference_invalid")
    with store.session() as session:
        if session.execute(select(LeadRow.id).where(LeadRow.reference == normalised)).first() is None:
            raise LeadInputError("reference", "lead_not_found")
        session.add(LeadFollowUpRow(lead_reference=normalised, status=status, note=note, at=now))
        session.commit()
    return FollowUp(status, note, now)


def status_of(store: LeadStore, references: Iterable[str]) -> dict[str, FollowUp]:
    """Each reference's current follow-up (NEVER_FOLLOWED_UP when it has none), in one query."""
    wanted = sorted(set(references))
    statuses = {reference: NEVER_FOLLOWED_UP for reference in wanted}
    if not wanted:
        return statuses
    query = (select(LeadFollowUpRow).where(LeadFollowUpRow.lead_reference.in_(wanted))
             .order_by(LeadFollowUpRow.at, LeadFollowUpRow.id))
    with store.session() as session:
        for row in session.execute(query).scalars():  # oldest first: the last one written wins
            statuses[row.lead_reference] = FollowUp(row.status, row.note, row.at)
    return statuses


def history(store: LeadStore, reference: str) -> list[FollowUp]:
    """Every follow-up of a lead, newest first."""
    normalised = normalise_reference(reference)
    if normalised is None:
        return []
    query = (select(LeadFollowUpRow).where(LeadFollowUpRow.lead_reference == normalised)
             .order_by(LeadFollowUpRow.at.desc(), LeadFollowUpRow.id.desc()))
    with store.session() as session:
        return [FollowUp(row.status, row.note, row.at) for row in session.execute(query).scalars()]
