"""The outbox on each engine: rows for the configured channels, written with the lead; claims that two
workers can't both win; the doubling wait; giving up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leads import LeadStore
from leads.outbox import (
    CLAIM_LEASE,
    MAX_RETRY_DELAY,
    claim_due,
    enqueue,
    mark_attempt_failed,
    mark_delivered,
    retry_delay,
    rows_for,
)
from tests.leads.conftest import START, Clock, new_lead, notify_settings


def test_rows_for_the_configured_channels(sqlite_url: str) -> None:
    everything = notify_settings(sqlite_url, smtp_port=2525, webhook_url="http://127.0.0.1:9/hook")
    no_desk_address = notify_settings(sqlite_url, smtp_port=2525, LEADS_NOTIFY_EMAIL="")
    nothing = notify_settings(sqlite_url)
    with LeadStore(sqlite_url) as store, store.session() as session:
        assert [r.kind for r in enqueue(session, "QP-AAAA-AAAA", "booked", everything, START)] == [
            "consultancy_email", "person_email", "webhook"]
        assert [r.kind for r in enqueue(session, "QP-AAAA-AAAA", "moved", no_desk_address, START)] == [
            "person_email"]
        assert enqueue(session, "QP-AAAA-AAAA", "cancelled", nothing, START) == []
        with pytest.raises(ValueError, match="unknown event"):
            enqueue(session, "QP-AAAA-AAAA", "deleted", everything, START)


def test_the_lead_and_its_notifications_are_saved_together(db_url: str, clock: Clock) -> None:
    settings = notify_settings(db_url, smtp_port=2525, webhook_url="http://127.0.0.1:9/hook")
    with LeadStore(db_url, clock=clock) as store:
        lead = store.save(new_lead(), settings=settings)
        with store.session() as session:
            rows = rows_for(session, lead.reference)
    assert [(r.kind, r.event, r.attempts, r.next_attempt_at, r.delivered_at) for r in rows] == [
        (kind, "booked", 0, START, None) for kind in ("consultancy_email", "person_email", "webhook")]


def test_a_row_is_claimed_by_one_worker_until_its_lease_ends(db_url: str, clock: Clock) -> None:
    settings = notify_settings(db_url, smtp_port=2525, LEADS_NOTIFY_EMAIL="")
    with LeadStore(db_url, clock=clock) as first, LeadStore(db_url, clock=clock) as second:
        first.save(new_lead(), settings=settings)
        with first.session() as one, second.session() as two:
            [claimed] = claim_due(one, START)
            assert claim_due(two, START) == []
            assert claim_due(two, START + CLAIM_LEASE - timedelta(seconds=1)) == []
            [again] = claim_due(two, START + CLAIM_LEASE + timedelta(seconds=1))  # the first worker died
            assert again.id == claimed.id
            mark_delivered(two, again.id, START + CLAIM_LEASE + timedelta(seconds=1))
            assert claim_due(one, START + timedelta(days=1)) == []


def test_the_wait_doubles_up_to_an_hour() -> None:
    assert [retry_delay(n, 5).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(40, 5) == retry_delay(200, 5) == MAX_RETRY_DELAY


def test_failures_are_retried_then_given_up(sqlite_url: str, clock: Clock) -> None:
    settings = notify_settings(sqlite_url, smtp_port=2525, LEADS_NOTIFY_EMAIL="", NOTIFY_MAX_ATTEMPTS="2")
    with LeadStore(sqlite_url, clock=clock) as store:
        lead = store.save(new_lead(), settings=settings)
        with store.session() as session:
            [row] = claim_due(session, START)
            assert not mark_attempt_failed(session, row, "smtp_451", START, settings)
            assert claim_due(session, START + timedelta(seconds=4)) == []
            [row] = claim_due(session, START + timedelta(seconds=5))
            assert mark_attempt_failed(session, row, "smtp_451", START + timedelta(seconds=5), settings)
            assert claim_due(session, START + timedelta(days=2)) == []
            [row] = rows_for(session, lead.reference)
    assert (row.attempts, row.last_error, row.failed_at) == (2, "smtp_451", START + timedelta(seconds=5))
