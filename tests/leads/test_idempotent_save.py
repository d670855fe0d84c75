"""A booking is saved once per confirmation: a retried save, or one that completes after its action timed
out, gives the lead the first one saved, with its notifications queued once."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from leads import LeadStore, capture_lead
from leads.lead_tables import LeadConfirmationRow, OutboxRow
from tests.leads.conftest import Clock, new_lead


def _counts(store: LeadStore) -> tuple[int, int, int]:
    """(leads, confirmations, notifications queued)."""
    with store.session() as session:
        return (len(store.recent(50)),
                session.execute(select(func.count()).select_from(LeadConfirmationRow)).scalar_one(),
                session.execute(select(func.count()).select_from(OutboxRow)).scalar_one())


def test_the_same_confirmation_saves_one_lead(store: LeadStore, clock: Clock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    first = capture_lead(new_lead(), store, confirmation_id="msg-1").lead
    once = _counts(store)
    assert once[:2] == (1, 1) and once[2] >= 1
    clock.advance(minutes=1)
    again = capture_lead(new_lead(full_name="Marie Tremblay"), store, confirmation_id="msg-1").lead
    assert again == first and _counts(store) == once
    other_message = capture_lead(new_lead(), store, confirmation_id="msg-2").lead
    other_person = capture_lead(new_lead(sender_id="sender-awa"), store, confirmation_id="msg-1").lead
    assert len({first.reference, other_message.reference, other_person.reference}) == 3
    assert store.save(new_lead()).reference != store.save(new_lead()).reference  # no id: no deduplication


def test_erasing_the_lead_erases_its_confirmation(store: LeadStore) -> None:
    lead = store.save(new_lead(), confirmation_id="msg-1")
    store.erase(reference=lead.reference)
    assert _counts(store) == (0, 0, 0)


def test_two_saves_of_one_confirmation_at_once_make_one_lead(pg_url: str) -> None:
    """The late attempt and the retry both get past the first look-up; the unique key settles it."""
    blocker = create_engine(pg_url, future=True)
    with LeadStore(pg_url) as store, blocker.connect() as blocking:
        store.recent()  # the tables
        blocking.execute(text("LOCK TABLE lead_confirmations IN EXCLUSIVE MODE"))  # reads pass, writes wait
        results: list[str] = []
        savers = [threading.Thread(target=lambda: results.append(store.save(new_lead(),
                                                                             confirmation_id="msg-1").reference))
                  for _ in range(2)]
        for saver in savers:
            saver.start()
        waiting = text("SELECT count(*) FROM pg_locks "
                       "WHERE NOT granted AND relation = 'lead_confirmations'::regclass")
        for _ in range(500):  # until both wait on the confirmation (each saved its lead row, uncommitted)
            if blocking.execute(waiting).scalar_one() == 2:
                break
            time.sleep(0.01)
        assert blocking.execute(waiting).scalar_one() == 2
        blocking.rollback()
        for saver in savers:
            saver.join(timeout=30)
        assert len(results) == 2 and results[0] == results[1]
        assert _counts(store)[:2] == (1, 1)
    blocker.dispose()
