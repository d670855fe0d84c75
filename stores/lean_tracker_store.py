"""Rasa's SQL tracker store with less work per message: the same table, rows and order, fewer steps.

Rasa 3.6 reads a conversation with an ORM query (an object built per row, the query's cache key computed
anew each call) and saves it by counting the stored events with another ORM query, then adding each new
event as an ORM object flushed one INSERT at a time. With SQLite, each of those opens a new connection to
the file (SQLAlchemy 1.4's default pool for a file keeps none). The profile (`make bench`'s flame graph)
put the tracker store at about a third of the Rasa server's CPU per message. Here:

- a read is one SQL statement returning the ``data`` column of the events Rasa's own query would return
  (the latest session's, or all of them), in id order;
- a save adds the new events in one multi-row INSERT through the table Rasa declares (so its id sequence,
  where there is one, still applies). Which events are new: for a tracker read in this turn, those beyond
  the ones it was read with (the conversation's lock keeps any other server from writing in between);
  otherwise, and always after a failed or a first save, those beyond the count of stored events of the
  latest session, as Rasa counts them (so a save retried after a lost connection adds nothing twice);
- SQLite connections are pooled, in write-ahead-log mode with ``synchronous=NORMAL``: a save no longer
  waits for the disk twice, and the desk's reads never block the server's writes. A power cut may lose
  the last turns, never corrupt the file.

Installed on the Rasa server by launch/rasa_patches.py, before stores.sql_reconnect wraps ``save``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

# The events of a conversation since its latest session start (Rasa's ``_event_query`` as plain SQL).
LATEST_SESSION = """
    FROM events
    WHERE sender_id = :sender_id
      AND ("timestamp" >= (SELECT max("timestamp") FROM events
                           WHERE sender_id = :sender_id AND type_name = 'session_started')
           OR (SELECT max("timestamp") FROM events
               WHERE sender_id = :sender_id AND type_name = 'session_started') IS NULL)
"""
LATEST_SESSION_EVENTS = sa.text(f"SELECT data {LATEST_SESSION} ORDER BY id")
ALL_EVENTS = sa.text("SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id")
STORED_IN_LATEST_SESSION = sa.text(f"SELECT count(*) {LATEST_SESSION}")

# SQLite: connections kept open between messages, and a write-ahead log.
SQLITE_POOL = {"poolclass": sa.pool.QueuePool, "pool_size": 4, "max_overflow": 8}
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def event_row(sender_id: str, event: Any) -> dict[str, Any]:
    """The ``events`` row Rasa writes for `event` (the same columns, filled the same way)."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


# Set on a tracker read from the latest session: how many of its events are stored. Used once, by the save.
READ_WITH = "_impplus_stored_events"


async def retrieve_events(store: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
    """Replaces ``SQLTrackerStore._retrieve``: the tracker from its stored events, or None."""
    from rasa.shared.core.trackers import DialogueStateTracker

    query = ALL_EVENTS if fetch_events_from_all_sessions else LATEST_SESSION_EVENTS
    with store.session_scope() as session:
        events = [json.loads(data) for (data,) in session.execute(query, {"sender_id": sender_id})]
    if not (store.domain and events):
        return None
    tracker = DialogueStateTracker.from_dict(sender_id, events, store.domain.slots)
    if not fetch_events_from_all_sessions and len(tracker.events) == len(events):
        setattr(tracker, READ_WITH, len(events))
    return tracker


async def save_events(store: Any, tracker: Any) -> None:
    """Replaces ``SQLTrackerStore.save``: streams the events, then stores those not stored yet."""
    await store.stream_events(tracker)
    read_with = tracker.__dict__.pop(READ_WITH, None)  # once: a second save, or a retry, counts
    with store.session_scope() as session:
        stored = read_with if read_with is not None else session.execute(
            STORED_IN_LATEST_SESSION, {"sender_id": tracker.sender_id}).scalar() or 0
        new_events = itertools.islice(tracker.events, stored, None)
        rows = [event_row(tracker.sender_id, event) for event in new_events]
        if rows:
            session.execute(store.SQLEvent.__table__.insert(), rows)
        session.commit()


def tune_sqlite_connection(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


EngineKwargs = Callable[[Any], dict[str, Any]]


def with_sqlite_pool(kwargs_for: EngineKwargs) -> EngineKwargs:
    """Rasa's engine options, with a pool of SQLite connections (usable from any of the server's threads)."""

    @functools.wraps(kwargs_for)
    def engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = kwargs_for(url)
        if sa.engine.make_url(str(url)).get_backend_name() != "sqlite":
            return kwargs
        connect_args = {**(kwargs.get("connect_args") or {}), "check_same_thread": False}
        return {**kwargs, **SQLITE_POOL, "connect_args": connect_args}

    return engine_kwargs


def with_tuned_sqlite(init: Callable[..., None]) -> Callable[..., None]:
    """``SQLTrackerStore.__init__``, then every new SQLite connection of its engine set to WAL."""

    @functools.wraps(init)
    def tuned_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", tune_sqlite_connection)
            self.engine.dispose()  # the connection that created the table is reopened with the pragmas

    return tuned_init


def install() -> None:
    """Rasa's SQLTrackerStore reads and saves as above; idempotent."""
    import rasa.core.tracker_store as tracker_store

    from launch.rasa_replacements import original, replace

    store = tracker_store.SQLTrackerStore
    replace(tracker_store, "create_engine_kwargs",
            with_sqlite_pool(original(tracker_store, "create_engine_kwargs")))
    replace(store, "__init__", with_tuned_sqlite(original(store, "__init__")))
    replace(store, "_retrieve", retrieve_events)
    replace(store, "save", save_events)
