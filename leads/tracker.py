"""Erasing a person's conversation from Rasa's SQL tracker store (table ``events``, column ``sender_id``).

The table is declared here with only the columns we touch, instead of importing Rasa, so the
consultancy's command line stays light. A missing database file or table is reported, never created.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, delete, inspect
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
)
BATCH = 500  # keeps IN (...) lists well under every database's parameter limit


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
    url = make_url(tracker_db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return TrackerErasure("no_tracker")
    engine = create_engine(url, future=True, hide_parameters=True)
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
