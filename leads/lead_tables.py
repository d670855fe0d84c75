"""The leads database's tables (SQLAlchemy 1.4 declarative, written so they also run on 2.0): the leads, the
booking confirmations they were saved for, the consultants' follow-ups, the notification outbox and the
booked appointment slots."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

Base: Any = declarative_base()


class UTCDateTime(TypeDecorator):  # type: ignore[type-arg]
    """Aware UTC datetimes in and out: timestamptz on PostgreSQL, naive UTC text on SQLite (no zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC times with their zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class LeadRow(Base):
    """One "Book a call" request; ``sender_id`` ties it to the conversation in the tracker store."""

    __tablename__ = "leads"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, index=True)
    full_name = Column(String(100), nullable=False)
    email = Column(String(254), nullable=False)
    email_key = Column(String(254), nullable=False, index=True)  # casefolded, for look-ups and erasure
    phone = Column(String(16))  # E.164
    phone_typed = Column(String(64))
    preferred_time = Column(String(200), nullable=False)
    time_zone = Column(String(64))  # IANA name, None when none could be derived
    language = Column(String(2), nullable=False)
    consent_text = Column(Text, nullable=False)
    consent_at = Column(UTCDateTime, nullable=False)
    sender_id = Column(String(255), index=True)
    screening = Column(JSON, nullable=False)


class LeadConfirmationRow(Base):
    """The booking confirmation (one user message of one conversation) a lead was saved for. Unique, so a
    save that is retried, or that completes after its action timed out, finds the lead instead of making a
    second one. A table of its own: a leads database from before gets it on first use, ``leads`` unaltered."""

    __tablename__ = "lead_confirmations"
    __table_args__ = (UniqueConstraint("sender_id", "confirmation_id", name="uq_lead_confirmations"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False)
    confirmation_id = Column(String(255), nullable=False)  # the confirming message's Rasa id or timestamp
    lead_reference = Column(String(16), nullable=False, index=True)


class LeadFollowUpRow(Base):
    """A consultant's status change on a lead (new → contacted → closed), with a note; the latest row is the
    lead's status, and no row means "new". A separate table, so a leads database from before keeps working."""

    __tablename__ = "lead_follow_ups"

    id = Column(Integer, primary_key=True)
    lead_reference = Column(String(16), nullable=False, index=True)
    status = Column(String(16), nullable=False)  # leads.records.LEAD_STATUSES
    note = Column(Text, nullable=False, default="")
    at = Column(UTCDateTime, nullable=False)


class OutboxRow(Base):
    """A notification to deliver (an email or the webhook), written in the same transaction as the lead or the
    change it tells of, then delivered by the worker (leads/delivery.py) with retries and back-off.

    ``kind``: "consultancy_email", "person_email" or "webhook"; ``event``: "booked", "cancelled" or "moved".
    It holds no personal data of its own: the worker reads the lead when it sends, so an erased lead's
    pending notifications are dropped with it. ``claimed_until`` lets several workers share the table.
    """

    __tablename__ = "lead_outbox"

    id = Column(Integer, primary_key=True)
    lead_reference = Column(String(16), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    event = Column(String(16), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime, nullable=False, index=True)
    claimed_until = Column(UTCDateTime)
    delivered_at = Column(UTCDateTime, index=True)
    failed_at = Column(UTCDateTime)  # given up after the last attempt
    last_error = Column(String(200))


class AppointmentRow(Base):
    """One booked (or, briefly, held) consultation slot. ``starts_at`` is unique: the database itself makes
    two people choosing the same slot at once end with one row (leads/appointments.py).

    A hold (``lead_reference`` empty) is taken when the person picks the slot and lapses after
    leads.appointments.HOLD_MINUTES unless the booking is confirmed, which writes the lead's reference.
    """

    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    starts_at = Column(UTCDateTime, nullable=False, unique=True)
    ends_at = Column(UTCDateTime, nullable=False)
    holder = Column(String(255), nullable=False, index=True)  # the conversation (sender id) that picked it
    held_at = Column(UTCDateTime, nullable=False)
    lead_reference = Column(String(16), index=True)
