"""The notification outbox: what to tell whom about a lead, written in the transaction that changes the lead.

A row names a lead, a channel ("kind") and an event; it holds no personal data, so erasing a lead erases
its pending notifications with it. The worker (leads/delivery.py) claims due rows with a conditional
UPDATE, so two workers never send the same row, and records each attempt here: delivered, retried later
with a doubling wait, or given up after NOTIFY_MAX_ATTEMPTS.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from project_settings import ProjectSettings

from .lead_tables import OutboxRow

if TYPE_CHECKING:
    from .store import LeadStore

EVENTS = ("booked", "cancelled", "moved")
CONSULTANCY_EMAIL = "consultancy_email"
PERSON_EMAIL = "person_email"
WEBHOOK = "webhook"
KINDS = (CONSULTANCY_EMAIL, PERSON_EMAIL, WEBHOOK)
MAX_RETRY_DELAY = timedelta(hours=1)  # the doubling wait stops growing here
CLAIM_LEASE = timedelta(minutes=5)  # a worker that dies mid-send frees its rows after this
MAX_ERROR = 200  # OutboxRow.last_error's length


def channels(settings: ProjectSettings) -> list[str]:
    """The kinds of notification the settings ask for: emails when SMTP_HOST is set (the consultancy's
    only with LEADS_NOTIFY_EMAIL), the webhook when LEADS_WEBHOOK_URL is set."""
    kinds = []
    if settings.smtp_host and settings.leads_notify_email:
        kinds.append(CONSULTANCY_EMAIL)
    if settings.smtp_host:
        kinds.append(PERSON_EMAIL)
    if settings.leads_webhook_url:
        kinds.append(WEBHOOK)
    return kinds


def enqueue(session: Session, reference: str, event: str, settings: ProjectSettings,
            now: datetime) -> list[OutboxRow]:
    """Add one row per configured channel for ``event`` on the lead ``reference``; the caller commits, so
    the rows exist exactly when the change they tell of does."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r} (expected one of {', '.join(EVENTS)})")
    rows = [OutboxRow(lead_reference=reference, kind=kind, event=event, created_at=now, attempts=0,
                      next_attempt_at=now) for kind in channels(settings)]
    session.add_all(rows)
    return rows


def notify(store: LeadStore, reference: str, event: str, settings: ProjectSettings,
           now: datetime) -> list[OutboxRow]:
    """Enqueue ``event`` in a transaction of its own, for a change already committed (a call cancelled or
    moved from the desk): better told late than never."""
    with store.session() as session:
        rows = enqueue(session, reference, event, settings, now)
        session.commit()
    return rows


def due_condition(now: datetime) -> object:
    """Rows not delivered nor given up, whose next attempt is due and that no live worker holds."""
    return and_(OutboxRow.delivered_at.is_(None), OutboxRow.failed_at.is_(None),
                OutboxRow.next_attempt_at <= now,
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now))


def claim_due(session: Session, now: datetime, limit: int = 50,
              lease: timedelta = CLAIM_LEASE) -> list[OutboxRow]:
    """Take up to ``limit`` due rows for this worker (committed): each is claimed by an UPDATE that only
    succeeds while the row is still free, so a row another worker took in between is skipped.

    The rows are read back as the database has them (the store's sessions keep objects across commits)."""
    candidates = session.execute(select(OutboxRow.id).where(due_condition(now))
                                 .order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(limit)).scalars()
    claimed = []
    for row_id in list(candidates):
        claim = (update(OutboxRow).where(OutboxRow.id == row_id, due_condition(now))
                 .values(claimed_until=now + lease).execution_options(synchronize_session=False))
        result = session.execute(claim)
        session.commit()
        if result.rowcount == 1:
            claimed.append(row_id)
    if not claimed:
        return []
    query = select(OutboxRow).where(OutboxRow.id.in_(claimed)).order_by(OutboxRow.id)
    return list(session.execute(query.execution_options(populate_existing=True)).scalars())


def retry_delay(attempts: int, retry_seconds: float) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: NOTIFY_RETRY_SECONDS, doubling, at most an hour."""
    seconds = retry_seconds * 2 ** min(max(attempts - 1, 0), 30)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def mark_delivered(session: Session, row_id: int, now: datetime) -> None:
    """Record a successful send (committed)."""
    session.execute(update(OutboxRow).where(OutboxRow.id == row_id)
                    .values(delivered_at=now, attempts=OutboxRow.attempts + 1, claimed_until=None,
                            last_error=None).execution_options(synchronize_session=False))
    session.commit()


def mark_attempt_failed(session: Session, row: OutboxRow, error: str, now: datetime,
                        settings: ProjectSettings) -> bool:
    """Record a failed send (committed): retried after ``retry_delay``, or given up (``failed_at``) once
    NOTIFY_MAX_ATTEMPTS are spent. True when given up. ``error`` must hold no personal data."""
    attempts = row.attempts + 1
    given_up = attempts >= settings.notify_max_attempts
    values = {"attempts": attempts, "claimed_until": None, "last_error": error[:MAX_ERROR],
              "next_attempt_at": now + retry_delay(attempts, settings.notify_retry_seconds)}
    if given_up:
        values["failed_at"] = now
    session.execute(update(OutboxRow).where(OutboxRow.id == row.id).values(**values)
                    .execution_options(synchronize_session=False))
    session.commit()
    return given_up


def drop(session: Session, row_id: int) -> None:
    """Delete a row whose lead is gone (erased between the claim and the send); committed."""
    session.execute(delete(OutboxRow).where(OutboxRow.id == row_id))
    session.commit()


def delete_for(session: Session, references: Iterable[str]) -> int:
    """Delete every notification of these leads, sent or not (erasure, retention); the caller commits."""
    references = sorted(set(references))
    if not references:
        return 0
    result = session.execute(delete(OutboxRow).where(OutboxRow.lead_reference.in_(references)))
    return int(result.rowcount or 0)


def rows_for(session: Session, reference: str) -> list[OutboxRow]:
    """A lead's notifications, oldest first (the desk, the tests)."""
    query = select(OutboxRow).where(OutboxRow.lead_reference == reference).order_by(OutboxRow.id)
    return list(session.execute(query.execution_options(populate_existing=True)).scalars())
