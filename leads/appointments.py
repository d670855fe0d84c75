"""Appointment slots in the leads database: offer the free ones, hold one, confirm, cancel or move a booking.

The database decides every race: ``appointments.starts_at`` is unique, so when two people pick the last
slot at once (on two Rasa servers, through two action servers), one INSERT wins and the other gets an
IntegrityError, which here means "someone else has it" and the assistant offers new slots. That holds on
PostgreSQL and on SQLite alike, with no lock of our own.

A hold is a row without a lead reference; it is live for HOLD_MINUTES after it was taken, then anyone may
take the slot (a lapsed hold is deleted by the next hold on that start). A booking is a row with the
lead's reference. The functions ending in ``_in`` (and ``confirm_hold``) work in the caller's session and
transaction, so a change to a booking and the notifications that tell of it commit together.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .availability import Availability, Slot
from .lead_tables import AppointmentRow
from .store import LeadStore

logger = logging.getLogger(__name__)

HOLD_MINUTES = 30

__all__ = ["HOLD_MINUTES", "Slot", "SlotTaken", "cancel", "cancel_in", "confirm_hold", "free_slots", "hold",
           "move", "move_in", "release", "release_in", "upcoming_slot"]


class SlotTaken(Exception):
    """The slot being confirmed belongs to someone else now (or is no longer offered)."""


def _live_hold_since(now: datetime) -> datetime:
    return now - timedelta(minutes=HOLD_MINUTES)


def _taken(now: datetime) -> ColumnElement[bool]:
    """Rows that keep a slot from others: bookings, and holds still live."""
    return or_(AppointmentRow.lead_reference.isnot(None), AppointmentRow.held_at > _live_hold_since(now))


def _lapsed(now: datetime) -> ColumnElement[bool]:
    return and_(AppointmentRow.lead_reference.is_(None), AppointmentRow.held_at <= _live_hold_since(now))


def free_slots(store: LeadStore, availability: Availability, now: datetime, limit: int,
               after: datetime | None = None, *, exclude_holder: str | None = None) -> list[Slot]:
    """The next ``limit`` bookable slots nobody has booked or holds; ``after`` pages on ("other times").

    ``exclude_holder``: that conversation's own hold counts as free, so it is offered again to it.
    """
    earliest, end = availability.window(now)
    query = select(AppointmentRow.starts_at).where(
        AppointmentRow.starts_at >= earliest, AppointmentRow.starts_at < end, _taken(now))
    if exclude_holder is not None:
        query = query.where(or_(AppointmentRow.holder != exclude_holder,
                                AppointmentRow.lead_reference.isnot(None)))
    with store.session() as session:
        taken = set(session.execute(query).scalars())
    found: list[Slot] = []
    for slot in availability.slots(now, after):
        if len(found) >= limit:
            break
        if slot.starts_at not in taken:
            found.append(slot)
    return found


def hold(store: LeadStore, holder: str, starts_at: datetime, availability: Availability,
         now: datetime) -> bool:
    """Hold the slot at ``starts_at`` for the conversation ``holder``: True when it is theirs now.

    False when someone else books or holds it, and also when no slot of the availability starts then any
    more (a button from an old offer): either way the assistant offers fresh slots. The holder's other
    holds are released first, so a conversation holds one slot at most. Holding again the slot one
    already holds returns True and renews the hold.
    """
    slot = availability.slot_at(starts_at, now)
    if slot is None:
        release(store, holder)
        return False
    with store.session() as session:
        session.execute(delete(AppointmentRow).where(
            AppointmentRow.holder == holder, AppointmentRow.lead_reference.is_(None),
            AppointmentRow.starts_at != slot.starts_at))
        current = session.execute(
            select(AppointmentRow).where(AppointmentRow.starts_at == slot.starts_at)).scalar_one_or_none()
        if current is not None and current.holder == holder:
            if current.lead_reference is None:
                current.held_at = now
            session.commit()
            return True
        if current is not None:
            deleted = session.execute(delete(AppointmentRow).where(
                AppointmentRow.id == current.id, _lapsed(now))).rowcount
            if not deleted:
                session.commit()  # keeps the release of the holder's other holds
                return False
        session.add(AppointmentRow(starts_at=slot.starts_at, ends_at=slot.ends_at, holder=holder,
                                   held_at=now))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            logger.info("slot %s taken by another conversation first", slot.starts_at.isoformat())
        else:
            return True
    release(store, holder)  # the rolled-back transaction had released them too
    return False


def release(store: LeadStore, holder: str) -> int:
    """Let go of the conversation's unconfirmed holds ("none of these", a new offer); how many there were."""
    with store.session() as session:
        count = release_in(session, holder)
        session.commit()
    return count


def release_in(session: Session, holder: str) -> int:
    """``release`` in the caller's transaction (no commit)."""
    return int(session.execute(delete(AppointmentRow).where(
        AppointmentRow.holder == holder, AppointmentRow.lead_reference.is_(None))).rowcount or 0)


