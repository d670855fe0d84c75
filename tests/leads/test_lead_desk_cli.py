"""`python -m leads` on SQLite and PostgreSQL: list, show, export, erase, purge; status, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from leads import LeadStore
from leads.funnel import funnel_report
from leads.lead_desk_cli import main
from tests.leads.conftest import REPO, Clock, Tracker, new_lead
from tests.leads.funnel_seed import seed, seeded_chats, write


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """The command line in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        status = main(list(args), stdout=out, stdin=io.StringIO(stdin))
    finally:
        sys.stderr = saved
    return status, out.getvalue(), err.getvalue()


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leads: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_list_masks_contact_details(store: LeadStore, cli_env: Callable[..., None], clock: Clock) -> None:
    status, out, _ = run("list")
    assert status == 0 and out.startswith("No leads")
    first = store.save(new_lead())
    clock.advance(minutes=1)
    second = store.save(new_lead(full_name="Awa Diop", email="awa.diop@exemple.sn", phone="+221771234567",
                                 language="en", time_zone=None))
    status, out, _ = run("list")
    assert status == 0
    header, newest, oldest = out.splitlines()
    assert header.split()[:2] == ["REFERENCE", "CREATED"]
    assert newest.startswith(second.reference) and oldest.startswith(first.reference)
    assert "Awa Diop" in newest and "a***@e***.sn" in newest and "+***67" in newest
    assert "m***@e***.com" in oldest and "+***78" in oldest and "Europe/Paris" in oldest
    assert "awa.diop@exemple.sn" not in out and "221771234567" not in out
    status, out, _ = run("list", "--limit", "1", "--json")
    [line] = out.splitlines()
    shown = json.loads(line)
    assert shown["reference"] == second.reference and shown["email"] == "a***@e***.sn"


def test_show_gives_everything(store: LeadStore, cli_env: Callable[..., None]) -> None:
    lead = store.save(new_lead(screening={
        "verdict": "eligible", "on": "2026-11-24", "profile": {"residence": "abroad"},
        "criteria": [{"id": "has_csq", "status": "met",
                      "reason": {"en": "You hold a CSQ.", "fr": "Vous avez un CSQ."}}],
        "alternatives": [], "caveats": ["imp_plus_still_open"]}))
    status, out, _ = run("show", lead.reference.lower())
    assert status == 0
    for expected in (lead.reference, "Marie-Ève Tremblay", "marie.tremblay@example.com", "+33612345678",
                     "06 12 34 56 78", "weekday mornings, Paris time", "Europe/Paris", "sender-marie",
                     "J'accepte", "eligible", "has_csq: met. Vous avez un CSQ.", "residence=abroad",
                     "imp_plus_still_open"):
        assert expected in out, expected
    status, out, _ = run("show", lead.reference, "--lang", "en")
    assert "has_csq: met. You hold a CSQ." in out
    status, out, _ = run("show", lead.reference, "--json")
    assert json.loads(out)["email"] == "marie.tremblay@example.com"


def test_show_unknown_and_malformed(store: LeadStore, cli_env: Callable[..., None]) -> None:
    status, _, err = run("show", "QP-2222-2222")
    assert status == 1 and "no lead QP-2222-2222" in one_line_error(err)
    status, _, err = run("show", "hello")
    assert status == 2 and "not a lead reference" in one_line_error(err)


def test_export_csv_to_a_private_file_and_stdout(store: LeadStore, cli_env: Callable[..., None],
                                                 tmp_path: Path) -> None:
    lead = store.save(new_lead())
    target = tmp_path / "leads.csv"
    status, _, err = run("export", "--csv", str(target))
    assert status == 0 and "Exported 1 lead" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the accents
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["reference"] == lead.reference and row["email"] == "marie.tremblay@example.com"
    assert row["full_name"] == "Marie-Ève Tremblay" and row["phone"] == "+33612345678"
    status, out, _ = run("export", "--csv", "-")
    assert status == 0 and lead.reference in out and "marie.tremblay@example.com" in out
    status, _, err = run("export", "--csv", str(tmp_path / "missing" / "x.csv"))
    assert status == 2 and "cannot write" in one_line_error(err)


def test_erase_by_reference_with_yes(store: LeadStore, tracker: Tracker,
                                     cli_env: Callable[..., None]) -> None:
    tracker.converse("sender-marie", "I'd like to book a call")
    lead = store.save(new_lead())
    status, out, _ = run("erase", "--reference", lead.reference, "--yes")
    assert status == 0 and f"Erased 1 lead(s) ({lead.reference})" in out and "1 conversation(s)" in out
    assert store.get(lead.reference) is None and tracker.count("sender-marie") == 0
    status, _, err = run("erase", "--reference", lead.reference, "--yes")
    assert status == 1 and "no lead" in one_line_error(err)


