"""Every connection to the leads database and to the tracker store is time-bounded below the action's
timeout: a PostgreSQL statement that runs longer is cancelled, a SQLite lock is waited for a bounded time."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from leads import LeadStore
from privacy.tracker_events import statement_bound, time_bounded, tracker_engine
from project_settings import action_timeout
from tests.leads.conftest import new_lead


@pytest.fixture()
def short_actions(monkeypatch: pytest.MonkeyPatch) -> float:
    """Actions of 2 s: statements and lock waits bounded to 1 s."""
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "2")
    assert 0 < statement_bound() < action_timeout()
    return statement_bound()


def test_a_postgresql_statement_longer_than_the_bound_is_cancelled(pg_url: str, short_actions: float) -> None:
    schema = make_url(pg_url).query["options"].split("=", 1)[1]
    with LeadStore(pg_url) as store:
        with store.engine.connect() as connection:
            # The bound comes with the search_path the URL already had, not instead of it.
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "1s"
            assert connection.execute(text("SELECT current_schema()")).scalar_one() == schema
            with pytest.raises(OperationalError, match="statement timeout"):
                connection.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": short_actions * 3})
        assert store.save(new_lead()).reference  # the pool is usable afterwards


def test_the_tracker_store_connections_are_bounded_too(pg_url: str, short_actions: float) -> None:
    engine = tracker_engine(pg_url)
    assert engine is not None
    try:
        with engine.connect() as connection, pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": short_actions * 3})
    finally:
        engine.dispose()


def test_sqlite_waits_for_a_lock_a_bounded_time(tmp_path: Path, short_actions: float) -> None:
    database = tmp_path / "leads.db"
    with LeadStore(f"sqlite:///{database}") as store:
        store.save(new_lead())
        with store.engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
        assert busy == round(short_actions * 1000)
        writer = sqlite3.connect(database)
        try:
            writer.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
            with pytest.raises(OperationalError, match="database is locked"):
                store.save(new_lead(sender_id="waiting"))
        finally:
            writer.rollback()
            writer.close()
        assert len(store.recent()) == 1
        tracker = tracker_engine(f"sqlite:///{database}")
        assert tracker is not None
        with tracker.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == busy
        tracker.dispose()


def test_a_bound_the_url_gives_is_kept() -> None:
    url = "postgresql://db/leads?options=-csearch_path%3Dimp%20-c%20statement_timeout%3D5s"
    assert time_bounded(url, 1).query["options"] == "-csearch_path=imp -c statement_timeout=5s"
    assert time_bounded("postgresql://db/leads", 1.5).query["options"] == "-c statement_timeout=1500"
    assert time_bounded("sqlite:///x.db?timeout=30", 1).query["timeout"] == "30"
    assert time_bounded("sqlite:///x.db", 2.5).query["timeout"] == "2.5"
