"""LeadStore on SQLite and PostgreSQL, with Rasa's own SQLTrackerStore for the erasure of conversations."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from eligibility import Profile, assess
from leads import LeadInputError, LeadStore, NewLead, screening_summary
from leads.appointments import SlotTaken, free_slots, hold
from leads.availability import load_availability
from leads.lead_tables import AppointmentRow, LeadFollowUpRow, OutboxRow
from leads.outbox import rows_for
from leads.reference import ALPHABET
from tests.leads.conftest import Clock, Tracker, new_lead, notify_settings

REFERENCE = re.compile(rf"QP-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def test_tables_are_created_on_first_use(db_url: str) -> None:
    with LeadStore(db_url) as store:
        assert not inspect(store.engine).has_table("leads")
        assert store.recent() == []
        assert inspect(store.engine).has_table("leads")


def test_save_and_read_back(store: LeadStore, clock: Clock) -> None:
    saved = store.save(new_lead())
    assert REFERENCE.fullmatch(saved.reference)
    assert saved.created_at == clock.now and saved.created_at.tzinfo == timezone.utc
    assert saved.consent_at == clock.now
    again = store.get(saved.reference)
    assert again == saved
    assert again is not None and again.email == "marie.tremblay@example.com" and again.phone == "+33612345678"
    assert again.time_zone == "Europe/Paris" and again.verdict == "eligible"
    assert store.get(saved.reference.lower().replace("-", " ")) == saved
    assert store.get("QP-2222-2222") is None and store.get("not a reference") is None


def test_full_screening_summary_round_trips(store: LeadStore) -> None:
    profile = Profile(residence="abroad", has_csq=True, csq_program="regular_skilled_worker", csq_valid=True)
    assessment = assess(profile, date(2026, 11, 24))
    lead = NewLead(full_name="Awa Diop", email="awa.diop@exemple.sn", language="fr",
                   consent_text="J'accepte.", phone="+221771234567", phone_typed="77 123 45 67",
                   preferred_time="le matin", time_zone="Africa/Dakar", sender_id="awa",
                   screening=screening_summary(profile, assessment))
    saved = store.save(lead)
    stored = store.get(saved.reference)
    assert stored is not None and stored.screening == screening_summary(profile, assessment)
    assert stored.phone == "+221771234567" and stored.time_zone == "Africa/Dakar"
    assert stored.screening["verdict"] == assessment.verdict
    assert {c["id"] for c in stored.screening["criteria"]} == {c.id for c in assessment.criteria}
    assert stored.screening["profile"]["residence"] == "abroad"


def test_recent_newest_first_with_limit(store: LeadStore, clock: Clock) -> None:
    references = []
    for i in range(3):
        references.append(store.save(new_lead(email=f"person{i}@example.com")).reference)
        clock.advance(minutes=1)
    assert [lead.reference for lead in store.recent()] == references[::-1]
    assert [lead.reference for lead in store.recent(2)] == references[:0:-1]


def test_find_by_email_ignores_case(store: LeadStore) -> None:
    first = store.save(new_lead(email="Marie.Tremblay@Example.com"))
    second = store.save(new_lead(email="marie.tremblay@example.com", sender_id="other"))
    store.save(new_lead(email="someone.else@example.com"))
    assert [lead.reference for lead in store.find_by_email("MARIE.TREMBLAY@example.COM")] == [
        first.reference, second.reference]
    assert store.find_by_email("nobody@example.com") == []
    with pytest.raises(LeadInputError):
        store.find_by_email("not an email")


def test_a_taken_reference_is_drawn_again(db_url: str) -> None:
    codes = itertools.chain(["QP-2222-2222", "QP-2222-2222", "QP-3333-3333"])
    with LeadStore(db_url, reference_factory=lambda: next(codes)) as store:
        assert store.save(new_lead()).reference == "QP-2222-2222"
        assert store.save(new_lead()).reference == "QP-3333-3333"


def test_lead_without_phone_or_zone(store: LeadStore) -> None:
    saved = store.save(new_lead(phone=None, phone_typed=None, time_zone=None, preferred_time="le soir"))
    assert (saved.phone, saved.phone_typed, saved.time_zone) == (None, None, None)


def test_erase_by_reference_also_erases_the_conversation(store: LeadStore, tracker: Tracker,
                                                         tracker_url: str) -> None:
    tracker.converse("sender-marie", "je veux parler à quelqu'un", "marie.tremblay@example.com")
    tracker.converse("sender-other", "bonjour")
    marie = store.save(new_lead())
    other = store.save(new_lead(email="other@example.com", sender_id="sender-other"))
    assert tracker.count("sender-marie") > 0

    report = store.erase(reference=marie.reference.lower(), tracker_db_url=tracker_url)

    assert report.references == (marie.reference,) and report.leads_deleted == 1
    assert report.sender_ids == ("sender-marie",) and report.tracker == "erased" and report.events_deleted > 0
    assert store.get(marie.reference) is None and tracker.count("sender-marie") == 0
    assert store.get(other.reference) is not None and tracker.count("sender-other") > 0


def test_erase_by_email_takes_every_lead_and_conversation(store: LeadStore, tracker: Tracker,
                                                          tracker_url: str) -> None:
    tracker.converse("first-chat", "hello")
    tracker.converse("second-chat", "hello again")
    store.save(new_lead(sender_id="first-chat"))
    store.save(new_lead(email="MARIE.TREMBLAY@example.com", sender_id="second-chat"))
    kept = store.save(new_lead(email="awa@example.sn", sender_id="third-chat"))

    report = store.erase(email="marie.tremblay@EXAMPLE.com", tracker_db_url=tracker_url)

    assert report.leads_deleted == 2 and set(report.sender_ids) == {"first-chat", "second-chat"}
    assert tracker.count("first-chat") == 0 and tracker.count("second-chat") == 0
    assert [lead.reference for lead in store.recent()] == [kept.reference]


def test_erase_reports_what_it_could_not_do(store: LeadStore, tmp_path: object) -> None:
    lead = store.save(new_lead())
    nothing = store.erase(reference="QP-2222-2222")
    assert nothing.leads_deleted == 0 and nothing.tracker == "not_checked"
    report = store.erase(reference=lead.reference)  # no tracker store configured
    assert report.leads_deleted == 1 and report.tracker == "not_configured"
    missing = store.save(new_lead())
    report = store.erase(reference=missing.reference, tracker_db_url=f"sqlite:///{tmp_path}/none.db")
    assert report.tracker == "no_tracker" and report.leads_deleted == 1
    assert not (tmp_path / "none.db").exists()  # type: ignore[operator]  # never created
    no_sender = store.save(new_lead(sender_id=None))
    assert store.erase(reference=no_sender.reference, tracker_db_url="sqlite://").tracker == "no_conversation"


def test_erase_needs_exactly_one_key(store: LeadStore) -> None:
    with pytest.raises(ValueError):
        store.erase()
    with pytest.raises(ValueError):
        store.erase(reference="QP-2222-2222", email="a@example.com")
    with pytest.raises(LeadInputError) as caught:
        store.erase(reference="nope")
    assert caught.value.code == "reference_invalid"


def test_purge_by_age_keeps_conversations_still_needed(store: LeadStore, clock: Clock, tracker: Tracker,
                                                       tracker_url: str) -> None:
    for sender in ("old-chat", "shared-chat", "new-chat"):
        tracker.converse(sender, "hello")
    old = store.save(new_lead(sender_id="old-chat"))
    old_shared = store.save(new_lead(sender_id="shared-chat"))
    clock.advance(days=400)
    new_shared = store.save(new_lead(sender_id="shared-chat"))
    new = store.save(new_lead(sender_id="new-chat"))

    report = store.purge(365, tracker_db_url=tracker_url)

    assert set(report.references) == {old.reference, old_shared.reference}
    assert report.sender_ids == ("old-chat",) and report.cutoff is not None
    assert tracker.count("old-chat") == 0
    assert tracker.count("shared-chat") > 0 and tracker.count("new-chat") > 0
    assert {lead.reference for lead in store.recent()} == {new_shared.reference, new.reference}
    assert store.purge(365, tracker_db_url=tracker_url).leads_deleted == 0
    with pytest.raises(ValueError):
        store.purge(0)


def test_export_csv_full_details_and_no_formulas(store: LeadStore, clock: Clock) -> None:
    first = store.save(new_lead())
    clock.advance(minutes=5)
    store.save(new_lead(full_name="Awa Diop", email="=cmd@example.com", preferred_time="=HYPERLINK(\"x\")",
                        phone=None, phone_typed=None, time_zone=None))
    buffer = io.StringIO()
    assert store.export_csv(buffer) == 2
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert rows[0]["reference"] == first.reference and rows[0]["email"] == "marie.tremblay@example.com"
    assert rows[0]["phone"] == "+33612345678" and rows[0]["full_name"] == "Marie-Ève Tremblay"
    assert rows[0]["verdict"] == "eligible" and rows[0]["created_at"] == "2026-11-24T15:00:00Z"
    assert '"verdict": "eligible"' in rows[0]["screening"]
    assert rows[1]["email"] == "'=cmd@example.com" and rows[1]["preferred_time"].startswith("'=")
    assert rows[1]["phone"] == ""


def test_a_failing_tracker_store_leaves_the_lead_for_a_retry(store: LeadStore) -> None:
    lead = store.save(new_lead())
    with pytest.raises(OperationalError):
        store.erase(reference=lead.reference, tracker_db_url="postgresql://nobody@127.0.0.1:1/x?connect_timeout=2")
    assert store.get(lead.reference) is not None


def test_leads_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'leads.db'}"  # the folder is created
    with LeadStore(url) as store:
        reference = store.save(new_lead()).reference
    with LeadStore(url) as store:
        assert store.get(reference) is not None


def test_a_lead_saved_with_its_held_slot_and_notifications(db_url: str, clock: Clock) -> None:
    settings = notify_settings(db_url, smtp_port=2525)
    availability = load_availability(settings.availability_path)
    with LeadStore(db_url, clock=clock) as store:
        slot, other = free_slots(store, availability, clock.now, limit=2)
        assert hold(store, "sender-marie", slot.starts_at, availability, clock.now)
        lead = store.save(new_lead(), slot_holder="sender-marie", slot_start=slot.starts_at,
                          settings=settings)
        assert (lead.slot_starts_at, lead.slot_ends_at) == (slot.starts_at, slot.ends_at)
        assert store.get(lead.reference) == lead and store.recent() == [lead]
        assert free_slots(store, availability, clock.now, limit=1) == [other]
        with store.session() as session:
            assert [row.kind for row in rows_for(session, lead.reference)] == ["consultancy_email",
                                                                               "person_email"]


def test_a_slot_someone_else_holds_saves_nothing(db_url: str, clock: Clock) -> None:
    settings = notify_settings(db_url, smtp_port=2525)
    availability = load_availability(settings.availability_path)
    with LeadStore(db_url, clock=clock) as store:
        [slot] = free_slots(store, availability, clock.now, limit=1)
        assert hold(store, "someone-else", slot.starts_at, availability, clock.now)
        with pytest.raises(SlotTaken):
            store.save(new_lead(), slot_holder="sender-marie", slot_start=slot.starts_at, settings=settings)
        assert store.recent() == []
        with store.session() as session:
            assert session.execute(select(OutboxRow)).first() is None


def test_erase_and_purge_take_the_notifications_follow_ups_and_slot(db_url: str, clock: Clock) -> None:
    settings = notify_settings(db_url, smtp_port=2525)
    availability = load_availability(settings.availability_path)
    with LeadStore(db_url, clock=clock) as store:
        leads = []
        for sender in ("chat-1", "chat-2"):
            [slot] = free_slots(store, availability, clock.now, limit=1)
            assert hold(store, sender, slot.starts_at, availability, clock.now)
            leads.append(store.save(new_lead(sender_id=sender), slot_holder=sender, slot_start=slot.starts_at,
                                    settings=settings))
        with store.session() as session:
            session.add_all([LeadFollowUpRow(lead_reference=lead.reference, status="contacted", note="",
                                             at=clock.now) for lead in leads])
            session.commit()
        store.erase(reference=leads[0].reference)
        with store.session() as session:
            assert _rows_of(session, leads[0].reference) == (0, 0, 0)
            assert _rows_of(session, leads[1].reference) == (2, 1, 1)
        assert free_slots(store, availability, clock.now, limit=1)[0].starts_at == leads[0].slot_starts_at
        clock.advance(days=400)
        assert store.purge(365).references == (leads[1].reference,)
        with store.session() as session:
            assert _rows_of(session, leads[1].reference) == (0, 0, 0)


def _rows_of(session: Session, reference: str) -> tuple[int, ...]:
    return tuple(len(session.execute(select(table).where(table.lead_reference == reference)).all())
                 for table in (OutboxRow, LeadFollowUpRow, AppointmentRow))