def test_erase_by_email_asks_first(store: LeadStore, tracker: Tracker, cli_env: Callable[..., None]) -> None:
    tracker.converse("sender-marie", "bonjour")
    lead = store.save(new_lead())
    status, out, err = run("erase", "--email", "Marie.Tremblay@example.com", stdin="no\n")
    assert status == 1 and "Type yes to confirm" in out and "nothing erased" in one_line_error(err)
    assert store.get(lead.reference) is not None and tracker.count("sender-marie") > 0
    status, out, _ = run("erase", "--email", "Marie.Tremblay@example.com", stdin="oui\n")
    assert status == 0 and "Erased 1 lead(s)" in out
    assert store.get(lead.reference) is None and tracker.count("sender-marie") == 0


def test_erase_without_tracker_store_says_so(store: LeadStore, cli_env: Callable[..., None],
                                             tmp_path: Path) -> None:
    cli_env(TRACKER_DB_URL=f"sqlite:///{tmp_path / 'no-tracker.db'}")
    lead = store.save(new_lead())
    status, out, _ = run("erase", "--reference", lead.reference, "--yes")
    assert status == 0 and "no conversations table" in out


@pytest.mark.parametrize(("args", "message"), [
    (["erase"], "one of the arguments --reference --email is required"),
    (["erase", "--reference", "QP-2222-2222", "--email", "a@example.com"], "not allowed with"),
    (["erase", "--email", "not-an-email", "--yes"], "not an email address"),
    (["erase", "--email", "a b@example.com", "--yes"], "invalid email"),
    (["erase", "--reference", "nope", "--yes"], "not a lead reference"),
    (["list", "--limit", "0"], "not between 1 and"),
    (["list", "--limit", "many"], "not a whole number"),
    (["purge", "--days", "0"], "not between 1 and"),
    (["purge", "--days", "soon"], "not a whole number"),
    (["frobnicate"], "invalid choice"),
    ([], "required: COMMAND"),
])
def test_bad_input_exits_2_with_one_line(store: LeadStore, cli_env: Callable[..., None], args: list[str],
                                         message: str) -> None:
    status, _, err = run(*args)
    assert status == 2 and message in one_line_error(err)


def test_purge_uses_the_retention_setting(db_url: str, tracker: Tracker,
                                          cli_env: Callable[..., None]) -> None:
    now = datetime.now(timezone.utc)
    tracker.converse("old-chat", "hello")
    tracker.converse("sender-marie", "hello")
    with LeadStore(db_url, clock=Clock(now - timedelta(days=400))) as store:
        old = store.save(new_lead(sender_id="old-chat"))
    with LeadStore(db_url, clock=Clock(now - timedelta(days=2))) as store:
        recent = store.save(new_lead())
    status, out, _ = run("purge", "--days", "500")
    assert status == 0 and "Purged 0 lead(s)" in out and "retention 500 days" in out
    cli_env(LEADS_RETENTION_DAYS="365")
    status, out, _ = run("purge")
    assert status == 0 and f"Purged 1 lead(s) ({old.reference})" in out and "retention 365 days" in out
    assert tracker.count("old-chat") == 0 and tracker.count("sender-marie") > 0
    with LeadStore(db_url) as store:
        assert [lead.reference for lead in store.recent()] == [recent.reference]


