"""A refused or cancelled booking leaves no personal detail in the stored conversation: what was typed
for it, and the details it set, are removed from Rasa's SQL tracker store (actions/booking.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from sqlalchemy import inspect, select, update

from .tracker_events import EVENTS, tracker_engine

logger = logging.getLogger(__name__)

REMOVED = "[removed]"
MIN_PERSONAL_CHARS = 3  # shorter slot values ("en") are not looked for in the assistant's messages


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
    engine = tracker_engine(tracker_db_url)
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
