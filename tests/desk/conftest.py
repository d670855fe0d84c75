"""The desk as it runs: ``python -m desk`` in its own process on a free port, over real SQLite leads and
tracker databases (the tracker written by Rasa's own SQLTrackerStore), signed into with a real password."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests

from desk.auth import hash_password
from eligibility import assess
from leads import LeadStore, NewLead
from leads.summary import screening_summary
from tests.leads.conftest import Tracker
from tests.servers import ROOT, VENV_BIN, default_settings, free_port
from tests.web.conftest import browser, docs_screenshot, new_tab  # noqa: F401 - the browser tests' fixtures

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
START = datetime(2026, 11, 24, 14, 30, tzinfo=timezone.utc)


@dataclass
class Desk:
    """A running desk, its databases, and the process (stopped by the fixture)."""

    url: str
    leads_url: str
    tracker_url: str
    process: subprocess.Popen[bytes]
    log: Path
    references: dict[str, str] = field(default_factory=dict)

    def client(self) -> requests.Session:
        return requests.Session()

    def signed_in(self, lang: str | None = None) -> requests.Session:
        session = self.client()
        token = csrf_token(session.get(f"{self.url}/login").text)
        answer = session.post(f"{self.url}/login", data={"csrf_token": token, "password": PASSWORD})
        assert answer.url.endswith("/leads"), answer.text
        if lang:
            session.get(f"{self.url}/leads?lang={lang}")
        return session

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    assert found, "no CSRF token in the page"
    return found.group(1)


def start_desk(workdir: Path, **env: str) -> Desk:
    """``python -m desk`` with the test databases (unless ``env`` gives others); waits until it answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    leads_url = env.pop("LEADS_DB_URL", f"sqlite:///{workdir / 'leads.db'}")
    tracker_url = env.pop("TRACKER_DB_URL", f"sqlite:///{workdir / 'tracker.db'}")
    settings = {**default_settings(), **{k: v for k, v in os.environ.items() if not k.startswith("DESK_")},
                "DESK_HOST": "127.0.0.1", "DESK_PORT": str(port), "DESK_PASSWORD_HASH": PASSWORD_HASH,
                "DESK_COOKIE_SECURE": "false", "LEADS_DB_URL": leads_url, "TRACKER_DB_URL": tracker_url,
                "PYTHONPATH": str(ROOT), **env}
    log = workdir / f"desk-{port}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([str(VENV_BIN / "python"), "-m", "desk"], cwd=ROOT, env=settings,
                                   stdout=output, stderr=subprocess.STDOUT)
    desk = Desk(f"http://127.0.0.1:{port}", leads_url, tracker_url, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the desk exited: {log.read_text()}")
        try:
            if requests.get(f"{desk.url}/health", timeout=1).status_code == 200:
                return desk
        except requests.ConnectionError:
            time.sleep(0.1)
    desk.stop()
    raise RuntimeError(f"the desk did not start: {log.read_text()}")


class RasaTracker(Tracker):
    """Rasa's own SQLTrackerStore (tests/leads/conftest.py), with whole conversations of user and bot turns
    at given times, as the assistant writes them."""

    def play(self, sender_id: str, turns: list[tuple[str, str, list[str]]], start: datetime,
             channel: str = "socketio") -> None:
        """``turns``: (who, text, button titles) with who "user" or "bot", a minute apart from ``start``."""
        from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        events: list[Any] = [ActionExecuted("action_session_start", timestamp=start.timestamp()),
                             SessionStarted(timestamp=start.timestamp())]
        for minute, (who, text, buttons) in enumerate(turns, start=1):
            at = (start + timedelta(minutes=minute)).timestamp()
            if who == "user":
                events.append(UserUttered(text, input_channel=channel, timestamp=at))
            else:
                data = {"buttons": [{"title": title, "payload": f"/{title}"} for title in buttons]}
                events.append(BotUttered(text, data=data if buttons else {}, timestamp=at))
        tracker = DialogueStateTracker.from_events(sender_id, events)
        with ThreadPoolExecutor(1) as thread:  # its own event loop: Playwright may run one in this thread
            thread.submit(asyncio.run, self.store.save(tracker)).result()


def screening(profile: dict[str, Any]) -> dict[str, Any]:
    """The engine's real summary of a profile, as the assistant attaches it to a lead."""
    return screening_summary(profile, assess(profile, date(2026, 11, 24)))


SAMPLE_LEADS: list[dict[str, Any]] = [
    {"key": "marie", "full_name": "Marie-Ève Tremblay", "email": "marie.tremblay@example.com",
     "language": "fr", "time_zone": "Europe/Paris", "phone": "+33612345678", "phone_typed": "06 12 34 56 78",
     "preferred_time": "en matinée, heure de Paris", "channel": "socketio",
     "profile": {"residence": "abroad", "status_in_canada": "none", "has_csq": True,
                 "csq_program": "regular_skilled_worker", "csq_valid": True, "pr_applied": True,
                 "pr_decision": "none"},
     "turns": [("bot", "Bonjour! Je suis l'assistant de présélection PMI+.", []),
               ("user", "Est-ce que je suis admissible au PMI+?", []),
               ("bot", "Où habitez-vous présentement?", ["À l'étranger", "Au Québec", "Ailleurs au Canada"]),
               ("user", "À l'étranger, en France", []),
               ("bot", "Merci! Voulez-vous prendre rendez-vous avec un consultant?", ["Oui", "Non"]),
               ("user", "Oui", [])]},
    {"key": "arjun", "full_name": "Arjun Mehta", "email": "arjun.mehta@example.com", "language": "en",
     "time_zone": "Asia/Kolkata", "preferred_time": "weekday evenings IST", "channel": "telegram",
     "profile": {"residence": "quebec", "status_in_canada": "work_or_study_permit", "has_csq": True,
                 "csq_program": "peq"},
     "turns": [("user", "Can I get the IMP+ permit?", []),
               ("bot", "Where do you live right now?", ["Abroad", "In Quebec", "Elsewhere in Canada"]),
               ("user", "In Quebec, in Montreal", [])]},
    {"key": "lucy", "full_name": "Lucy Nguyen", "email": "lucy.nguyen@example.com", "language": "en",
     "time_zone": "America/Vancouver", "preferred_time": "afternoons", "channel": "socketio",
     "profile": {"residence": "other_province"}, "turns": [("user", "hello", [])]},
]


def seed(desk: Desk, clock_start: datetime = START) -> dict[str, str]:
    """The sample leads (one an hour apart, Lucy newest) and their conversations; returns key -> reference."""
    tracker = RasaTracker(desk.tracker_url)
    references: dict[str, str] = {}
    try:
        for hours, sample in enumerate(SAMPLE_LEADS):
            created = clock_start + timedelta(hours=hours)
            sender = f"sender-{sample['key']}"
            tracker.play(sender, sample["turns"], created - timedelta(minutes=30), sample["channel"])
            with LeadStore(desk.leads_url, clock=lambda created=created: created) as store:
                lead = store.save(NewLead(
                    full_name=sample["full_name"], email=sample["email"], language=sample["language"],
                    consent_text="I agree to be contacted about my request.", time_zone=sample["time_zone"],
                    phone=sample.get("phone"), phone_typed=sample.get("phone_typed"),
                    preferred_time=sample["preferred_time"], sender_id=sender,
                    screening=screening(sample["profile"])))
            references[sample["key"]] = lead.reference
    finally:
        tracker.close()
    desk.references = references
    return references


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One desk for a test module, with the sample leads in it."""
    running = start_desk(tmp_path_factory.mktemp("desk"))
    seed(running)
    yield running
    running.stop()


@pytest.fixture
def fresh_desk(tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    """Starts desks with settings of a test's own (stopped after it)."""
    started: list[Desk] = []

    def start(**env: str) -> Desk:
        running = start_desk(tmp_path / f"desk{len(started)}", **env)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
