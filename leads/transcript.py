"""A lead's conversation as the consultant reads it: who said what, when, read from Rasa's tracker store.

Reads the ``events`` table declared in privacy/tracker_events.py (no Rasa import) and never creates it: no
tracker store, no file or no table is an empty transcript. Only what was said is kept (user and bot
texts, and the titles of the buttons the bot offered); intents, slots and actions are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from privacy.tracker_events import BATCH, EVENTS, tracker_engine

PERSON, ASSISTANT = "person", "assistant"
_SPEAKERS = {"user": PERSON, "bot": ASSISTANT}


@dataclass(frozen=True)
class TranscriptLine:
    """One message: ``who`` is "person" or "assistant"; ``at`` is UTC (None if Rasa wrote no time)."""

    who: str
    text: str
    at: datetime | None
    buttons: tuple[str, ...] = ()
    channel: str | None = None  # the person's channel ("socketio", "telegram", "rest"...), user lines only


def transcript(tracker_db_url: str | None, sender_id: str | None) -> list[TranscriptLine]:
    """The conversation of one sender, oldest first; empty when there is none to read."""
    if not tracker_db_url or not sender_id:
        return []
    query = (select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
             .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(tuple(_SPEAKERS)))
             .order_by(EVENTS.c.timestamp, EVENTS.c.id))
    return [line for row in _rows(tracker_db_url, query) if (line := _line(*row)) is not None]


def channel_of(lines: Iterable[TranscriptLine]) -> str | None:
    """The channel the person last wrote from, or None."""
    channels = [line.channel for line in lines if line.channel]
    return channels[-1] if channels else None


def channels(tracker_db_url: str | None, sender_ids: Iterable[str | None]) -> dict[str, str]:
    """Each sender's channel (the last one they wrote from), in a few queries, for a list of leads."""
    wanted = sorted({sender for sender in sender_ids if sender})
    if not tracker_db_url or not wanted:
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(wanted), BATCH):
        query = (select(EVENTS.c.sender_id, EVENTS.c.data)
                 .where(EVENTS.c.sender_id.in_(wanted[start:start + BATCH]), EVENTS.c.type_name == "user")
                 .order_by(EVENTS.c.timestamp, EVENTS.c.id))
        for sender, data in _rows(tracker_db_url, query):
            channel = _event(data).get("input_channel")
            if channel:
                found[sender] = str(channel)
    return found


def _rows(tracker_db_url: str, query: Any) -> list[tuple[Any, ...]]:
    engine = tracker_engine(tracker_db_url)
    if engine is None:
        return []
    try:
        with engine.connect() as connection:
            if not _has_events(connection):
                return []
            return [tuple(row) for row in connection.execute(query)]
    finally:
        engine.dispose()


def _has_events(connection: Connection) -> bool:
    return bool(inspect(connection).has_table(EVENTS.name))


def _event(data: str | None) -> dict[str, Any]:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _line(type_name: str, timestamp: float | None, data: str | None) -> TranscriptLine | None:
    event = _event(data)
    text = str(event.get("text") or "").strip()
    extra = event.get("data") if isinstance(event.get("data"), dict) else {}
    buttons = tuple(str(button.get("title")) for button in (extra.get("buttons") or [])
                    if isinstance(button, dict) and button.get("title"))
    if not text and not buttons:
        return None  # an image, a custom payload: nothing a consultant can read
    moment = event.get("timestamp", timestamp)
    at = datetime.fromtimestamp(float(moment), timezone.utc) if moment is not None else None
    who = _SPEAKERS[type_name]
    channel = str(event.get("input_channel")) if who == PERSON and event.get("input_channel") else None
    return TranscriptLine(who, text, at, buttons, channel)
