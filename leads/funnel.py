"""The funnel: how many conversations reached each step, from the tracker store (the record of what
happened), by day, language and channel, and which screening question loses people.

Read in one pass over Rasa's ``events`` table (privacy/tracker_events.py), in sender / timestamp order,
keeping a small state per conversation, so a large store is never held in memory. Definitions:

- A *conversation* is a sender with at least one user message. It is dated by its first user message,
  in ``zone`` (UTC by default), and counted on that day only: ``since`` / ``until`` (inclusive) select
  conversations by that date, and everything they did afterwards counts with them.
- Its *language* is the last value of the ``language`` slot ("unknown" if never set); its *channel* is the
  ``input_channel`` of its first user message (rest, socketio, telegram; anything else is "unknown").
- Each stage counts a conversation at most once:
  - ``check_started``: the screening form (``screening_form``) was activated;
  - ``verdict``: the assistant gave a verdict (``action_screening_verdict`` ran); its *type* is the
    ``verdict`` slot that action set (the form sets ``need_more_info`` while it asks, so the slot alone
    does not say a verdict was given). A conversation with several verdicts counts its last one;
  - ``booking_offered``: a bot message had the "Book a call" button (payload ``/human_handoff``), after a
    verdict, a request for advice or in the menu;
  - ``booking_started``: the booking form (``booking_form``) was activated;
  - ``booking_consented``: ``lead_consent`` was set to true. A refused or cancelled booking has its
    ``lead_*`` values removed from the store (privacy/tracker_redaction.py), so only consents still on
    record count: a cancelled booking counts as started, not as consented;
  - ``booking_confirmed``: ``lead_reference`` was set (the lead was saved).
- Per screening question (a profile field, eligibility/fields.py): *asked* when the form requested it
  (``requested_slot``); *answered* when that field's slot was set from the person's message while the form
  was asking that very question (a fact volunteered before it was asked is not an answer to it, so
  answered never exceeds asked); *skipped* when it joined ``skipped_fields`` ("I don't know", or three
  unusable answers); *stopped* when it was the last question asked of a conversation that started a check
  and got no verdict: where people left.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, inspect, select

from eligibility.assessment_models import Verdict
from eligibility.fields import QUESTION_ORDER
from i18n.languages import supported
from privacy.tracker_events import EVENTS, tracker_engine

SCREENING_FORM = "screening_form"
BOOKING_FORM = "booking_form"
VERDICT_ACTION = "action_screening_verdict"
BOOKING_OFFER_PAYLOAD = "/human_handoff"
VERDICTS: tuple[str, ...] = get_args(Verdict)
CHANNELS = ("rest", "socketio", "telegram")
UNKNOWN = "unknown"
STAGES = ("conversations", "check_started", "verdict", "booking_offered", "booking_started",
          "booking_consented", "booking_confirmed")
STREAM_BATCH = 1000
# The only events that mark a stage; the rest (featurizations, session starts, rejections) are not read.
READ_TYPES = ("user", "bot", "slot", "action", "active_loop")


class NoTrackerStore(Exception):
    """There is no SQL tracker store to read (not configured, no SQLite file, or no events table)."""


@dataclass
class StageCounts:
    """How many conversations reached each stage, and the verdicts given by type."""

    conversations: int = 0
    check_started: int = 0
    verdict: int = 0
    booking_offered: int = 0
    booking_started: int = 0
    booking_consented: int = 0
    booking_confirmed: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))

    def add(self, conversation: Conversation) -> None:
        self.conversations += 1
        self.check_started += conversation.check_started
        self.booking_offered += conversation.booking_offered
        self.booking_started += conversation.booking_started
        self.booking_consented += conversation.booking_consented
        self.booking_confirmed += conversation.booking_confirmed
        if conversation.verdict is not None:
            self.verdict += 1
            self.verdicts[conversation.verdict] = self.verdicts.get(conversation.verdict, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in STAGES}, "verdicts": dict(self.verdicts)}


@dataclass
class QuestionCounts:
    """One screening question: conversations it was asked in, answered, skipped, and last asked before
    the person left without a verdict."""

    asked: int = 0
    answered: int = 0
    skipped: int = 0
    stopped: int = 0

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class FunnelReport:
    """The funnel of the conversations first seen from `since` to `until` (inclusive, in `zone`)."""

    since: date
    until: date | None
    zone: str
    language: str | None = None
    channel: str | None = None
    totals: StageCounts = field(default_factory=StageCounts)
    by_day: dict[date, StageCounts] = field(default_factory=dict)
    by_language: dict[str, StageCounts] = field(default_factory=dict)
    by_channel: dict[str, StageCounts] = field(default_factory=dict)
    questions: dict[str, QuestionCounts] = field(
        default_factory=lambda: {name: QuestionCounts() for name in QUESTION_ORDER})

    @property
    def verdicts(self) -> dict[str, int]:
        return self.totals.verdicts

    def add(self, conversation: Conversation) -> None:
        self.totals.add(conversation)
        assert conversation.day is not None
        self.by_day.setdefault(conversation.day, StageCounts()).add(conversation)
        self.by_language.setdefault(conversation.language, StageCounts()).add(conversation)
        self.by_channel.setdefault(conversation.channel, StageCounts()).add(conversation)
        for name in conversation.asked:
            self.questions[name].asked += 1
        for name in conversation.answered:
            self.questions[name].answered += 1
        for name in conversation.skipped:
            self.questions[name].skipped += 1
        stopped = conversation.stopped_at
        if stopped is not None:
            self.questions[stopped].stopped += 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, days in order, questions in the order they are asked."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "zone": self.zone,
            "filters": {"language": self.language, "channel": self.channel},
            "totals": self.totals.to_dict(),
            "by_day": {day.isoformat(): counts.to_dict() for day, counts in sorted(self.by_day.items())},
            "by_language": {key: counts.to_dict() for key, counts in sorted(self.by_language.items())},
            "by_channel": {key: counts.to_dict() for key, counts in sorted(self.by_channel.items())},
            "questions": [{"field": name, **counts.to_dict()} for name, counts in self.questions.items()],
            "verdicts": dict(self.verdicts),
        }


@dataclass
class Conversation:
    """What one conversation did, built event by event."""

    day: date | None = None
    channel: str = UNKNOWN
    language: str = UNKNOWN
    check_started: bool = False
    verdict: str | None = None
    booking_offered: bool = False
    booking_started: bool = False
    booking_consented: bool = False
    booking_confirmed: bool = False
    asked: list[str] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)
    last_asked: str | None = None
    _active_form: str | None = None
    _requested: str | None = None
    _verdict_pending: bool = False

    @property
    def stopped_at(self) -> str | None:
        """The last question asked, when a check started and no verdict came."""
        return self.last_asked if self.check_started and self.verdict is None else None

    def read(self, kind: str, timestamp: float, data: dict[str, Any], zone: ZoneInfo) -> None:
        if kind == "user":
            if self.day is None:
                self.day = datetime.fromtimestamp(timestamp, zone).date()
                channel = data.get("input_channel")
                self.channel = channel if channel in CHANNELS else UNKNOWN
        elif kind == "active_loop":
            self._active_form = data.get("name")
            self.check_started |= self._active_form == SCREENING_FORM
            self.booking_started |= self._active_form == BOOKING_FORM
        elif kind == "action":
            self._verdict_pending |= data.get("name") == VERDICT_ACTION
        elif kind == "bot":
            buttons = (data.get("data") or {}).get("buttons") or []
            self.booking_offered |= any(
                isinstance(b, dict) and b.get("payload") == BOOKING_OFFER_PAYLOAD for b in buttons)
        elif kind == "slot":
            self._slot(data.get("name"), data.get("value"))

    def _slot(self, name: Any, value: Any) -> None:
        if name == "language" and value:
            self.language = supported(value) or UNKNOWN
        elif name == "requested_slot":
            self._requested = value if self._active_form == SCREENING_FORM else None
            if value in QUESTION_ORDER and self._active_form == SCREENING_FORM:
                self.last_asked = value
                if value not in self.asked:
                    self.asked.append(value)
        elif name == "verdict" and self._verdict_pending and value:
            self.verdict, self._verdict_pending = str(value), False
        elif name == "lead_consent" and value is True:
            self.booking_consented = True
        elif name == "lead_reference" and value:
            self.booking_confirmed = True
        elif name == "skipped_fields" and isinstance(value, list):
            self.skipped |= {item for item in value if item in QUESTION_ORDER}
        elif name in QUESTION_ORDER and value is not None and name == self._requested \
                and self._active_form == SCREENING_FORM:
            self.answered.add(name)


def funnel_report(
    tracker_db_url: str | None,
    since: date,
    until: date | None = None,
    zone: str = "UTC",
    *,
    language: str | None = None,
    channel: str | None = None,
) -> FunnelReport:
    """The funnel of the conversations whose first message fell from `since` to `until` (inclusive) in
    `zone`, optionally only those in one `language` or from one `channel`.

    Raises NoTrackerStore when there is no SQL tracker store, ValueError for an unknown zone or an empty
    period. Database errors (SQLAlchemyError) are left to the caller.
    """
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
    if until is not None and until < since:
        raise ValueError(f"the period ends ({until}) before it starts ({since})")
    report = FunnelReport(since=since, until=until, zone=zone, language=language, channel=channel)
    for conversation in _conversations(tracker_db_url, _bound(since, tz), _bound(until, tz, 1), tz):
        if (language is None or conversation.language == language) and \
                (channel is None or conversation.channel == channel):
            report.add(conversation)
    return report


def _bound(day: date | None, zone: ZoneInfo, days_after: int = 0) -> float | None:
    """Midnight at the start of `day` (plus `days_after` days) in `zone`, as seconds since the epoch."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days_after), time(0), tzinfo=zone).timestamp()


