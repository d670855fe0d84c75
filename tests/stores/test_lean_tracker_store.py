"""stores.lean_tracker_store against Rasa's own SQL tracker store, on SQLite and on a real PostgreSQL: the
same rows written, the same conversations read back (latest session and all sessions), nothing twice."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from launch.rasa_replacements import original
from stores import lean_tracker_store
from tests.servers import ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

COLUMNS = "type_name, timestamp, intent_name, action_name, data"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("database_url")


def conversation() -> list[list[Any]]:
    """Two sessions of turns, each turn the events one message adds (fixed timestamps)."""
    clock = iter(range(1_700_000_000, 1_700_001_000))

    def at(event: Any) -> Any:
        event.timestamp = float(next(clock))
        return event

    def session() -> list[Any]:
        return [at(ActionExecuted("action_session_start")), at(SessionStarted()),
                at(ActionExecuted("action_listen"))]

    def turn(text: str, intent: str, reply: str) -> list[Any]:
        parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
        return [at(UserUttered(text, parse["intent"], [], parse)), at(SlotSet("language", "fr")),
                at(ActionExecuted("action_answer")), at(BotUttered(reply)),
                at(ActionExecuted("action_listen"))]

    return [session() + turn("bonjour", "greet", "Bonjour !"),
            turn("c'est quoi le PMI+ ?", "ask_what_is", "…"),
            session() + turn("hello again", "greet", "Hello!"),
            turn("thanks", "thanks", "You're welcome.")]


def play(store: SQLTrackerStore, sender: str, retrieve: Any, save: Any) -> None:
    """Each turn as the Rasa server does it: read the conversation, add the turn's events, save it."""

    async def turns() -> None:
        for events in conversation():
            tracker = await retrieve(store, sender, False) or DialogueStateTracker(sender, store.domain.slots)
            for event in events:
                tracker.update(event)
            await save(store, tracker)

    asyncio.run(turns())


def rows(store: SQLTrackerStore, sender: str) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            sa.text(f"SELECT {COLUMNS} FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})]


def test_the_same_rows_are_written_and_the_same_conversation_read(store_url: str, domain: Domain) -> None:
    lean_tracker_store.install()
    store = SQLTrackerStore(domain=domain, host=store_url)
    rasa_retrieve, rasa_save = original(SQLTrackerStore, "_retrieve"), original(SQLTrackerStore, "save")
    lean_retrieve, lean_save = lean_tracker_store.retrieve_events, lean_tracker_store.save_events
    play(store, "by-rasa", rasa_retrieve, rasa_save)
    play(store, "lean", lean_retrieve, lean_save)

    written = rows(store, "lean")
    assert written == rows(store, "by-rasa")
    assert len(written) == sum(len(events) for events in conversation())  # each event once
    for sender in ("by-rasa", "lean"):
        for all_sessions in (False, True):
            ours = asyncio.run(lean_retrieve(store, sender, all_sessions))
            theirs = asyncio.run(rasa_retrieve(store, sender, all_sessions))
            assert ours.events == theirs.events and ours.current_slot_values() == theirs.current_slot_values()
    latest = asyncio.run(store.retrieve("lean"))
    said = [event.text for event in latest.events if isinstance(event, UserUttered)]
    assert said == ["hello again", "thanks"]
    assert asyncio.run(store.retrieve("nobody")) is None
    store.engine.dispose()


def test_sqlite_connections_are_pooled_in_write_ahead_log_mode(tmp_path: Path, domain: Domain) -> None:
    lean_tracker_store.install()
    store = SQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    play(store, "wal", lean_tracker_store.retrieve_events, lean_tracker_store.save_events)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    assert (tmp_path / "tracker.db-wal").exists()
    store.engine.dispose()


def test_a_tracker_read_this_turn_is_saved_without_counting_and_only_once_so(store_url: str,
                                                                              domain: Domain) -> None:
    lean_tracker_store.install()
    store = SQLTrackerStore(domain=domain, host=store_url)
    play(store, "memo", lean_tracker_store.retrieve_events, lean_tracker_store.save_events)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda _conn, _cursor, statement, *_: statements.append(statement))
    tracker = asyncio.run(store.retrieve("memo"))
    tracker.update(UserUttered("one more", {"name": "greet", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    assert not any("count(" in statement for statement in statements)
    asyncio.run(store.save(tracker))  # saved again: counted, and nothing added twice
    assert any("count(" in statement for statement in statements)
    events = asyncio.run(store.retrieve("memo")).events
    said = [event.text for event in events if isinstance(event, UserUttered)]
    assert said == ["hello again", "thanks", "one more"]
    store.engine.dispose()
