"""The funnel counted from a tracker store seeded with Rasa-shaped conversations (tests/leads/funnel_seed.py):
both languages, two channels, a stop on a given question, each verdict, a confirmed and a cancelled
booking; every count checked, on SQLite and once on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from leads.funnel import VERDICTS, NoTrackerStore, funnel_report
from tests.leads.funnel_seed import NOV_2, NOV_3, create_events_table, seed, seeded_chats, write


@pytest.fixture()
def tracker_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    seed(url)
    return url


def stages(counts: dict) -> tuple[int, ...]:
    return tuple(counts[name] for name in ("conversations", "check_started", "verdict", "booking_offered",
                                          "booking_started", "booking_consented", "booking_confirmed"))


def test_every_stage_counted_once_per_conversation(tracker_db: str) -> None:
    report = funnel_report(tracker_db, NOV_2, NOV_3).to_dict()
    totals = report["totals"]
    # a..g: 7 conversations; checks: all but the menu one; verdicts: a, c, d, e, g; the call offered with
    # every verdict and in f's menu; bookings started by a and e; e's consent removed with its cancellation.
    assert stages(totals) == (7, 6, 5, 6, 2, 1, 1)
    assert report["verdicts"] == {"eligible": 1, "not_eligible": 1, "not_yet": 1, "need_more_info": 1,
                                  "unconfirmed": 1}
    assert set(report["verdicts"]) == set(VERDICTS)
    assert report["since"] == "2026-11-02" and report["until"] == "2026-11-03" and report["zone"] == "UTC"


def test_by_day_language_and_channel(tracker_db: str) -> None:
    report = funnel_report(tracker_db, NOV_2, NOV_3).to_dict()
    assert list(report["by_day"]) == ["2026-11-02", "2026-11-03"]
    assert stages(report["by_day"]["2026-11-02"]) == (3, 2, 1, 2, 1, 1, 1)  # a, b, f
    assert stages(report["by_day"]["2026-11-03"]) == (4, 4, 4, 4, 1, 0, 0)  # c, d, e, g
    assert stages(report["by_language"]["en"]) == (4, 4, 4, 4, 2, 1, 1)  # a, c, e, g
    assert stages(report["by_language"]["fr"]) == (3, 2, 1, 2, 0, 0, 0)  # b, d, f
    assert report["by_language"]["fr"]["verdicts"]["not_yet"] == 1
    assert stages(report["by_channel"]["rest"]) == (4, 4, 4, 4, 2, 1, 1)
    assert stages(report["by_channel"]["telegram"]) == (3, 2, 1, 2, 0, 0, 0)
    assert set(report["by_channel"]) == {"rest", "telegram"}


def test_drop_off_per_question(tracker_db: str) -> None:
    rows = funnel_report(tracker_db, NOV_2, NOV_3).to_dict()["questions"]
    questions = {row.pop("field"): row for row in rows}
    assert list(questions)[:3] == ["residence", "status_in_canada", "has_csq"], "in the order asked"
    assert questions["residence"] == {"asked": 6, "answered": 5, "skipped": 1, "stopped": 0}
    # b left at the status question; e answered it.
    assert questions["status_in_canada"] == {"asked": 2, "answered": 1, "skipped": 0, "stopped": 1}
    assert questions["has_csq"] == {"asked": 2, "answered": 1, "skipped": 1, "stopped": 0}
    assert questions["pr_applied"] == {"asked": 2, "answered": 2, "skipped": 0, "stopped": 0}
    assert questions["application_complete"] == {"asked": 1, "answered": 1, "skipped": 0, "stopped": 0}
    assert questions["pr_filed_while_csq_valid"] == {"asked": 0, "answered": 0, "skipped": 0, "stopped": 0}


def test_days_are_those_of_the_zone_asked(tracker_db: str) -> None:
    # 02:00 UTC on Nov 4 is the evening of Nov 3 in Montreal; 10:00 UTC on Nov 2 is still Nov 2 there.
    report = funnel_report(tracker_db, NOV_2, NOV_3, zone="America/Toronto").to_dict()
    assert report["totals"]["conversations"] == 8
    assert report["by_day"]["2026-11-03"]["conversations"] == 5
    assert report["by_channel"]["unknown"]["conversations"] == 1
    residence = report["questions"][0]
    assert residence["field"] == "residence" and residence["stopped"] == 1, "h left at the first question"


def test_period_bounds_are_inclusive_and_open_ended(tracker_db: str) -> None:
    assert funnel_report(tracker_db, NOV_3, NOV_3).totals.conversations == 4
    assert funnel_report(tracker_db, date(2026, 10, 31), date(2026, 10, 31)).totals.conversations == 1
    assert funnel_report(tracker_db, NOV_2).totals.conversations == 8  # no end: Nov 4 too
    assert funnel_report(tracker_db, date(2026, 12, 1)).to_dict()["totals"]["conversations"] == 0
    with pytest.raises(ValueError, match="before it starts"):
        funnel_report(tracker_db, NOV_3, NOV_2)
    with pytest.raises(ValueError, match="unknown time zone"):
        funnel_report(tracker_db, NOV_2, zone="Mars/Olympus")


def test_filters_on_language_and_channel(tracker_db: str) -> None:
    french = funnel_report(tracker_db, NOV_2, NOV_3, language="fr")
    assert french.totals.conversations == 3 and set(french.by_language) == {"fr"}
    assert french.to_dict()["filters"] == {"language": "fr", "channel": None}
    rest = funnel_report(tracker_db, NOV_2, NOV_3, channel="rest")
    assert rest.totals.booking_confirmed == 1 and rest.totals.conversations == 4
    assert funnel_report(tracker_db, NOV_2, NOV_3, language="fr", channel="rest").totals.conversations == 0


def test_counts_hold_over_many_conversations(tmp_path: Path) -> None:
    """Forty copies (about 16,000 events, many stream batches): every count forty times over."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    create_events_table(url)
    write(url, *(chat for copy in range(40) for chat in seeded_chats(copy)))
    report = funnel_report(url, NOV_2, NOV_3).to_dict()
    assert stages(report["totals"]) == tuple(40 * n for n in (7, 6, 5, 6, 2, 1, 1))
    assert report["questions"][1] == {"field": "status_in_canada", "asked": 80, "answered": 40, "skipped": 0,
                                      "stopped": 40}


def test_report_is_json_ready(tracker_db: str) -> None:
    report = funnel_report(tracker_db, NOV_2, NOV_3).to_dict()
    assert json.loads(json.dumps(report)) == report


def test_no_tracker_store(tmp_path: Path) -> None:
    with pytest.raises(NoTrackerStore):
        funnel_report(None, NOV_2)
    missing = tmp_path / "missing.db"
    with pytest.raises(NoTrackerStore, match="does not exist"):
        funnel_report(f"sqlite:///{missing}", NOV_2)
    assert not missing.exists(), "the tracker store is never created"
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(NoTrackerStore, match="no events table"):
        funnel_report(f"sqlite:///{empty}", NOV_2)


def test_same_counts_on_postgresql(pg_url: str, tracker_db: str) -> None:
    seed(pg_url)
    on_postgres = funnel_report(pg_url, NOV_2, NOV_3, zone="America/Toronto").to_dict()
    assert on_postgres == funnel_report(tracker_db, NOV_2, NOV_3, zone="America/Toronto").to_dict()
    assert stages(on_postgres["totals"])[:3] == (8, 7, 5)
