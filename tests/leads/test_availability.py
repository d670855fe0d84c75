"""The consultancy's hours become slots on its own wall clock: daylight saving, closed days, notice, the days
ahead and the buffer; a wrong availability file is reported in one line."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from leads.availability import Availability, AvailabilityError, Slot, load_availability
from project_settings import get_settings

UTC = timezone.utc
MONDAY_NOON = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Monday 12:00 in Montreal (UTC-5)


def availability(**changes: Any) -> Availability:
    """Weekday mornings in Montreal, 30-minute calls 15 minutes apart; ``changes`` replace fields."""
    fields: dict[str, Any] = {
        "time_zone": "America/Montreal", "slot_minutes": 30, "buffer_minutes": 15, "min_notice_hours": 0,
        "book_ahead_days": 21, "slots_offered": 4,
        "weekly_hours": {day: ["09:00-12:00"] for day in ("monday", "tuesday", "wednesday", "thursday",
                                                            "friday")},
    }
    fields.update(changes)
    return Availability(**fields)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.starts_at for slot in slots]


def test_the_shipped_file_loads() -> None:
    shipped = load_availability(get_settings().availability_path)
    assert shipped.time_zone == "America/Montreal"
    assert str(shipped.weekly_hours["wednesday"][1]) == "13:00-19:00"
    assert shipped.weekly_hours["saturday"] == ()
    assert date(2026, 12, 25) in shipped.closed_days


def test_a_slot_every_slot_plus_buffer_within_each_range() -> None:
    hours = availability(weekly_hours={"tuesday": ["09:00-12:00", "13:00-14:00"]})
    day = hours.day_slots(date(2026, 12, 1))
    # 09:00, 09:45, 10:30, 11:15 (ends 11:45; 12:00 would end past noon), then 13:00 (13:45 ends at 14:15).
    assert starts(day) == [utc(2026, 12, 1, 14, 0), utc(2026, 12, 1, 14, 45), utc(2026, 12, 1, 15, 30),
                           utc(2026, 12, 1, 16, 15), utc(2026, 12, 1, 18, 0)]
    assert {slot.ends_at - slot.starts_at for slot in day} == {timedelta(minutes=30)}


def test_nine_in_montreal_is_thirteen_utc_in_summer_and_fourteen_in_winter() -> None:
    hours = availability(weekly_hours={"monday": ["09:00-09:30"]})
    # Clocks fall back on Sunday, November 1, 2026.
    slots = list(hours.slots(utc(2026, 10, 20)))
    assert starts(slots)[:3] == [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14), utc(2026, 11, 9, 14)]


def test_a_wall_clock_time_the_spring_change_skips_is_no_slot() -> None:
    # Clocks spring forward at 02:00 on Sunday, March 14, 2027: 02:00-02:59 does not exist in Montreal.
    hours = availability(slot_minutes=30, buffer_minutes=0, weekly_hours={"sunday": ["01:00-04:00"]})
    day = starts(hours.day_slots(date(2027, 3, 14)))
    assert day == [utc(2027, 3, 14, 6, 0), utc(2027, 3, 14, 6, 30), utc(2027, 3, 14, 7, 0),
                   utc(2027, 3, 14, 7, 30)]  # 01:00 and 01:30 EST, then 03:00 and 03:30 EDT


def test_closed_days_have_no_slots() -> None:
    hours = availability(closed_days=[date(2026, 12, 1)])
    assert hours.day_slots(date(2026, 12, 1)) == []
    offered = {slot.starts_at.date() for slot in hours.slots(MONDAY_NOON)}
    assert date(2026, 12, 1) not in offered and date(2026, 12, 2) in offered


def test_weekends_and_unlisted_days_have_no_slots() -> None:
    hours = availability()
    assert hours.day_slots(date(2026, 12, 5)) == [] and hours.day_slots(date(2026, 12, 6)) == []


def test_the_first_slot_respects_the_notice() -> None:
    # Monday 12:00 with 20 hours' notice: Tuesday 08:00 at the earliest, so Tuesday 09:00 is first.
    assert next(availability(min_notice_hours=20).slots(MONDAY_NOON)).starts_at == utc(2026, 12, 1, 14)
    # 21 hours: Tuesday 09:00 exactly, still offered; 22 hours (Tuesday 10:00): 09:00 and 09:45 are too soon.
    assert next(availability(min_notice_hours=21).slots(MONDAY_NOON)).starts_at == utc(2026, 12, 1, 14)
    assert next(availability(min_notice_hours=22).slots(MONDAY_NOON)).starts_at == utc(2026, 12, 1, 15, 30)


def test_nothing_at_or_beyond_the_days_ahead() -> None:
    monday_0945 = utc(2026, 11, 30, 14, 45)  # two days ahead is Wednesday 09:45
    offered = starts(list(availability(book_ahead_days=2).slots(monday_0945)))
    assert offered[0] == monday_0945  # a slot starting right now, with no notice asked
    assert offered[-1] == utc(2026, 12, 2, 14, 0)  # Wednesday 09:00; 09:45 is not before the end
    assert len(offered) == 3 + 4 + 1


def test_after_pages_on() -> None:
    hours = availability()
    first = list(hours.slots(MONDAY_NOON))[:4]
    assert starts(list(hours.slots(MONDAY_NOON, after=first[-1].starts_at))[:1]) == [utc(2026, 12, 2, 14, 0)]


def test_slot_at_recognises_only_real_bookable_slots() -> None:
    hours = availability(min_notice_hours=12)
    assert hours.slot_at(utc(2026, 12, 1, 14, 45), MONDAY_NOON) == Slot(utc(2026, 12, 1, 14, 45),
                                                                          utc(2026, 12, 1, 15, 15))
    assert hours.slot_at(utc(2026, 12, 1, 14, 30), MONDAY_NOON) is None  # off the grid
    assert hours.slot_at(utc(2026, 11, 30, 19, 0), MONDAY_NOON) is None  # too soon
    assert hours.slot_at(utc(2026, 12, 29, 14, 0), MONDAY_NOON) is None  # too far ahead


@pytest.mark.parametrize(
    "change, message",
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone: 'Mars/Olympus' is not an IANA time zone"),
        ({"weekly_hours": {"monday": ["9:00-12:00"]}}, "weekly_hours.monday.0: '9:00-12:00' is not a range"),
        ({"weekly_hours": {"monday": ["12:00-09:00"]}}, "'12:00-09:00' ends before it starts"),
        ({"weekly_hours": {"monday": ["09:00-25:00"]}}, "'09:00-25:00' has a time that does not exist"),
        ({"weekly_hours": {"monday": ["09:00-12:00", "11:30-13:00"]}},
         "weekly_hours: monday: 09:00-12:00 and 11:30-13:00 overlap"),
        ({"weekly_hours": {"lundi": ["09:00-12:00"]}}, "'lundi' is not a weekday"),
        ({"slot_minutes": 0}, "slot_minutes: ensure this value is greater than or equal to 5"),
        ({"closed_days": ["2026-13-01"]}, "closed_days.0: invalid date format"),
        ({"holidays": []}, "holidays: extra fields not permitted"),
    ],
)
def test_a_wrong_file_is_reported_in_one_line(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    data = yaml.safe_load(get_settings().availability_path.read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "availability.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(AvailabilityError) as error:
        load_availability(path)
    assert message in str(error.value)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_an_unreadable_file_is_reported_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(AvailabilityError, match="cannot be read"):
        load_availability(tmp_path / "missing.yaml")
