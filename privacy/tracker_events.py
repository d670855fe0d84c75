"""Rasa's SQL tracker store (table ``events``) as the privacy tools see it: the table with only the columns
they touch, and an engine on it that never creates a database.

The table is declared here instead of importing Rasa, so the consultancy's command line (``python -m
leads``) stays light. Used by the erasure (tracker_erasure.py), the retention purge (tracker_retention.py)
and the removal of a cancelled booking's details (tracker_redaction.py).

Also the time bound of every connection to our databases (this tracker store, and the leads database through
leads.store.make_engine, which already depends on this package): a statement or a wait for a lock never
outlasts the action that runs it (ACTION_TIMEOUT_SECONDS), so a stuck database gives an error the action
can answer with instead of a conversation that hangs.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine
from sqlalchemy.engine import URL, Engine, make_url

from project_settings import action_timeout

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
ACTION_SHARE = 0.5  # of the action's time a single statement (or a wait for a lock) may take


def statement_bound() -> float:
    """Seconds a statement or a lock wait may last: half the action's time, leaving the rest for the other
    statements of its transaction and for the answer."""
    return action_timeout() * ACTION_SHARE


def time_bounded(url: str | URL, seconds: float | None = None) -> URL:
    """The URL with its time bound: PostgreSQL's ``statement_timeout`` added to the connection options
    (kept with those already there, like Rasa's search_path), SQLite's busy timeout as ``timeout``.

    A bound the URL already gives is kept: the operator chose it. Other databases are left as they are.
    """
    url = make_url(url)
    seconds = statement_bound() if seconds is None else seconds
    backend = url.get_backend_name()
    if backend == "postgresql":
        options = str(url.query.get("options") or "")
        if "statement_timeout" not in options:
            bound = f"-c statement_timeout={max(1, round(seconds * 1000))}"
            url = url.update_query_dict({"options": f"{options} {bound}".strip()})
    elif backend == "sqlite" and "timeout" not in url.query:
        url = url.update_query_dict({"timeout": f"{seconds:g}"})
    return url


def tracker_engine(tracker_db_url: str) -> Engine | None:
    """An engine on the tracker store, time-bounded (time_bounded), or None when its SQLite file doesn't
    exist (never created here)."""
    url = time_bounded(tracker_db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return None
    return create_engine(url, future=True, hide_parameters=True)
