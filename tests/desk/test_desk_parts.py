"""The desk's parts on their own: password hashes and the sign-in limit, signed sessions, CSRF tokens, the
language choice, times, and the follow-ups and transcripts read from real SQLite databases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from desk.auth import LoginLimiter, PasswordHashError, check_hash, hash_password, verify_password
from desk.csrf import token_matches
from desk.language import desk_language, from_accept_language
from desk.moments import moment, slot
from desk.sessions import LIFETIME_SECONDS, SessionSigner
from leads import LeadStore, NewLead
from leads.follow_ups import NEVER_FOLLOWED_UP, history, set_status, status_of
from leads.lead_errors import LeadInputError
from leads.transcript import ASSISTANT, PERSON, channel_of, channels, transcript
from tests.desk.conftest import RasaTracker

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_password_hash_is_salted_and_verifies_only_its_password() -> None:
    first, second = hash_password("desk pass"), hash_password("desk pass")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password("desk pass", first) and verify_password("desk pass", second)
    assert not verify_password("desk pasS", first) and not verify_password("", first)
    assert not verify_password("x" * 5000, first)
    with pytest.raises(ValueError):
        hash_password("")


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$1$8$1$c2FsdA$a2V5", "bcrypt$16384$8$1$c2FsdA$a2V5"])
def test_a_hash_not_made_by_the_desk_is_refused(stored: str) -> None:
    with pytest.raises(PasswordHashError):
        check_hash(stored)


def test_failed_sign_ins_are_counted_per_address_within_the_window() -> None:
    clock = Clock()
    limiter = LoginLimiter(attempts=3, window_seconds=60, clock=clock)
    for _ in range(3):
        assert not limiter.blocked("10.0.0.1")
        limiter.failed("10.0.0.1")
    assert limiter.blocked("10.0.0.1") and not limiter.blocked("10.0.0.2")
    clock.now += 61
    assert not limiter.blocked("10.0.0.1")
    limiter.failed("10.0.0.1")
    limiter.succeeded("10.0.0.1")
    limiter.failed("10.0.0.1")
    limiter.failed("10.0.0.1")
    assert not limiter.blocked("10.0.0.1")


def test_a_session_cookie_round_trips_and_refuses_forgery_expiry_and_revocation() -> None:
    clock = Clock()
    signer = SessionSigner("secret", clock)
    session = signer.new(signed_in=True)
    cookie = signer.dumps(session)
    assert signer.loads(cookie) == session
    assert SessionSigner("another secret", clock).loads(cookie) is None
    payload, signature = cookie.split(".")
    altered = payload[:3] + ("A" if payload[3] != "A" else "B") + payload[4:]
    assert signer.loads(f"{altered}.{signature}") is None
    assert signer.loads("garbage") is None and signer.loads(None) is None
    clock.now += LIFETIME_SECONDS
    assert signer.loads(cookie) is None
    fresh = signer.new()
    signer.revoke(fresh)
    assert signer.loads(signer.dumps(fresh)) is None


def test_without_a_secret_each_process_signs_with_its_own() -> None:
    clock = Clock()
    cookie = SessionSigner(None, clock).dumps(SessionSigner(None, clock).new())
    assert SessionSigner(None, clock).loads(cookie) is None


def test_the_csrf_token_must_be_the_sessions() -> None:
    signer = SessionSigner("secret", Clock())
    session, other = signer.new(), signer.new()
    assert token_matches(session, session.csrf)
    assert not token_matches(session, other.csrf)
    assert not token_matches(session, "") and not token_matches(None, session.csrf)


@pytest.mark.parametrize(("query", "cookie", "header", "expected"), [
    ("fr", "en", "en", "fr"),
    (None, "fr", "en-US", "fr"),
    ("de", None, "de-DE,fr-CA;q=0.8,en;q=0.7", "fr"),
    (None, None, "en;q=0.3, fr;q=0.9", "fr"),
    (None, None, "fr;q=0, en", "en"),
    (None, None, None, "en"),
])
def test_the_desks_language(query: str | None, cookie: str | None, header: str | None, expected: str) -> None:
    assert desk_language(query, cookie, header) == expected


def test_a_malformed_accept_language_is_ignored() -> None:
    assert from_accept_language("fr;q=x, en") == "en"


def test_times_are_in_the_consultancys_zone_with_the_persons_beside_a_slot() -> None:
    assert moment(NOW, "America/Montreal", "en") == "November 24, 2026, 10:00\u202fAM"
    assert moment(NOW, "America/Montreal", "fr") == "24 novembre 2026, 10 h 00"
    assert slot(NOW, "Europe/Paris", "America/Montreal", "fr") == \
        "24 novembre 2026, 10 h 00 (Montreal) · 16 h 00 (Paris)"
    assert slot(NOW, "America/Montreal", "America/Montreal", "en") == \
        "November 24, 2026, 10:00\u202fAM (Montreal)"
    assert slot(NOW, None, "America/Montreal", "en").endswith("(Montreal)")


@pytest.fixture
def store(tmp_path: Path) -> LeadStore:
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}", clock=lambda: NOW) as lead_store:
        yield lead_store


def _lead(store: LeadStore, sender: str = "sender-1") -> str:
    return store.save(NewLead(full_name="Ana Silva", email="ana@example.com", language="en",
                              consent_text="I agree.", sender_id=sender)).reference


def test_follow_ups_make_a_history_whose_latest_is_the_status(store: LeadStore) -> None:
    first, second = _lead(store), _lead(store, "sender-2")
    assert status_of(store, [first, second]) == {first: NEVER_FOLLOWED_UP, second: NEVER_FOLLOWED_UP}
    set_status(store, first, "contacted", "  left a voicemail ", NOW)
    set_status(store, first.lower(), "closed", "booked elsewhere", NOW + timedelta(days=1))
    statuses = status_of(store, [first, second])
    assert statuses[first].status == "closed" and statuses[first].note == "booked elsewhere"
    assert statuses[second].status == "new"
    assert [(f.status, f.note) for f in history(store, first)] == [
        ("closed", "booked elsewhere"), ("contacted", "left a voicemail")]
    assert store.erase(reference=first).leads_deleted == 1 and history(store, first) == []  # notes go too


@pytest.mark.parametrize(("reference", "status", "note", "code"), [
    (None, "won", "", "status_unknown"),
    (None, "closed", "x" * 2001, "note_too_long"),
    ("QP-2222-2222", "closed", "", "lead_not_found"),
    ("not a reference", "closed", "", "reference_invalid"),
])
def test_a_follow_up_needs_a_known_status_lead_and_a_short_note(
        store: LeadStore, reference: str | None, status: str, note: str, code: str) -> None:
    existing = _lead(store)
    with pytest.raises(LeadInputError) as raised:
        set_status(store, reference or existing, status, note, NOW)
    assert raised.value.code == code
    assert history(store, existing) == []


def test_the_transcript_reads_what_rasa_wrote(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker = RasaTracker(url)
    try:
        turns = [("bot", "Hello! Where do you live?", ["Abroad", "In Quebec"]),
                 ("user", "abroad, in Lyon", []), ("bot", "Thanks.", [])]
        tracker.play("sender-a", turns, NOW, "telegram")
        tracker.play("sender-b", [("user", "bonjour", [])], NOW, "socketio")
    finally:
        tracker.close()
    lines = transcript(url, "sender-a")
    assert [(line.who, line.text) for line in lines] == [
        (ASSISTANT, "Hello! Where do you live?"), (PERSON, "abroad, in Lyon"), (ASSISTANT, "Thanks.")]
    assert lines[0].buttons == ("Abroad", "In Quebec")
    assert lines[1].at == NOW + timedelta(minutes=2) and lines[1].channel == "telegram"
    assert channel_of(lines) == "telegram"
    assert channels(url, ["sender-a", "sender-b", None, "sender-z"]) == {"sender-a": "telegram",
                                                                        "sender-b": "socketio"}


def test_no_tracker_store_is_an_empty_transcript(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert transcript(missing, "sender-a") == [] and not (tmp_path / "none.db").exists()
    assert transcript(None, "sender-a") == [] and transcript(missing, None) == []
    assert channels(missing, ["sender-a"]) == {}
    LeadStore(f"sqlite:///{tmp_path / 'other.db'}").session().close()  # a database with no events table
    assert transcript(f"sqlite:///{tmp_path / 'other.db'}", "sender-a") == []
