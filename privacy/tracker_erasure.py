"""Erasing a person's conversations from Rasa's SQL tracker store (Law 25 erasure, with their lead:
``python -m leads erase``). A missing database file or table is reported, never created."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, inspect

from .tracker_events import BATCH, EVENTS, tracker_engine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrackerErasure:
    """``status``: "erased", "no_conversation", "no_tracker" or "not_configured"."""

    status: str
    events_deleted: int = 0


def erase_conversations(tracker_db_url: str | None, sender_ids: Sequence[str]) -> TrackerErasure:
    """Delete every event of these senders; raises SQLAlchemy errors when the database can't be used."""
    if not tracker_db_url:
        return TrackerErasure("not_configured")
    if not sender_ids:
        return TrackerErasure("no_conversation")
    engine = tracker_engine(tracker_db_url)
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
