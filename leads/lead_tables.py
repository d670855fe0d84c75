"""The leads table (SQLAlchemy 1.4 declarative, written so it also runs on 2.0)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text
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
