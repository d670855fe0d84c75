"""The leads database: save, read, export, and erase (Law 25) or purge (retention) with the conversations.

SQLite by default (a file under var/, nothing to install), PostgreSQL when the URL says so. Tables are
created on first use. SQL parameters are hidden from SQLAlchemy's logs and error messages: they hold
personal data. Every connection is time-bounded (privacy.tracker_events.time_bounded): a statement or a
wait for a lock ends in an error well before the action that runs it times out.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import create_engine, delete, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from privacy.tracker_erasure import erase_conversations
from privacy.tracker_events import time_bounded
from project_settings import ProjectSettings, get_settings

from . import outbox
from .emails import email_key, validate_email
from .lead_errors import LeadInputError
from .lead_tables import AppointmentRow, Base, LeadConfirmationRow, LeadFollowUpRow, LeadRow
from .records import ErasureReport, Lead, NewLead, utcnow
from .reference import new_reference, normalise_reference

logger = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 5
CSV_COLUMNS = ("reference", "created_at", "full_name", "email", "phone", "phone_typed", "preferred_time",
               "time_zone", "language", "verdict", "consent_at", "consent_text", "sender_id", "screening")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def make_engine(url: str) -> Engine:
    """A time-bounded engine that never logs SQL parameters; a SQLite file's folder is created if missing."""
    parsed = time_bounded(make_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(parsed, future=True, hide_parameters=True, pool_pre_ping=True)


class LeadStore:
    """Leads in an SQL database, by SQLAlchemy URL (``LeadStore(get_settings().leads_database_url)``)."""

    def __init__(self, url: str, *, clock: Callable[[], datetime] = utcnow,
                 reference_factory: Callable[[], str] = new_reference) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)
        self._clock = clock
        self._new_reference = reference_factory
        self._ready = False

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> LeadStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def session(self) -> Session:
        """A session on the leads database, its tables created on first use: for the modules that own the
        other tables (appointments, outbox, follow-ups) to work in the same database and transaction."""
        return self._session()

    def _session(self) -> Session:
        if not self._ready:
            try:
                Base.metadata.create_all(self.engine)
            except (OperationalError, ProgrammingError):
                # Another process (an action server worker) may be creating them at the same moment.
                Base.metadata.create_all(self.engine)
            self._ready = True
        return self._sessions()

    def save(self, new_lead: NewLead, *, slot_holder: str | None = None, slot_start: datetime | None = None,
             settings: ProjectSettings | None = None, confirmation_id: str | None = None) -> Lead:
        """Store the lead under a fresh reference, confirm the slot its conversation holds (when
        ``slot_start`` is given) and enqueue its "booked" notifications: one transaction, so the lead, its
        slot and its notifications exist together or not at all.

        With a ``confirmation_id`` (the confirming message) and the lead's sender id, the save is
        idempotent: a second save for the same confirmation (a retry, or an attempt that completes after
        its action timed out) returns the lead the first one saved, and saves nothing.

        Raises leads.appointments.SlotTaken (nothing saved) when the hold lapsed and someone took the slot.
        """
        settings = settings or get_settings()
        key = (new_lead.sender_id, confirmation_id) if new_lead.sender_id and confirmation_id else None
        saved = self._confirmed(key) if key else None
        if saved is not None:
            return saved
        now = self._clock()
        for _ in range(REFERENCE_ATTEMPTS):
            row = _row(new_lead, self._new_reference(), now)
            with self._session() as session:
                session.add(row)
                try:
                    session.flush()
                except IntegrityError:
                    session.rollback()
                    if session.execute(select(LeadRow.id).where(LeadRow.reference == row.reference)).first():
                        continue  # the reference was taken: draw another
                    raise
                if key is not None:
                    # Flushed before the slot: a concurrent save of the same confirmation waits here for
                    # the first one's commit, then finds its lead.
                    session.add(LeadConfirmationRow(sender_id=key[0], confirmation_id=key[1],
                                                    lead_reference=row.reference))
                    try:
                        session.flush()
                    except IntegrityError:
                        session.rollback()
                        saved = self._confirmed(key)
                        if saved is None:
                            raise
                        return saved
                if slot_start is not None:
                    _confirm_slot(session, slot_holder or new_lead.sender_id or row.reference, slot_start,
                                  row.reference, settings, now)
                outbox.enqueue(session, row.reference, "booked", settings, now)
                session.commit()
                lead = _lead(row, _slots(session, [row.reference]).get(row.reference))
            logger.info("lead %s saved", row.reference)
            return lead
        raise RuntimeError(f"no free reference after {REFERENCE_ATTEMPTS} attempts")

    def _confirmed(self, key: tuple[str, str]) -> Lead | None:
        """The lead saved for this (sender id, confirmation id), if any."""
        confirmation = LeadConfirmationRow
        query = select(LeadRow).join(confirmation, confirmation.lead_reference == LeadRow.reference) \
            .where(confirmation.sender_id == key[0], confirmation.confirmation_id == key[1])
        with self._session() as session:
            row = session.execute(query).scalar_one_or_none()
            if row is None:
                return None
            logger.info("lead %s was already saved for this confirmation", row.reference)
            return _leads(session, [row])[0]

    def recent(self, limit: int = 20) -> list[Lead]:
        """The newest leads first."""
        query = select(LeadRow).order_by(LeadRow.created_at.desc(), LeadRow.id.desc()).limit(limit)
        with self._session() as session:
            return _leads(session, session.execute(query).scalars())

    def get(self, reference: str) -> Lead | None:
        """One lead by reference (any case, spaces or dashes), or None."""
        normalised = normalise_reference(reference)
        if normalised is None:
            return None
        with self._session() as session:
            row = session.execute(select(LeadRow).where(LeadRow.reference == normalised)).scalar_one_or_none()
            return _leads(session, [row])[0] if row else None

    def find_by_email(self, email: str) -> list[Lead]:
        """Every lead of an address, whatever its case; LeadInputError if it isn't an address."""
        key = email_key(validate_email(email))
        query = select(LeadRow).where(LeadRow.email_key == key).order_by(LeadRow.created_at, LeadRow.id)
        with self._session() as session:
            return _leads(session, session.execute(query).scalars())

    def erase(self, reference: str | None = None, email: str | None = None,
              tracker_db_url: str | None = None) -> ErasureReport:
        """Delete a person's lead(s), by reference or by email, and their conversations (Law 25).

        The conversations go first: if the tracker store fails, the lead (and the sender id needed to
        find the conversation) is still there and the erasure can simply be run again.
        """
        if (reference is None) == (email is None):
            raise ValueError("erase needs a reference or an email, not both")
        if reference is not None:
            normalised = normalise_reference(reference)
            if normalised is None:
                raise LeadInputError("reference", "reference_invalid")
            condition = LeadRow.reference == normalised
        else:
            condition = LeadRow.email_key == email_key(validate_email(email or ""))
        with self._session() as session:
            rows = list(session.execute(select(LeadRow).where(condition)).scalars())
            senders = sorted({row.sender_id for row in rows if row.sender_id})
            report = self._delete(session, rows, senders, tracker_db_url)
        logger.info("erased %d lead(s) %s and %d conversation event(s)", report.leads_deleted,
                    ", ".join(report.references), report.events_deleted)
        return report

    def purge(self, older_than_days: int, tracker_db_url: str | None = None) -> ErasureReport:
        """Delete leads older than the retention period, and their conversations.

        A conversation is kept when a lead still retained points to it (the same person booked again).
        """
        if older_than_days < 1:
            raise ValueError("older_than_days must be at least 1")
        cutoff = self._clock() - timedelta(days=older_than_days)
        with self._session() as session:
            rows = list(session.execute(select(LeadRow).where(LeadRow.created_at < cutoff)).scalars())
            senders = {row.sender_id for row in rows if row.sender_id}
            if senders:
                kept = select(LeadRow.sender_id).where(LeadRow.created_at >= cutoff,
                                                       LeadRow.sender_id.in_(sorted(senders)))
                senders -= set(session.execute(kept).scalars())
            report = self._delete(session, rows, sorted(senders), tracker_db_url, cutoff)
        logger.info("purged %d lead(s) created before %s and %d conversation event(s)",
                    report.leads_deleted, cutoff.date().isoformat(), report.events_deleted)
        return report

    @staticmethod
    def _delete(session: Session, rows: Sequence[LeadRow], senders: Sequence[str],
                tracker_db_url: str | None, cutoff: datetime | None = None) -> ErasureReport:
        tracker = erase_conversations(tracker_db_url, senders) if rows else None
        if rows:
            references = [row.reference for row in rows]
            outbox.delete_for(session, references)  # pending notifications of an erased lead are not sent
            session.execute(delete(LeadFollowUpRow).where(LeadFollowUpRow.lead_reference.in_(references)))
            session.execute(delete(AppointmentRow).where(AppointmentRow.lead_reference.in_(references)))
            session.execute(delete(LeadConfirmationRow).where(LeadConfirmationRow.lead_reference.in_(references)))
            session.execute(delete(LeadRow).where(LeadRow.id.in_([row.id for row in rows])))
            session.commit()
        return ErasureReport(
            references=tuple(row.reference for row in rows),
            sender_ids=tuple(senders),
            events_deleted=tracker.events_deleted if tracker else 0,
            tracker=tracker.status if tracker else "not_checked",
            cutoff=cutoff,
        )

    def export_csv(self, stream: TextIO) -> int:
        """Every lead, oldest first, as CSV with full details (for the consultant); returns the count.

        Cells a spreadsheet would run as a formula ("=...", "+...") are prefixed with "'", except the
        E.164 phone (digits only, so harmless).
        """
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        count = 0
        for lead in self._all():
            writer.writerow(_csv_row(lead))
            count += 1
        return count

    def _all(self) -> Iterable[Lead]:
        query = select(LeadRow).order_by(LeadRow.created_at, LeadRow.id)
        with self._session() as session:
            return _leads(session, session.execute(query).scalars())


