"""GET /metrics: who may read it (the token rule), and that the real turns, actions and outbox count.

The counters live in one registry per process, shared by every test of the session, so each test reads a
value before and after what it does.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from actions.booking import ActionSubmitBooking
from actions.conversation import ActionFallback, ActionRespond
from actions.verdict import ActionScreeningVerdict
from channels.flood_limit import FloodLimit
from channels.guarded_turn import GuardedTurn
from launch.metrics import REGISTRY, access, is_loopback, metrics_answer, outbox_metrics
from leads import LeadStore, outbox
from leads.delivery import outbox_counts
from leads.lead_tables import OutboxRow
from project_settings import ProjectSettings, load_settings
from tests.actions.conftest import make_tracker, run
from tests.local_services import local_postgres_fixture  # noqa: F401 - the fixture
from tests.servers import default_settings

CONFIRMED = {"language": "fr", "residence": "abroad", "has_csq": True, "lead_consent": True,
             "lead_confirmed": True, "lead_name": "Amine Benali", "lead_email": "amine.benali@exemple.dz",
             "lead_phone": "+213551234567", "lead_time": "le matin", "lead_time_zone": "Africa/Algiers",
             "lead_language": "fr"}
NOW = datetime(2026, 11, 29, 15, 0, tzinfo=timezone.utc)


def settings(**values: str) -> ProjectSettings:
    return load_settings({**default_settings(), **values})


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# ------------------------------------------------------------------------------------ the token rule
@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_need_no_token(host: str) -> None:
    assert is_loopback(host)
    assert access(host, None, settings()) == 200
    assert access(host, None, settings(METRICS_TOKEN="s" * 32)) == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "assistant.example.org", ""])
def test_other_addresses_are_off_without_a_token(host: str) -> None:
    assert not is_loopback(host)
    assert access(host, None, settings()) == 404
    assert access(host, "Bearer anything", settings()) == 404


def test_other_addresses_need_the_bearer_token() -> None:
    token = "t0ken-" * 6
    with_token = settings(METRICS_TOKEN=token)
    assert access("0.0.0.0", None, with_token) == 401
    assert access("0.0.0.0", "Bearer wrong", with_token) == 401
    assert access("0.0.0.0", token, with_token) == 401  # the scheme is part of the rule
    assert access("0.0.0.0", f"Bearer {token}", with_token) == 200
    assert access("0.0.0.0", f"bearer  {token}", with_token) == 200
    refused = metrics_answer("0.0.0.0", None, settings=with_token)
    assert refused.status == 401 and refused.headers == {"WWW-Authenticate": "Bearer"}
    assert token.encode() not in refused.body


def test_metrics_enabled_false_turns_them_off_everywhere() -> None:
    off = settings(METRICS_ENABLED="false", METRICS_TOKEN="t" * 32)
    assert access("127.0.0.1", None, off) == 404
    assert access("0.0.0.0", "Bearer " + "t" * 32, off) == 404
    assert metrics_answer("127.0.0.1", None, settings=off).status == 404


def test_the_answer_is_prometheus_text() -> None:
    answer = metrics_answer("127.0.0.1", None, settings=settings())
    assert answer.status == 200 and answer.content_type.startswith("text/plain; version=0.0.4")
    names = {family.name for family in text_string_to_metric_families(answer.body.decode())}
    assert {"impplus_turns", "impplus_turn_seconds", "impplus_fallbacks", "impplus_verdicts",
            "impplus_bookings", "impplus_apologies", "impplus_flood_refusals"} <= names


# ------------------------------------------------------------------------------------ the Rasa server
def replying(reply: str | None) -> Any:
    """Stands in for Rasa's handling of a message: it replies `reply` (or nothing) on the output."""

    async def on_new_message(message: UserMessage) -> None:
        if reply is not None:
            await message.output_channel.send_response(message.sender_id, {"text": reply})

    return on_new_message


def turn(guard: GuardedTurn, message: str, reply: str | None, channel: str = "rest") -> list[dict[str, Any]]:
    output = CollectingOutputChannel()
    asyncio.run(guard.handle(message, "sender-1", output, channel, None, replying(reply), None))
    return output.messages


def test_a_turn_is_counted_by_channel_and_language_and_timed() -> None:
    guard = GuardedTurn(FloodLimit(100, 30))
    labels = {"channel": "socketio", "language": "fr"}
    before = value("impplus_turns_total", **labels)
    timed = value("impplus_turn_seconds_count", channel="socketio")
    before_apologies = value("impplus_apologies_total", channel="socketio")
    assert turn(guard, "Bonjour, est-ce que je suis admissible?", "Oui", "socketio") == [
        {"recipient_id": "sender-1", "text": "Oui"}]
    assert value("impplus_apologies_total", channel="socketio") == before_apologies
    assert value("impplus_turns_total", **labels) == before + 1
    assert value("impplus_turn_seconds_count", channel="socketio") == timed + 1


def test_a_turn_without_reply_counts_an_apology() -> None:
    guard = GuardedTurn(FloodLimit(100, 30))
    apologies = value("impplus_apologies_total", channel="rest")
    turns = value("impplus_turns_total", channel="rest", language="en")
    [apology] = turn(guard, "What is the program about?", None)
    assert apology["text"]
    assert value("impplus_apologies_total", channel="rest") == apologies + 1
    assert value("impplus_turns_total", channel="rest", language="en") == turns + 1
    turn(guard, "What is the program about?", "It is...")
    assert value("impplus_apologies_total", channel="rest") == apologies + 1


