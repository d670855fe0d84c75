"""When the consultancy takes calls (config/availability.yaml, AVAILABILITY_FILE), and the slots that follow.

Hours are written in the consultancy's own zone and slots are laid out on its wall clock, so a 09:00 slot in
Montreal stays at 09:00 across a daylight-saving change (14:00 UTC in winter, 13:00 in summer). Slots are
handed out in UTC; leads/appointments.py decides which of them are still free.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ValidationError, conint, validator

from project_settings import get_settings

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RANGE = re.compile(r"^\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*$")


class AvailabilityError(ValueError):
    """The availability file is wrong; the message is one line naming the file, the field and the fault."""


@dataclass(frozen=True, order=True)
class Slot:
    """One consultation slot, in UTC."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, order=True)
class TimeRange:
    """Opening hours within one day, on the consultancy's wall clock ("09:00-12:00")."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        match = _RANGE.match(str(text))
        if not match:
            raise ValueError(f"{text!r} is not a range written HH:MM-HH:MM")
        hours_1, minutes_1, hours_2, minutes_2 = (int(part) for part in match.groups())
        try:
            start, end = time(hours_1, minutes_1), time(hours_2, minutes_2)
        except ValueError:
            raise ValueError(f"{text!r} has a time that does not exist") from None
        if end <= start:
            raise ValueError(f"{text!r} ends before it starts")
        return cls(start, end)

    @classmethod
    def __get_validators__(cls) -> Iterator[Any]:  # pydantic 1: read from "HH:MM-HH:MM"
        yield lambda value: value if isinstance(value, cls) else cls.parse(value)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


WeeklyHours = dict[str, tuple[TimeRange, ...]]


class Availability(BaseModel):
    """The consultancy's bookable hours; ``slots(now)`` lays out the slots that may be offered now."""

    time_zone: str
    slot_minutes: conint(ge=5, le=480)  # type: ignore[valid-type]
    buffer_minutes: conint(ge=0, le=480)  # type: ignore[valid-type]
    min_notice_hours: conint(ge=0)  # type: ignore[valid-type]
    book_ahead_days: conint(ge=1, le=366)  # type: ignore[valid-type]
    slots_offered: conint(ge=1, le=10)  # type: ignore[valid-type]
    weekly_hours: WeeklyHours
    closed_days: frozenset[date] = frozenset()

    class Config:
        frozen = True
        extra = "forbid"

    @validator("time_zone")
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. America/Montreal)") from None
        return value

    @validator("weekly_hours", pre=True)
    def _no_empty_days(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("must map each weekday to a list of HH:MM-HH:MM ranges")
        return {str(day): ranges or () for day, ranges in value.items()}

    @validator("weekly_hours")
    def _weekdays_without_overlaps(cls, value: WeeklyHours) -> WeeklyHours:
        hours: WeeklyHours = {}
        for day, ranges in value.items():
            name = day.strip().lower()
            if name not in WEEKDAYS:
                raise ValueError(f"{day!r} is not a weekday (monday … sunday)")
            ordered = tuple(sorted(ranges))
            for earlier, later in zip(ordered, ordered[1:], strict=False):
                if later.start < earlier.end:
                    raise ValueError(f"{name}: {earlier} and {later} overlap")
            hours[name] = ordered
        return hours

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def step(self) -> timedelta:
        """From one slot's start to the next one's: the call and the free time after it."""
        return timedelta(minutes=self.slot_minutes + self.buffer_minutes)

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The starts that may be booked now: from ``now`` plus the notice, to ``now`` plus the days ahead
        (that end excluded)."""
        return now + timedelta(hours=self.min_notice_hours), now + timedelta(days=self.book_ahead_days)

    def day_slots(self, day: date) -> list[Slot]:
        """Every slot of one day of the consultancy's calendar, ignoring the notice and the days ahead."""
        if day in self.closed_days:
            return []
        length = timedelta(minutes=self.slot_minutes)
        slots = []
        for hours in self.weekly_hours.get(WEEKDAYS[day.weekday()], ()):
            start, end = datetime.combine(day, hours.start), datetime.combine(day, hours.end)
            while start + length <= end:  # wall-clock steps: naive datetimes, the zone attached after
                starts_at = _utc(start, self.zone)
                if starts_at is not None:
                    slots.append(Slot(starts_at, starts_at + length))
                start += self.step
        return slots

    def slots(self, now: datetime, after: datetime | None = None) -> Iterator[Slot]:
        """The bookable slots in time order, starting at or after now + the notice (and after ``after``)."""
        earliest, end = self.window(now)
        day = earliest.astimezone(self.zone).date()
        while datetime.combine(day, time(), self.zone) < end:
            for slot in self.day_slots(day):
                if earliest <= slot.starts_at < end and (after is None or slot.starts_at > after):
                    yield slot
            day += timedelta(days=1)

    def slot_at(self, starts_at: datetime, now: datetime) -> Slot | None:
        """The bookable slot starting at ``starts_at``, or None when no slot starts then (any more)."""
        earliest, end = self.window(now)
        if not earliest <= starts_at < end:
            return None
        day = starts_at.astimezone(self.zone).date()
        return next((slot for slot in self.day_slots(day) if slot.starts_at == starts_at), None)


def _utc(local: datetime, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when the clocks skip it (spring forward)."""
    aware = local.replace(tzinfo=zone)
    instant = aware.astimezone(timezone.utc)
    return instant if instant.astimezone(zone).replace(tzinfo=None) == local else None


def load_availability(path: Path | str | None = None) -> Availability:
    """The availability file (AVAILABILITY_FILE by default); AvailabilityError, in one line, when wrong."""
    path = Path(path) if path is not None else get_settings().availability_path
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise AvailabilityError(f"{path}: cannot be read: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise AvailabilityError(f"{path}: expected a mapping of settings")
    try:
        return Availability(**data)
    except ValidationError as error:
        faults = "; ".join(f"{'.'.join(str(part) for part in fault['loc'])}: {fault['msg']}"
                           for fault in error.errors())
        raise AvailabilityError(f"{path}: {faults}") from None


def consultancy_zone(path: Path | str | None = None) -> str:
    """The zone the consultancy works in: the availability file's (for the emails and the desk)."""
    return load_availability(path).time_zone