def _conversations(tracker_db_url: str | None, start: float | None, end: float | None,
                   zone: ZoneInfo) -> Iterator[Conversation]:
    """Each conversation first seen from `start` (inclusive) to `end` (exclusive), read in one stream."""
    engine = tracker_engine(tracker_db_url) if tracker_db_url else None
    if engine is None:
        raise NoTrackerStore("no SQL tracker store configured (TRACKER_DB_URL)" if not tracker_db_url
                             else "the tracker store does not exist")
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(EVENTS.name):
                raise NoTrackerStore("the tracker store has no events table")
            first_message = func.min(EVENTS.c.timestamp)
            senders = select(EVENTS.c.sender_id).where(EVENTS.c.type_name == "user") \
                .group_by(EVENTS.c.sender_id)
            if start is not None:
                senders = senders.having(first_message >= start)
            if end is not None:
                senders = senders.having(first_message < end)
            rows = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(
                select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
                .where(EVENTS.c.sender_id.in_(senders.scalar_subquery()), EVENTS.c.type_name.in_(READ_TYPES))
                .order_by(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.id))
            yield from _grouped(rows, zone)
    finally:
        engine.dispose()


def _grouped(rows: Iterable[Any], zone: ZoneInfo) -> Iterator[Conversation]:
    sender: str | None = None
    conversation = Conversation()
    for row in rows:
        if row.sender_id != sender:
            if conversation.day is not None:
                yield conversation
            sender, conversation = row.sender_id, Conversation()
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            continue  # a row Rasa did not write: nothing to count in it
        if isinstance(data, dict):
            conversation.read(row.type_name or "", float(row.timestamp or 0), data, zone)
    if conversation.day is not None:
        yield conversation