def confirm_hold(session: Session, holder: str, starts_at: datetime, reference: str,
                 availability: Availability, now: datetime) -> Slot:
    """Book the held slot for the lead ``reference`` in the caller's transaction (flushed, not committed).

    When the hold lapsed, the slot is taken anyway if it is still free and still offered. SlotTaken when
    someone else has it (or it is no longer offered); after SlotTaken the caller rolls its transaction back.
    """
    current = session.execute(
        select(AppointmentRow).where(AppointmentRow.starts_at == starts_at)).scalar_one_or_none()
    if current is not None and current.holder == holder and current.lead_reference in (None, reference):
        current.lead_reference = reference
        session.flush()
        return Slot(current.starts_at, current.ends_at)
    slot = availability.slot_at(starts_at, now)
    if slot is None:
        raise SlotTaken(f"no slot is offered at {starts_at.isoformat()} any more")
    if current is None:
        session.add(AppointmentRow(starts_at=slot.starts_at, ends_at=slot.ends_at, holder=holder, held_at=now,
                                   lead_reference=reference))
        try:
            session.flush()
        except IntegrityError:
            raise SlotTaken(f"the slot at {starts_at.isoformat()} was taken") from None
        return slot
    taken_over = session.execute(
        update(AppointmentRow).where(AppointmentRow.id == current.id, _lapsed(now))
        .values(holder=holder, held_at=now, lead_reference=reference)
        .execution_options(synchronize_session="fetch")).rowcount
    if not taken_over:
        raise SlotTaken(f"the slot at {starts_at.isoformat()} is someone else's")
    return slot


def upcoming_slot(session: Session, reference: str, now: datetime) -> Slot | None:
    """The lead's booked slot still to come (starting at or after ``now``), or None."""
    row = _upcoming(session, reference, now)
    return Slot(row.starts_at, row.ends_at) if row is not None else None


def cancel(store: LeadStore, reference: str, now: datetime) -> Slot | None:
    """Free the lead's upcoming booked slot; the slot it had, or None when it has none to come (a call in
    the past stays on record)."""
    with store.session() as session:
        slot = cancel_in(session, reference, now)
        session.commit()
    return slot


def cancel_in(session: Session, reference: str, now: datetime) -> Slot | None:
    """``cancel`` in the caller's transaction (flushed, not committed)."""
    row = _upcoming(session, reference, now)
    if row is None:
        return None
    slot = Slot(row.starts_at, row.ends_at)
    session.delete(row)
    session.flush()
    return slot


def move(store: LeadStore, reference: str, new_start: datetime, availability: Availability, now: datetime,
         *, holder: str | None = None) -> bool:
    """Move the lead's upcoming booking to the slot at ``new_start``, in one transaction: True when the new
    slot is theirs now; False, with nothing changed, when it is taken, not offered, or there is no booking.
    ``holder``: the conversation whose hold on the new slot gives way to the booking."""
    with store.session() as session:
        try:
            move_in(session, reference, new_start, availability, now, holder=holder)
            session.commit()
        except (SlotTaken, LookupError):
            session.rollback()
            return False
    return True


def move_in(session: Session, reference: str, new_start: datetime, availability: Availability, now: datetime,
            *, holder: str | None = None) -> Slot:
    """``move`` in the caller's transaction (flushed, not committed); the new slot.

    SlotTaken when the new slot is someone else's or not offered, LookupError when the lead has no upcoming
    booking; after either, the caller rolls its transaction back. A hold on the new slot by ``holder`` (the
    conversation asking for the move) gives way, as does a lapsed one.
    """
    slot = availability.slot_at(new_start, now)
    if slot is None:
        raise SlotTaken(f"no slot is offered at {new_start.isoformat()} any more")
    row = _upcoming(session, reference, now)
    if row is None:
        raise LookupError(f"lead {reference} has no upcoming booking")
    if row.starts_at == slot.starts_at:
        return slot
    gives_way = _lapsed(now) if holder is None else or_(
        _lapsed(now), and_(AppointmentRow.holder == holder, AppointmentRow.lead_reference.is_(None)))
    session.execute(delete(AppointmentRow).where(AppointmentRow.starts_at == slot.starts_at, gives_way))
    row.starts_at, row.ends_at = slot.starts_at, slot.ends_at
    try:
        session.flush()
    except IntegrityError:
        raise SlotTaken(f"the slot at {new_start.isoformat()} is someone else's") from None
    return slot


def _upcoming(session: Session, reference: str, now: datetime) -> AppointmentRow | None:
    query = (select(AppointmentRow)
             .where(AppointmentRow.lead_reference == reference, AppointmentRow.starts_at >= now)
             .order_by(AppointmentRow.starts_at).limit(1))
    return session.execute(query).scalar_one_or_none()
