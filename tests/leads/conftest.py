"""Shared fixtures: leads databases (SQLite; PostgreSQL at TEST_POSTGRES_URL, or a throwaway one: see
tests/local_services.py), Rasa tracker stores, a webhook receiver, an SMTP server on loopback."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from leads import LeadStore, NewLead
from project_settings import ProjectSettings, load_settings
from tests.local_services import local_postgres_fixture  # noqa: F401 - fixture

REPO = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def pg_base_url(local_postgres_url: str) -> str:
    """The tests' PostgreSQL server (never skipped: a throwaway one is started when none answers)."""
    return local_postgres_url


@pytest.fixture()
def pg_url(pg_base_url: str) -> Iterator[str]:
    """A fresh schema per test (dropped afterwards), selected through the connection's search_path."""
    schema = f"leads_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'leads.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The leads database URL, on each engine in turn."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture()
def tracker_url(db_url: str, tmp_path: Path) -> str:
    """The tracker store on the same engine as the leads: a separate SQLite file, or the same schema."""
    return f"sqlite:///{tmp_path / 'tracker.db'}" if db_url.startswith("sqlite") else db_url


class Clock:
    """A settable clock for the store, so leads can be made old."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(db_url: str, clock: Clock) -> Iterator[LeadStore]:
    with LeadStore(db_url, clock=clock) as lead_store:
        yield lead_store


def new_lead(**changes: Any) -> NewLead:
    """A valid lead; keyword arguments replace fields."""
    fields: dict[str, Any] = {
        "full_name": "Marie-Ève Tremblay",
        "email": "marie.tremblay@example.com",
        "language": "fr",
        "consent_text": "J'accepte d'être contactée et que mes coordonnées soient conservées.",
        "preferred_time": "weekday mornings, Paris time",
        "time_zone": "Europe/Paris",
        "phone": "+33612345678",
        "phone_typed": "06 12 34 56 78",
        "sender_id": "sender-marie",
        "screening": {"profile": {"residence": "abroad"}, "verdict": "eligible", "criteria": []},
    }
    fields.update(changes)
    return NewLead(**fields)


class Tracker:
    """Rasa's own SQLTrackerStore on a URL: saves a conversation and counts its events."""

    def __init__(self, url: str) -> None:
        # Rasa's imports (Sanic, ruamel.yaml) add warning filters of their own: import them first so the
        # "ignore" below, for Rasa's SQLAlchemy 1.4 deprecations (not ours), comes after them.
        import rasa.shared.core.trackers  # noqa: F401
        import sanic  # noqa: F401

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from rasa.core.tracker_store import SQLTrackerStore

            dialect = make_url(url).get_backend_name()
            self.store = SQLTrackerStore(dialect=dialect, host=url) if dialect != "sqlite" else \
                SQLTrackerStore(dialect="sqlite", db=make_url(url).database)

    def converse(self, sender_id: str, *messages: str) -> None:
        from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        events: list[Any] = [ActionExecuted("action_session_start"), SessionStarted()]
        events += [UserUttered(message) for message in messages]
        asyncio.run(self.store.save(DialogueStateTracker.from_events(sender_id, events)))

    def count(self, sender_id: str) -> int:
        with self.store.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                          {"s": sender_id}).scalar_one())

    def close(self) -> None:
        self.store.engine.dispose()


@pytest.fixture()
def tracker(tracker_url: str) -> Iterator[Tracker]:
    rasa_tracker = Tracker(tracker_url)
    yield rasa_tracker
    rasa_tracker.close()


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str, tracker_url: str) -> Callable[..., None]:
    """Point the command line (in this process) at the test databases."""
    def apply(**extra: str) -> None:
        for key in ("LEADS_WEBHOOK_URL", "POSTGRESQL_SCHEMA", "LEADS_RETENTION_DAYS"):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("LEADS_DB_URL", db_url)
        monkeypatch.setenv("TRACKER_DB_URL", tracker_url)
        for key, value in extra.items():
            monkeypatch.setenv(key, value)

    apply()
    return apply


@dataclass
class Receiver:
    """A webhook endpoint: answers ``status`` after ``delay`` seconds and records what it got."""

    url: str = ""
    status: int = 200
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = {"path": self.path, "headers": dict(self.headers), "body": json.loads(body),
                       "raw": body}
            state.requests.append(request)
            time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/crm?key=secret-token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """A real SMTP server (aiosmtpd) on a loopback port, which can be down then up again on that port."""

    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture()
def mailbox() -> Iterator[Mailbox]:
    """The SMTP server's port, not listening yet: call ``.start()``."""
    box = Mailbox(closed_port())
    yield box
    box.stop()


def notify_settings(db_url: str, smtp_port: int | None = None, webhook_url: str | None = None,
                    **extra: str) -> ProjectSettings:
    """Settings with the notifications pointed at loopback servers (plain SMTP, no STARTTLS)."""
    env = {"LEADS_DB_URL": db_url, "SMTP_HOST": "127.0.0.1" if smtp_port else "",
           "SMTP_PORT": str(smtp_port or 25), "SMTP_STARTTLS": "false", "SMTP_TIMEOUT": "2",
           "LEADS_NOTIFY_EMAIL": "desk@consultancy.example", "LEADS_WEBHOOK_URL": webhook_url or "",
           "LEADS_WEBHOOK_RETRIES": "0", "LEADS_WEBHOOK_TIMEOUT": "2", "NOTIFY_MAX_ATTEMPTS": "3",
           "NOTIFY_RETRY_SECONDS": "5", "LEADS_WEBHOOK_SECRET": "", **extra}
    return load_settings(env)
