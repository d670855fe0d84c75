"""Rasa's SQL tracker store on a real PostgreSQL whose connections are cut between two turns (what the soak
test found losing turns): with stores.sql_reconnect installed, both turns are stored."""

from __future__ import annotations

import asyncio
import warnings

import pytest
import sqlalchemy as sa

from stores.sql_reconnect import install, with_pre_ping


def cut_connections(url: str) -> int:
    """pg_terminate_backend on every other connection to the database, as a failover or a restart would."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        cut = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    engine.dispose()
    return int(cut)


def test_a_turn_after_the_connections_were_cut_is_stored(database_url: str) -> None:
    import rasa.shared.core.trackers  # noqa: F401 - Rasa's own warning filters first

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.shared.core.events import UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker
    install()
    store = SQLTrackerStore(host=database_url)
    sender = "reconnect-1"

    async def turn(text: str) -> None:
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, slots=[])
        tracker.update(UserUttered(text))
        await store.save(tracker)

    asyncio.run(turn("one"))
    assert cut_connections(database_url) >= 1
    asyncio.run(turn("two"))
    stored = asyncio.run(store.retrieve(sender))
    assert [event.text for event in stored.events if isinstance(event, UserUttered)] == ["one", "two"]
    store.engine.dispose()


def test_the_urls_own_options_are_kept_over_rasas_search_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """With POSTGRESQL_SCHEMA set Rasa adds its own connection options, which replaced the URL's (and with
    them the statement timeout)."""
    import rasa.core.tracker_store as tracker_store

    monkeypatch.setenv("POSTGRESQL_SCHEMA", "impplus")
    url = "postgresql://127.0.0.1/test?options=-csearch_path%3Dimpplus%20-cstatement_timeout%3D10000"
    kwargs = with_pre_ping(tracker_store.create_engine_kwargs)(url)
    assert kwargs["pool_pre_ping"] is True and "options" not in kwargs.get("connect_args", {})
    plain = with_pre_ping(tracker_store.create_engine_kwargs)("postgresql://127.0.0.1/test")
    assert plain["connect_args"] == {"options": "-csearch_path=impplus"}