def _row(new: NewLead, reference: str, now: datetime) -> LeadRow:
    return LeadRow(
        reference=reference,
        created_at=now,
        full_name=new.full_name,
        email=new.email,
        email_key=email_key(new.email),
        phone=new.phone,
        phone_typed=new.phone_typed,
        preferred_time=new.preferred_time,
        time_zone=new.time_zone,
        language=new.language,
        consent_text=new.consent_text,
        consent_at=new.consent_at or now,
        sender_id=new.sender_id,
        screening=dict(new.screening),
    )


def _confirm_slot(session: Session, holder: str, starts_at: datetime, reference: str,
                  settings: ProjectSettings, now: datetime) -> None:
    # Imported here: leads.appointments uses the store, and a lead without a slot never needs it.
    from .appointments import confirm_hold
    from .availability import load_availability

    confirm_hold(session, holder, starts_at, reference, load_availability(settings.availability_path), now)


def _slots(session: Session, references: Sequence[str]) -> dict[str, tuple[datetime, datetime]]:
    """The booked slot of each of these leads that has one."""
    if not references:
        return {}
    query = select(AppointmentRow).where(AppointmentRow.lead_reference.in_(sorted(set(references))))
    return {row.lead_reference: (row.starts_at, row.ends_at) for row in session.execute(query).scalars()}


