"""Rasa's SQL tracker store (table ``events``) as the privacy tools see it: the table with only the columns
they touch, and an engine on it that never creates a database.

The table is declared here instead of importing Rasa, so the consultancy's command line (``python -m
leads``) stays light. Used by the erasure (tracker_erasure.py), the retention purge (tracker_retention.py)
and the removal of a cancelled booking's details (tracker_redaction.py).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine
from sqlalchemy.engine import Engine, make_url

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255)),
    Column("timestamp", Float),  # seconds since the epoch, as Rasa writes it
    Column("data", Text),  # the event as JSON
)
BATCH = 500  # keeps IN (...) lists well under every database's parameter limit


def tracker_engine(tracker_db_url: str) -> Engine | None:
    """An engine on the tracker store, or None when its SQLite file doesn't exist (never created here)."""
    url = make_url(tracker_db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return None
    return create_engine(url, future=True, hide_parameters=True)
