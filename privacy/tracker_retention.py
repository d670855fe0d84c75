"""Conversations are not kept forever: those with no message for TRACKER_RETENTION_DAYS are deleted from
Rasa's SQL tracker store (``python -m leads purge``, ``make purge``). A missing database is reported,
never created."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, inspect, select
from sqlalchemy.engine import Connection

from .tracker_events import BATCH, EVENTS, tracker_engine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrackerPurge:
    """``status``: "purged", "nothing_to_purge", "no_tracker" or "not_configured"."""

    status: str
    cutoff: datetime
    conversations: int = 0
    events_deleted: int = 0


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
    engine = tracker_engine(tracker_db_url)
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