def test_bad_settings_and_unreachable_database(cli_env: Callable[..., None]) -> None:
    cli_env(LEADS_RETENTION_DAYS="a year")
    status, _, err = run("list")
    assert status == 2 and "LEADS_RETENTION_DAYS must be a number" in one_line_error(err)
    cli_env(LEADS_DB_URL="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    status, _, err = run("list")
    assert status == 1 and "database error" in one_line_error(err)
    cli_env(LEADS_DB_URL="not a url")
    status, _, err = run("list")
    assert status == 2 and "LEADS_DB_URL is not a database URL" in one_line_error(err)


# --- the real command, in a subprocess ------------------------------------------------------------------

def subprocess_run(env: dict[str, str], *args: str, stdin: str = "",
                   python: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADS_", "TRACKER_"))} | env
    return subprocess.run([sys.executable, *python, "-m", "leads", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, env=full_env, timeout=60, check=False)


def test_python_dash_m_leads(store: LeadStore, tracker: Tracker, db_url: str, tracker_url: str) -> None:
    """The real entry point, with SQLAlchemy's 2.0 deprecation warnings turned into errors."""
    tracker.converse("sender-marie", "hello")
    lead = store.save(new_lead())
    env = {"LEADS_DB_URL": db_url, "TRACKER_DB_URL": tracker_url, "SQLALCHEMY_WARN_20": "1"}
    strict = ("-W", "error::DeprecationWarning")
    for args in (("list",), ("show", lead.reference), ("export", "--csv", "-"), ("purge", "--days", "3650")):
        done = subprocess_run(env, *args, python=strict)
        assert done.returncode == 0, done.stderr
    done = subprocess_run(env, "erase", "--reference", lead.reference, "--yes", python=strict)
    assert done.returncode == 0 and "Erased 1 lead(s)" in done.stdout, done.stderr
    assert tracker.count("sender-marie") == 0
    done = subprocess_run(env, "show", "not-a-ref")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    done = subprocess_run(env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- stats: the funnel from the tracker store -----------------------------------------------------------

def test_stats_table_and_json(cli_env: Callable[..., None], tracker_url: str, db_url: str) -> None:
    seed(tracker_url)
    status, out, _ = run("stats", "--since", "2026-11-02", "--until", "2026-11-03", "--json")
    assert status == 0
    shown = json.loads(out)
    assert shown == funnel_report(tracker_url, date(2026, 11, 2), date(2026, 11, 3)).to_dict()
    assert shown["totals"]["conversations"] == 7 and shown["totals"]["booking_confirmed"] == 1
    status, out, _ = run("stats", "--since", "2026-11-02", "--until", "2026-11-03")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Conversation funnel, 2026-11-02 to 2026-11-03 (times in UTC)"
    header = lines[2].split("  ")
    assert [cell.strip() for cell in header if cell.strip()] == ["Stage", "Count", "%", "English", "French",
                                                                 "REST API", "Telegram"]
    assert lines[3].split() == ["Conversations", "7", "100%", "4", "3", "4", "3"]
    assert lines[5].split() == ["Verdict", "given", "5", "71%", "4", "1", "4", "1"]
    assert lines[7].split() == ["not", "eligible", "1", "14%", "1", "0", "1", "0"], "verdicts under it"
    assert any(line.split() == ["Booking", "confirmed", "1", "14%", "1", "0", "1", "0"] for line in lines)
    assert any(line.split() == ["2026-11-03", "4", "4", "4", "4", "1", "0", "0"] for line in lines)
    assert any(line.split() == ["Status", "in", "Canada", "2", "1", "0", "1"] for line in lines)
    status, out, _ = run("stats", "--since", "2026-11-02", "--lang", "fr", "--zone", "America/Toronto")
    assert status == 0 and out.startswith("Entonnoir des conversations, depuis le 2026-11-02")
    assert any(line.split()[:2] == ["Conversations", "8"] for line in out.splitlines())
    assert "Statut au Canada" in out and "Arrêt ici" in out
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists(), "stats needs no leads database"


def test_stats_errors(cli_env: Callable[..., None], tmp_path: Path) -> None:
    missing = tmp_path / "no-tracker.db"
    cli_env(TRACKER_DB_URL=f"sqlite:///{missing}")
    status, _, err = run("stats", "--since", "2026-11-01")
    assert status == 1 and "the tracker store does not exist" in one_line_error(err)
    assert not missing.exists()
    for args, message in ((("--since", "2026-11-31"), "not a date"),
                          (("--since", "2026-11-02", "--until", "2026-11-01"), "before it starts"),
                          (("--since", "2026-11-02", "--zone", "Nowhere/Here"), "unknown time zone"),
                          ((), "--since")):
        status, _, err = run("stats", *args)
        assert status == 2 and message in one_line_error(err)


def test_stats_on_rasa_own_events_table(tracker: Tracker, tracker_url: str) -> None:
    """Rasa's own table (more columns than the funnel reads), through the real entry point, strict."""
    tracker.converse("sender-hello", "hello")
    write(tracker_url, *seeded_chats())
    env = {"TRACKER_DB_URL": tracker_url, "SQLALCHEMY_WARN_20": "1"}
    done = subprocess_run(env, "stats", "--since", "2026-11-02", "--until", "2026-11-03", "--json",
                          python=("-W", "error::DeprecationWarning"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["conversations"] == 7