def _leads(session: Session, rows: Iterable[LeadRow]) -> list[Lead]:
    rows = list(rows)
    slots = _slots(session, [row.reference for row in rows])
    return [_lead(row, slots.get(row.reference)) for row in rows]


def _lead(row: LeadRow, slot: tuple[datetime, datetime] | None = None) -> Lead:
    return Lead(
        reference=row.reference,
        created_at=row.created_at,
        full_name=row.full_name,
        email=row.email,
        phone=row.phone,
        phone_typed=row.phone_typed,
        preferred_time=row.preferred_time,
        time_zone=row.time_zone,
        language=row.language,
        consent_text=row.consent_text,
        consent_at=row.consent_at,
        sender_id=row.sender_id,
        screening=dict(row.screening or {}),
        slot_starts_at=slot[0] if slot else None,
        slot_ends_at=slot[1] if slot else None,
    )


def _csv_row(lead: Lead) -> list[str]:
    data = lead.to_dict()
    values: dict[str, Any] = {**data, "consent_at": data["consent"]["at"], "consent_text": lead.consent_text,
                              "verdict": lead.verdict,
                              "screening": json.dumps(lead.screening, ensure_ascii=False, sort_keys=True)}
    return [_cell(values[c], safe=c == "phone") for c in CSV_COLUMNS]


def _cell(value: Any, safe: bool = False) -> str:
    text = "" if value is None else str(value)
    return "'" + text if not safe and text.startswith(_FORMULA_STARTS) else text
