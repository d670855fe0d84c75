"""Conversations are not kept forever: `python -m leads purge` deletes those with no message for
TRACKER_RETENTION_DAYS, and `python -m leads erase` deletes a person's conversation with their lead.
On SQLite and on the tests' PostgreSQL (tests/local_services.py; a schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from leads import LeadStore
from tests.privacy.booking_person import Person, book_a_call
from tests.privacy.conversations import RasaConversations
from tests.security.shared_servers import SecurityServers
from tests.servers import ROOT


def leads_command(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`python -m leads ARGS` with these settings and none of the shell's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADS_", "TRACKER_", "POSTGRESQL_"))}
    return subprocess.run([sys.executable, "-m", "leads", *args], cwd=ROOT, env={**env, **settings},
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A tracker store URL: an SQLite file, or a fresh schema on the tests' PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    server = str(request.getfixturevalue("local_postgres_url"))
    schema = f"retention_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(server).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def conversations(tracker_url: str) -> Iterator[RasaConversations]:
    store = RasaConversations(tracker_url)
    yield store
    store.close()


def test_purge_deletes_conversations_silent_past_the_retention_period(
        conversations: RasaConversations, tracker_url: str, tmp_path: Path) -> None:
    old, returning, recent = (conversations.new_sender(label) for label in ("old", "returning", "recent"))
    conversations.say(old, "hello", "am I eligible?")
    conversations.say(returning, "hello")
    conversations.say(recent, "hello")
    conversations.age(old, 120)
    conversations.age(returning, 120)
    conversations.say(returning, "I'm back")  # a message within the period keeps the whole conversation
    before = {sender: conversations.count(sender) for sender in (old, returning, recent)}
    settings = {"LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}", "TRACKER_DB_URL": tracker_url}

    kept = leads_command("purge", "--conversation-days", "150", **settings)
    assert kept.returncode == 0 and "Purged 0 event(s) of 0 conversation(s)" in kept.stdout, kept.stderr
    assert conversations.count(old) == before[old]

    done = leads_command("purge", TRACKER_RETENTION_DAYS="90", **settings)
    assert done.returncode == 0, done.stderr
    assert f"Purged {before[old]} event(s) of 1 conversation(s)" in done.stdout
    assert "(retention 90 days)" in done.stdout and conversations.count(old) == 0
    assert conversations.count(returning) == before[returning]
    assert conversations.count(recent) == before[recent]


def test_purge_without_a_tracker_store_says_so(tmp_path: Path) -> None:
    done = leads_command("purge", LEADS_DB_URL=f"sqlite:///{tmp_path / 'leads.db'}", TRACKER_DB_URL="")
    assert done.returncode == 0 and "conversations NOT purged" in done.stdout


def test_erase_deletes_the_conversation_of_a_real_booking(servers: SecurityServers) -> None:
    """Through the running servers: the booking's lead and every event of its conversation go."""
    assistant = servers.assistant
    person = Person("Oksana Villeneuve-Brandt", "oksana.vb@example.com", "+1 438 555 0142")
    reference = book_a_call(assistant, servers.default_url, person)
    tracker = RasaConversations(assistant.env_value("TRACKER_DB_URL"))
    try:
        other = tracker.new_sender("bystander")
        assistant.say(other, "What is IMP+?")
        assert tracker.count(person.sender) > 10 and tracker.count(other) > 0
        other_events = tracker.count(other)
        settings = {name: assistant.env_value(name) for name in ("LEADS_DB_URL", "TRACKER_DB_URL")}
        done = leads_command("erase", "--email", person.email.upper(), "--yes", **settings)
        assert done.returncode == 0, done.stderr
        assert f"Erased 1 lead(s) ({reference})" in done.stdout
        assert tracker.count(person.sender) == 0 and tracker.count(other) == other_events
    finally:
        tracker.close()
    with LeadStore(assistant.env_value("LEADS_DB_URL")) as leads:
        assert leads.get(reference) is None
