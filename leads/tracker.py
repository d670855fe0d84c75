"""Erasing from Rasa's SQL tracker store (table ``events``): a person's conversations (Law 25 erasure),
those past the retention period (TRACKER_RETENTION_DAYS), and the details typed during a booking that was
refused or cancelled.

The table is declared here with only the columns we touch, instead of importing Rasa, so the
consultancy's command line stays light. A missing database file or table is reported, never created.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    exists,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url

logger = logging.getLogger(__name__)

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255)),
    Column("timestamp", Float),  # seconds since the epoch, as Rasa writes it
    Column("data", Text),  # the event as JSON
)
REMOVED = "[removed]"
MIN_PERSONAL_CHARS = 3  # shorter slot values ("en") are not looked for in the assistant's messages
BATCH = 500  # keeps IN (...) lists well under every database's parameter limit


@dataclass(frozen=True)
class TrackerErasure:
    """``status``: "erased", "no_conversation", "no_tracker" or "not_configured"."""

    status: str
    events_deleted: int = 0


@dataclass(frozen=True)
class TrackerPurge:
    """``status``: "purged", "nothing_to_purge", "no_tracker" or "not_configured"."""

    status: str
    cutoff: datetime
    conversations: int = 0
    events_deleted: int = 0


def _engine(tracker_db_url: str) -> Engine | None:
    """An engine on the tracker store, or None when its SQLite file doesn't exist (never created here)."""
    url = make_url(tracker_db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return None
    return create_engine(url, future=True, hide_parameters=True)


def erase_conversations(tracker_db_url: str | None, sender_ids: Sequence[str]) -> TrackerErasure:
    """Delete every event of these senders; raises SQLAlchemy errors when the database can't be used."""
    if not tracker_db_url:
        return TrackerErasure("not_configured")
    if not sender_ids:
        return TrackerErasure("no_conversation")
    engine = _engine(tracker_db_url)
    if engine is None:
        return TrackerErasure("no_tracker")
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table(EVENTS.name):
                return TrackerErasure("no_tracker")
            deleted = 0
            ids = list(sender_ids)
            for start in range(0, len(ids), BATCH):
                batch = ids[start:start + BATCH]
                result = connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(batch)))
                deleted += result.rowcount or 0
    finally:
        engine.dispose()
    logger.info("tracker store: deleted %d event(s) of %d conversation(s)", deleted, len(ids))
    return TrackerErasure("erased" if deleted else "no_conversation", deleted)


def purge_conversations(tracker_db_url: str | None, older_than_days: int, now: datetime) -> TrackerPurge:
    """Delete the conversations with no event since ``now`` minus ``older_than_days`` (all their events).

    A conversation still in use keeps its whole history: Rasa reads its sessions from it, and a
    conversation counts as in use while it had a message within the retention period. The check is made
    again in the DELETE itself, so a person writing during the purge keeps their conversation.
    """
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = now - timedelta(days=older_than_days)
    if not tracker_db_url:
        return TrackerPurge("not_configured", cutoff)
    engine = _engine(tracker_db_url)
    if engine is None:
        return TrackerPurge("no_tracker", cutoff)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table(EVENTS.name):
                return TrackerPurge("no_tracker", cutoff)
            senders, deleted = _delete_inactive(connection, cutoff.timestamp())
    finally:
        engine.dispose()
    logger.info("tracker store: purged %d event(s) of %d conversation(s) inactive since %s", deleted,
                len(senders), cutoff.date().isoformat())
    return TrackerPurge("purged" if deleted else "nothing_to_purge", cutoff, len(senders), deleted)


def _delete_inactive(connection: Connection, cutoff: float) -> tuple[list[str], int]:
    inactive = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(
        func.max(EVENTS.c.timestamp) < cutoff)
    senders = list(connection.execute(inactive).scalars())
    recent = EVENTS.alias("recent")
    still_active = exists().where(recent.c.sender_id == EVENTS.c.sender_id, recent.c.timestamp >= cutoff)
    deleted = 0
    for start in range(0, len(senders), BATCH):
        batch = senders[start:start + BATCH]
        result = connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(batch), ~still_active))
        deleted += result.rowcount or 0
    return senders, deleted


def redact_since(
    tracker_db_url: str | None, sender_id: str, since: float, slots: Iterable[str]
) -> int | None:
    """Remove what a person typed from `since` on, and the values of `slots` set since then, from their
    stored conversation; also the assistant's messages that repeat one of those values (a summary).

    Rows are rewritten in place, never deleted, so Rasa (which appends the events of the turn under way
    after the ones it counts in the store) saves the rest of the turn normally. Returns the number of
    events changed, or None when there is no SQL tracker store to change.
    """
    if not tracker_db_url:
        return None
    engine = _engine(tracker_db_url)
    if engine is None:
        return None
    names = frozenset(slots)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table(EVENTS.name):
                return None
            rows = connection.execute(
                select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.data)
                .where(EVENTS.c.sender_id == sender_id, EVENTS.c.timestamp >= since)
                .order_by(EVENTS.c.id)
            ).all()
            events = [(row.id, row.type_name, json.loads(row.data or "{}")) for row in rows]
            personal = {
                str(data.get("value")).casefold()
                for _, kind, data in events
                if kind == "slot" and data.get("name") in names and isinstance(data.get("value"), str)
                and len(data["value"].strip()) >= MIN_PERSONAL_CHARS
            }
            changed = 0
            for event_id, kind, data in events:
                redacted = _redacted(kind, data, names, personal)
                if redacted is not None:
                    row = update(EVENTS).where(EVENTS.c.id == event_id)
                    connection.execute(row.values(data=json.dumps(redacted)))
                    changed += 1
    finally:
        engine.dispose()
    logger.info("tracker store: removed personal details from %d event(s)", changed)
    return changed


def _redacted(kind: str, data: dict, slots: frozenset[str], personal: set[str]) -> dict | None:
    """The event without personal details, or None when it holds none."""
    if kind == "user":
        parse = dict(data.get("parse_data") or {})
        parse.update(text=REMOVED, entities=[])
        return {**data, "text": REMOVED, "parse_data": parse}
    if kind == "slot" and data.get("name") in slots and data.get("value") is not None:
        return {**data, "value": None}
    if kind == "bot" and any(value in str(data.get("text") or "").casefold() for value in personal):
        return {**data, "text": REMOVED}
    return None