def test_a_flooding_sender_is_refused_and_counted_not_as_a_turn() -> None:
    guard = GuardedTurn(FloodLimit(1, 30))
    refusals = value("impplus_flood_refusals_total", channel="telegram")
    turn(guard, "hello there", "hi", "telegram")
    turns = value("impplus_turns_total", channel="telegram", language="en")
    turn(guard, "hello again", "hi", "telegram")
    assert value("impplus_flood_refusals_total", channel="telegram") == refusals + 1
    assert value("impplus_turns_total", channel="telegram", language="en") == turns


# ---------------------------------------------------------------------------------- the action server
def test_verdicts_are_counted_by_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPPLUS_TODAY", "2026-11-29")
    before = value("impplus_verdicts_total", verdict="not_eligible")
    run(ActionScreeningVerdict(), make_tracker({"language": "en", "residence": "quebec",
                                                "place": "Gatineau, Québec"}), {})
    assert value("impplus_verdicts_total", verdict="not_eligible") == before + 1


def test_fallbacks_are_counted_by_reason() -> None:
    nlu = value("impplus_fallbacks_total", reason="nlu")
    core = value("impplus_fallbacks_total", reason="core")
    run(ActionFallback(), make_tracker(intent="nlu_fallback", text="blorp"), {})
    run(ActionFallback(), make_tracker(intent="inform", text="Montreal"), {})
    assert value("impplus_fallbacks_total", reason="nlu") == nlu + 1
    assert value("impplus_fallbacks_total", reason="core") == core + 1
    other = value("impplus_fallbacks_total", reason="intent_without_reply")
    run(ActionRespond(), make_tracker(intent="greet", text="hi"), {})
    assert value("impplus_fallbacks_total", reason="intent_without_reply") == other
    run(ActionRespond(), make_tracker(intent="some_new_intent", text="?"), {})
    assert value("impplus_fallbacks_total", reason="intent_without_reply") == other + 1


def test_bookings_are_counted_saved_or_failed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMPPLUS_TODAY", "2026-11-29")
    monkeypatch.setenv("LEADS_DB_URL", f"sqlite:///{tmp_path / 'leads.db'}")
    saved, failed = value("impplus_bookings_total", result="saved"), value("impplus_bookings_total",
                                                                            result="failed")
    run(ActionSubmitBooking(), make_tracker(CONFIRMED), {})
    assert value("impplus_bookings_total", result="saved") == saved + 1
    (tmp_path / "broken.db").write_bytes(b"not a database, " * 100)
    monkeypatch.setenv("LEADS_DB_URL", f"sqlite:///{tmp_path / 'broken.db'}")
    run(ActionSubmitBooking(), make_tracker(CONFIRMED), {})
    assert value("impplus_bookings_total", result="failed") == failed + 1
    assert value("impplus_bookings_total", result="saved") == saved + 1


# -------------------------------------------------------------------------------- the desk's outbox
def fill_outbox(store: LeadStore) -> None:
    """Three webhook notifications: one delivered first time, one delivered on its third attempt, one
    given up after two; and one person email still waiting after one failure."""
    configured = load_settings({**default_settings(), "LEADS_WEBHOOK_URL": "http://127.0.0.1:9/hook",
                                "SMTP_HOST": "127.0.0.1", "NOTIFY_MAX_ATTEMPTS": "2"})
    with store.session() as session:
        rows = [row for reference in ("QP-AAAA-0001", "QP-AAAA-0002", "QP-AAAA-0003")
                for row in outbox.enqueue(session, reference, "booked", configured, NOW)]
        session.commit()
        hooks = [row for row in rows if row.kind == outbox.WEBHOOK]
        emails = [row for row in rows if row.kind == outbox.PERSON_EMAIL]
        outbox.mark_delivered(session, hooks[0].id, NOW)
        session.execute(update(OutboxRow).where(OutboxRow.id == hooks[1].id).values(attempts=2))
        session.commit()
        outbox.mark_delivered(session, hooks[1].id, NOW)
        for _ in range(2):
            row = outbox.rows_for(session, hooks[2].lead_reference)[-1]
            outbox.mark_attempt_failed(session, row, "timeout", NOW, configured)
        outbox.mark_attempt_failed(session, emails[0], "smtp_421", NOW, configured)


def check_outbox_counts(store: LeadStore) -> None:
    counts = {(count.kind, count.state): (count.rows, count.retries) for count in outbox_counts(store)}
    assert counts[("webhook", "delivered")] == (2, 2)
    assert counts[("webhook", "given_up")] == (1, 1)
    assert counts[("person_email", "pending")] == (3, 0)
    text = outbox_metrics(store)().decode()
    samples = {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
               for family in text_string_to_metric_families(text) for sample in family.samples}
    assert samples[("impplus_notifications", (("kind", "webhook"), ("state", "delivered")))] == 2
    assert samples[("impplus_notification_retries", (("kind", "webhook"),))] == 3
    assert samples[("impplus_notification_retries", (("kind", "person_email"),))] == 0


def test_the_outbox_counts_deliveries_and_retries_on_sqlite(tmp_path: Path) -> None:
    with LeadStore(f"sqlite:///{tmp_path / 'leads.db'}") as store:
        fill_outbox(store)
        check_outbox_counts(store)


@pytest.fixture
def postgres_schema_url(local_postgres_url: str) -> Iterator[str]:
    """The test PostgreSQL with a schema of this test's own (its search_path), dropped afterwards: the
    counts read the whole outbox, so no other test's rows may be in it."""
    schema = f"metrics_{uuid.uuid4().hex[:12]}"
    engine = create_engine(local_postgres_url, future=True)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(local_postgres_url).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_the_outbox_counts_deliveries_and_retries_on_postgresql(postgres_schema_url: str) -> None:
    with LeadStore(postgres_schema_url) as store:
        fill_outbox(store)
        check_outbox_counts(store)
