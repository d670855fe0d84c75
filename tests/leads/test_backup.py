"""`python -m leads backup` and `restore`: a round trip on SQLite (the backup API) and on PostgreSQL
(pg_dump, and the SQL export when there is no pg_dump), with the leads, their slots and follow-ups back."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from leads import LeadStore
from leads.follow_ups import history, set_status
from leads.lead_tables import AppointmentRow
from tests.leads.conftest import START, Clock, new_lead
from tests.leads.test_lead_desk_cli import one_line_error, run


def _snapshot(store: LeadStore) -> list[tuple[object, ...]]:
    """What a restoration must give back: every lead in full, with its slot."""
    return [(lead.reference, lead.to_dict(), lead.consent_text, lead.slot_starts_at,
             [(change.status, change.note) for change in history(store, lead.reference)])
            for lead in store.recent(50)]


def _seed(store: LeadStore, clock: Clock) -> None:
    first = store.save(new_lead())
    clock.advance(minutes=3)
    store.save(new_lead(full_name="Awa O'Diop", email="awa.diop@exemple.sn", sender_id="sender-awa",
                        consent_text="I agree; it's \"fine\" \\ ok", screening={"verdict": "eligible",
                                                                               "note": "l'été, 50 %"}))
    with store.session() as session:
        session.add(AppointmentRow(starts_at=START, ends_at=START.replace(minute=30), holder="sender-marie",
                                   held_at=START, lead_reference=first.reference))
        session.commit()
    set_status(store, first.reference, "contacted", "called back", clock())


def _round_trip(store: LeadStore, clock: Clock, backup_file: Path, method: str) -> None:
    _seed(store, clock)
    before = _snapshot(store)
    status, out, _ = run("backup", "--out", str(backup_file))
    assert status == 0, out
    assert "Backed up 2 lead(s)" in out and method in out
    assert stat.S_IMODE(os.stat(backup_file).st_mode) == 0o600
    clock.advance(minutes=5)
    store.erase(reference=before[0][0])
    store.save(new_lead(full_name="Léa Roy", email="lea.roy@example.ca", sender_id="sender-lea"))
    assert _snapshot(store) != before
    status, out, _ = run("restore", "--from", str(backup_file), "--yes")
    assert status == 0 and "Restored 2 lead(s)" in out and method in out
    with LeadStore(store.url) as restored:
        assert _snapshot(restored) == before
        clock.advance(minutes=1)
        assert restored.save(new_lead(sender_id="after")).reference  # ids carry on after the restored rows


def test_sqlite_round_trip_with_the_backup_api(sqlite_url: str, clock: Clock, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_DB_URL", sqlite_url)
    with LeadStore(sqlite_url, clock=clock) as store:
        _round_trip(store, clock, tmp_path / "leads-backup.db", "SQLite backup")


@pytest.mark.skipif(not any((Path(folder) / "pg_dump").exists()
                            for folder in os.environ.get("PATH", "").split(os.pathsep)),
                    reason="pg_dump is not installed (the SQL export test covers PostgreSQL)")
def test_postgresql_round_trip_with_pg_dump(pg_url: str, clock: Clock, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_DB_URL", pg_url)
    with LeadStore(pg_url, clock=clock) as store:
        _round_trip(store, clock, tmp_path / "leads.dump", "pg_dump archive")


def test_postgresql_round_trip_with_the_sql_export_when_there_is_no_pg_dump(
        pg_url: str, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_DB_URL", pg_url)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    backup_file = tmp_path / "leads.sql"
    with LeadStore(pg_url, clock=clock) as store:
        _round_trip(store, clock, backup_file, "SQL export")
    script = backup_file.read_text(encoding="utf-8")
    assert script.startswith("-- IMP+ leads SQL export") and script.rstrip().endswith("COMMIT;")
    assert "INSERT INTO leads (" in script


def test_restore_asks_first_and_refuses_what_is_not_a_backup(
        sqlite_url: str, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LEADS_DB_URL", sqlite_url)
    backup_file = tmp_path / "backup.db"
    with LeadStore(sqlite_url, clock=clock) as store:
        store.save(new_lead())
        assert run("backup", "--out", str(backup_file))[0] == 0
        store.save(new_lead(sender_id="second"))
        status, out, err = run("restore", "--from", str(backup_file), stdin="no\n")
        assert status == 1 and "Type yes to confirm" in out
        assert one_line_error(err) == "leads: error: not confirmed: nothing restored"
        assert len(store.recent()) == 2
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    status, _, err = run("restore", "--from", str(not_a_backup), "--yes")
    assert status == 1 and "is not a leads backup" in one_line_error(err)
    status, _, err = run("restore", "--from", str(tmp_path / "missing.db"), "--yes")
    assert status == 2 and "no file" in one_line_error(err)
    status, _, err = run("backup", "--out", str(tmp_path / "no-such-folder" / "x.db"))
    assert status == 1 and "cannot write" in one_line_error(err)


def test_a_sqlite_backup_does_not_restore_into_postgresql(sqlite_url: str, pg_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_DB_URL", sqlite_url)
    backup_file = tmp_path / "backup.db"
    assert run("backup", "--out", str(backup_file))[0] == 0
    monkeypatch.setenv("LEADS_DB_URL", pg_url)
    status, _, err = run("restore", "--from", str(backup_file), "--yes")
    assert status == 1 and "is a SQLite backup, and the leads database is postgresql" in one_line_error(err)
