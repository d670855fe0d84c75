"""Slots in the leads database, on SQLite and PostgreSQL: free slots, holds, bookings, cancel and move, and
the race for the last slot between separate stores (as on two Rasa servers), threads and processes."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from leads import LeadStore
from leads.appointments import (
    HOLD_MINUTES,
    Slot,
    SlotTaken,
    cancel,
    cancel_in,
    confirm_hold,
    free_slots,
    hold,
    move,
    move_in,
    release,
    release_in,
    upcoming_slot,
)
from leads.availability import Availability
from leads.lead_tables import AppointmentRow

UTC = timezone.utc
NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Monday 12:00 in Montreal
TUESDAY = [datetime(2026, 12, 1, hour, minute, tzinfo=UTC) for hour, minute in ((14, 0), (14, 45), (15, 30))]
LAPSED = timedelta(minutes=HOLD_MINUTES, seconds=1)
RACERS = 6


def availability(**changes: Any) -> Availability:
    """Tuesday and Wednesday mornings 09:00-11:15 in Montreal: three slots a day (09:00, 09:45, 10:30)."""
    fields: dict[str, Any] = {
        "time_zone": "America/Montreal", "slot_minutes": 30, "buffer_minutes": 15, "min_notice_hours": 12,
        "book_ahead_days": 7, "slots_offered": 4,
        "weekly_hours": {"tuesday": ["09:00-11:15"], "wednesday": ["09:00-11:15"]},
    }
    fields.update(changes)
    return Availability(**fields)


HOURS = availability()
ONE_SLOT = availability(weekly_hours={"tuesday": ["09:00-09:30"]})


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.starts_at for slot in slots]


def rows(store: LeadStore) -> list[tuple[datetime, str, str | None]]:
    with store.session() as session:
        found = session.execute(select(AppointmentRow).order_by(AppointmentRow.starts_at)).scalars()
        return [(row.starts_at, row.holder, row.lead_reference) for row in found]


def book(store: LeadStore, holder: str, starts_at: datetime, reference: str, now: datetime = NOW) -> Slot:
    assert hold(store, holder, starts_at, HOURS, now)
    with store.session() as session:
        slot = confirm_hold(session, holder, starts_at, reference, HOURS, now)
        session.commit()
    return slot


def test_free_slots_come_in_order_and_page_on(store: LeadStore) -> None:
    first = free_slots(store, HOURS, NOW, 4)
    assert starts(first) == [*TUESDAY, datetime(2026, 12, 2, 14, 0, tzinfo=UTC)]
    assert first[0].ends_at == TUESDAY[0] + timedelta(minutes=30)
    following = free_slots(store, HOURS, NOW, 4, after=first[-1].starts_at)
    assert starts(following) == [datetime(2026, 12, 2, 14, 45, tzinfo=UTC), datetime(2026, 12, 2, 15, 30,
                                                                                      tzinfo=UTC)]


def test_free_slots_skip_bookings_and_live_holds_but_not_lapsed_ones(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert hold(store, "sender-b", TUESDAY[1], HOURS, NOW)
    assert hold(store, "sender-c", TUESDAY[2], HOURS, NOW - LAPSED)
    assert starts(free_slots(store, HOURS, NOW, 2)) == [TUESDAY[2], datetime(2026, 12, 2, 14, 0, tzinfo=UTC)]
    # A conversation is offered its own hold again, never another's.
    assert starts(free_slots(store, HOURS, NOW, 2, exclude_holder="sender-b")) == [TUESDAY[1], TUESDAY[2]]
    assert starts(free_slots(store, HOURS, NOW, 1, exclude_holder="sender-a")) == [TUESDAY[2]]
    # Once B's hold lapses too, the slot is offered again.
    later = NOW + LAPSED
    assert starts(free_slots(store, HOURS, later, 2)) == [TUESDAY[1], TUESDAY[2]]


def test_holding_twice_is_one_hold(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW)
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW + timedelta(minutes=20))
    assert rows(store) == [(TUESDAY[0], "sender-a", None)]
    # The second hold renewed it: it is still live 20 minutes after the first one would have lapsed.
    assert TUESDAY[0] not in starts(free_slots(store, HOURS, NOW + LAPSED, 3))


def test_a_conversation_holds_one_slot_at_most(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW)
    assert hold(store, "sender-a", TUESDAY[1], HOURS, NOW)
    assert rows(store) == [(TUESDAY[1], "sender-a", None)]
    assert release(store, "sender-a") == 1
    assert release(store, "sender-a") == 0
    assert rows(store) == []


def test_a_live_hold_is_nobody_elses_and_a_lapsed_one_is_anyones(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW)
    assert not hold(store, "sender-b", TUESDAY[0], HOURS, NOW + LAPSED - timedelta(seconds=2))
    assert hold(store, "sender-b", TUESDAY[0], HOURS, NOW + timedelta(minutes=HOLD_MINUTES))
    assert rows(store) == [(TUESDAY[0], "sender-b", None)]


def test_a_losing_hold_still_lets_go_of_the_old_one(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW)
    assert hold(store, "sender-b", TUESDAY[1], HOURS, NOW)
    assert not hold(store, "sender-b", TUESDAY[0], HOURS, NOW)
    assert rows(store) == [(TUESDAY[0], "sender-a", None)]


def test_a_time_that_is_no_slot_is_refused(store: LeadStore) -> None:
    assert not hold(store, "sender-a", TUESDAY[0] + timedelta(minutes=15), HOURS, NOW)  # off the grid
    assert not hold(store, "sender-a", TUESDAY[0], HOURS, TUESDAY[0])  # an old button: too late now
    assert rows(store) == []


def test_confirming_books_the_held_slot(store: LeadStore) -> None:
    booked = book(store, "sender-a", TUESDAY[0], "ABC123")
    assert booked == Slot(TUESDAY[0], TUESDAY[0] + timedelta(minutes=30))
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123")]
    # A booking never lapses.
    assert not hold(store, "sender-b", TUESDAY[0], HOURS, NOW + timedelta(days=1))
    assert release(store, "sender-a") == 0


def test_confirming_a_lapsed_hold_takes_the_slot_while_it_is_free(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW - LAPSED)
    assert hold(store, "sender-b", TUESDAY[1], HOURS, NOW - LAPSED)
    release(store, "sender-b")
    with store.session() as session:
        confirm_hold(session, "sender-a", TUESDAY[0], "ABC123", HOURS, NOW)
        confirm_hold(session, "sender-b", TUESDAY[1], "DEF456", HOURS, NOW)
        session.commit()
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123"), (TUESDAY[1], "sender-b", "DEF456")]


def test_confirming_what_someone_else_took_raises_and_changes_nothing(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW - LAPSED)
    assert hold(store, "sender-b", TUESDAY[0], HOURS, NOW)
    with store.session() as session, pytest.raises(SlotTaken):
        confirm_hold(session, "sender-a", TUESDAY[0], "ABC123", HOURS, NOW)
    # A slot no longer offered (too soon now) cannot be taken without a hold either.
    with store.session() as session, pytest.raises(SlotTaken):
        confirm_hold(session, "sender-a", TUESDAY[1], "ABC123", HOURS, TUESDAY[1])
    assert rows(store) == [(TUESDAY[0], "sender-b", None)]


def test_confirming_takes_over_another_conversations_lapsed_hold(store: LeadStore) -> None:
    assert hold(store, "sender-b", TUESDAY[0], HOURS, NOW - LAPSED)
    with store.session() as session:
        confirm_hold(session, "sender-a", TUESDAY[0], "ABC123", HOURS, NOW)
        session.commit()
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123")]


def test_confirming_leaves_the_commit_to_the_caller(store: LeadStore) -> None:
    assert hold(store, "sender-a", TUESDAY[0], HOURS, NOW)
    with store.session() as session:
        confirm_hold(session, "sender-a", TUESDAY[0], "ABC123", HOURS, NOW)
        session.rollback()
    assert rows(store) == [(TUESDAY[0], "sender-a", None)]


def test_cancel_frees_the_booked_slot(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert cancel(store, "ABC123", NOW) == Slot(TUESDAY[0], TUESDAY[0] + timedelta(minutes=30))
    assert cancel(store, "ABC123", NOW) is None
    assert starts(free_slots(store, HOURS, NOW, 1)) == [TUESDAY[0]]


def test_a_past_appointment_is_not_cancelled(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert cancel(store, "ABC123", TUESDAY[0] + timedelta(hours=1)) is None
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123")]


def test_move_takes_the_new_slot_and_frees_the_old_one(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert move(store, "ABC123", TUESDAY[2], HOURS, NOW)
    assert rows(store) == [(TUESDAY[2], "sender-a", "ABC123")]
    assert starts(free_slots(store, HOURS, NOW, 2)) == TUESDAY[:2]
    assert move(store, "ABC123", TUESDAY[2], HOURS, NOW)  # already there


def test_move_to_a_taken_slot_changes_nothing(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    book(store, "sender-b", TUESDAY[1], "DEF456")
    assert hold(store, "sender-c", TUESDAY[2], HOURS, NOW)
    assert not move(store, "ABC123", TUESDAY[1], HOURS, NOW)
    assert not move(store, "ABC123", TUESDAY[2], HOURS, NOW)
    assert not move(store, "ABC123", TUESDAY[2] + timedelta(minutes=5), HOURS, NOW)
    assert not move(store, "NOPE99", TUESDAY[2], HOURS, NOW)
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123"), (TUESDAY[1], "sender-b", "DEF456"),
                           (TUESDAY[2], "sender-c", None)]
    # A lapsed hold does not stand in the way.
    assert move(store, "ABC123", TUESDAY[2], HOURS, NOW + LAPSED)
    assert rows(store) == [(TUESDAY[1], "sender-b", "DEF456"), (TUESDAY[2], "sender-a", "ABC123")]


def test_the_movers_own_hold_gives_way_and_anothers_does_not(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert hold(store, "sender-b", TUESDAY[1], HOURS, NOW)
    assert hold(store, "sender-a2", TUESDAY[2], HOURS, NOW)  # the person, back in a new conversation
    assert not move(store, "ABC123", TUESDAY[1], HOURS, NOW, holder="sender-a2")
    assert move(store, "ABC123", TUESDAY[2], HOURS, NOW, holder="sender-a2")
    assert rows(store) == [(TUESDAY[1], "sender-b", None), (TUESDAY[2], "sender-a", "ABC123")]


def test_changes_in_the_callers_transaction_wait_for_its_commit(store: LeadStore) -> None:
    book(store, "sender-a", TUESDAY[0], "ABC123")
    assert hold(store, "sender-b", TUESDAY[1], HOURS, NOW)
    with store.session() as session:
        assert upcoming_slot(session, "ABC123", NOW) == Slot(TUESDAY[0], TUESDAY[0] + timedelta(minutes=30))
        assert move_in(session, "ABC123", TUESDAY[2], HOURS, NOW).starts_at == TUESDAY[2]
        assert release_in(session, "sender-b") == 1
        assert cancel_in(session, "ABC123", NOW) == Slot(TUESDAY[2], TUESDAY[2] + timedelta(minutes=30))
        assert upcoming_slot(session, "ABC123", NOW) is None
        session.rollback()
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123"), (TUESDAY[1], "sender-b", None)]
    with store.session() as session:
        with pytest.raises(SlotTaken):
            move_in(session, "ABC123", TUESDAY[1], HOURS, NOW)
        session.rollback()
        with pytest.raises(LookupError):
            move_in(session, "NOPE99", TUESDAY[2], HOURS, NOW)
    assert rows(store) == [(TUESDAY[0], "sender-a", "ABC123"), (TUESDAY[1], "sender-b", None)]


# The race for the last slot: separate stores (connection pools), as two action servers have.

def _race_in_thread(url: str, holder: str, barrier: threading.Barrier, results: dict[str, bool]) -> None:
    with LeadStore(url) as own_store:
        barrier.wait(timeout=30)
        results[holder] = hold(own_store, holder, TUESDAY[0], ONE_SLOT, NOW)


def _race_in_process(url: str, holder: str, barrier: Any, results: Any) -> None:
    with LeadStore(url) as own_store:
        barrier.wait(timeout=30)
        results.put((holder, hold(own_store, holder, TUESDAY[0], ONE_SLOT, NOW)))


@pytest.fixture()
def last_slot(store: LeadStore) -> Iterator[str]:
    """A database whose one slot is free, its tables already made; yields its URL."""
    assert starts(free_slots(store, ONE_SLOT, NOW, 4)) == [TUESDAY[0]]
    yield store.url


def _after_the_race(store: LeadStore, winners: list[str], racers: list[str]) -> None:
    assert len(winners) == 1, winners
    assert rows(store) == [(TUESDAY[0], winners[0], None)]
    for holder in racers:
        offered = free_slots(store, ONE_SLOT, NOW, 4, exclude_holder=holder)
        assert starts(offered) == ([TUESDAY[0]] if holder == winners[0] else [])


def test_threads_racing_for_the_last_slot_end_with_one_hold(store: LeadStore, last_slot: str) -> None:
    racers = [f"sender-{n}" for n in range(RACERS)]
    barrier, results = threading.Barrier(RACERS), {}
    threads = [threading.Thread(target=_race_in_thread, args=(last_slot, holder, barrier, results))
               for holder in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == sorted(racers)
    _after_the_race(store, [holder for holder, won in results.items() if won], racers)


def test_processes_racing_for_the_last_slot_end_with_one_hold(store: LeadStore, last_slot: str) -> None:
    context = multiprocessing.get_context("fork")
    racers = ["sender-left", "sender-right"]
    barrier, queue = context.Barrier(len(racers)), context.Queue()
    processes = [context.Process(target=_race_in_process, args=(last_slot, holder, barrier, queue))
                 for holder in racers]
    for process in processes:
        process.start()
    results = dict(queue.get(timeout=60) for _ in racers)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    _after_the_race(store, [holder for holder, won in results.items() if won], racers)
