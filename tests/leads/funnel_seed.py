"""Conversations written into a tracker store's ``events`` table as the real assistant writes them.

Each event has the shape Rasa gave in a real conversation over REST (recorded from the assistant of
tests/servers.py: the form activations, ``requested_slot`` before each question, the slot set from an
answer right after the user's message, ``action_screening_verdict`` before the ``verdict`` slot it sets,
the "Book a call" button on the verdict's last message). A cancelled booking is then redacted by the real
privacy.tracker_redaction.redact_since, as actions/booking.py does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import create_engine, insert

from actions.booking import LEAD_SLOTS
from privacy.tracker_events import EVENTS
from privacy.tracker_redaction import redact_since

OFFER = {"title": "Book a call with a consultant", "payload": "/human_handoff"}
MENU = [{"title": "Check my eligibility", "payload": "/check_eligibility"}, {"title": "What is IMP+?",
        "payload": "/ask_what_is"}, {"title": "Talk to a consultant", "payload": "/human_handoff"}]
META = {"model_id": "e2072293a29746c1afb1456f04f343f2", "assistant_id": "impplus-prescreening"}


@dataclass
class Chat:
    """One sender's conversation, turn by turn; `events` holds (type_name, timestamp, data)."""

    sender: str
    started: datetime
    channel: str | None = "rest"
    language: str = "en"
    events: list[tuple[str, float, dict[str, Any]]] = field(default_factory=list)
    clock: float = 0.0
    booking_since: float | None = None
    cancelled_at: float | None = None

    def __post_init__(self) -> None:
        self.clock = self.started.timestamp()
        self.action("action_session_start")
        self.add("session_started")
        self.action("action_listen")

    def add(self, kind: str, **data: Any) -> float:
        self.clock += 0.005
        self.events.append((kind, self.clock, {"event": kind, "timestamp": self.clock, "metadata": META,
                                               **data}))
        return self.clock

    def action(self, name: str) -> None:
        self.add("action", name=name, policy="RulePolicy", confidence=1.0)

    def slot(self, name: str, value: Any) -> None:
        self.add("slot", name=name, value=value)

    def bot(self, text: str | None, buttons: list[dict[str, str]] | None = None,
            custom: dict[str, Any] | None = None) -> None:
        self.add("bot", text=text, data={"elements": None, "quick_replies": None, "buttons": buttons,
                                         "attachment": None, "image": None, "custom": custom})

    def user(self, text: str, intent: str, *, set_language: bool = False) -> float:
        self.clock += 20.0  # the person takes a while to answer
        parse = {"intent": {"name": intent, "confidence": 0.99}, "entities": [], "text": text,
                 "message_id": f"m{len(self.events)}", "metadata": {}}
        data: dict[str, Any] = {"text": text, "parse_data": parse, "message_id": parse["message_id"]}
        if self.channel is not None:
            data["input_channel"] = self.channel
        at = self.add("user", **data)
        if set_language:
            self.slot("language", self.language)
        return at

    def listen(self) -> None:
        self.action("action_listen")

    # The screening
    def start_check(self, first_question: str = "residence") -> Chat:
        self.user("am I eligible for IMP+?" if self.language == "en" else "Suis-je admissible?",
                  "check_eligibility", set_language=True)
        self.add("user_featurization", use_text_for_featurization=False)
        self.action("screening_form")
        self.add("active_loop", name="screening_form")
        self._validated("need_more_info", first_question)
        self.bot("I give general information and a pre-screening, not immigration advice.")
        self.bot(f"Question {first_question}?")
        self.listen()
        return self

    def _validated(self, verdict: str, next_question: str | None) -> None:
        self.slot("failed_attempts", 0)
        self.slot("verdict", verdict)
        self.slot("requested_slot", next_question)

    def answer(self, name: str, value: Any, next_question: str | None = None, *,
               verdict: str | None = None, skipped: list[str] | None = None) -> Chat:
        """Answers the question asked; then the form asks `next_question`, or gives `verdict`."""
        self.user(str(value), "dont_know" if skipped else "inform")
        if skipped:
            self.slot("skipped_fields", skipped)
        else:
            self.slot(name, value)
        self.action("screening_form")
        if verdict is None:
            self._validated("need_more_info", next_question)
            self.bot(f"Question {next_question}?", buttons=[{"title": "Yes", "payload": "/affirm"}])
        else:
            self._validated(verdict, None)
            self.slot("requested_slot", None)
            self.add("active_loop", name=None)
            self.action("action_screening_verdict")
            self.bot(f"Based on your answers: {verdict}.")
            self.bot("This is general information, not immigration advice.", buttons=[OFFER])
            self.slot("verdict", verdict)
            self.slot("requested_slot", None)
        self.listen()
        return self

    def stop_check(self) -> Chat:
        self.user("stop", "stop")
        self.add("action_execution_rejected", name="screening_form")
        self.action("action_stop")
        self.bot("All right, I've stopped the questions.")
        self.add("active_loop", name=None)
        self.slot("requested_slot", None)
        self.slot("failed_attempts", 0)
        self.listen()
        return self

    def small_talk(self, intent: str = "greet", *, menu: bool = False, set_language: bool = False) -> Chat:
        self.user("hello" if self.language == "en" else "bonjour", intent, set_language=set_language)
        self.action("action_respond")
        self.bot("Hello!", buttons=MENU if menu else None)
        self.listen()
        return self

    # The booking
    def book(self, *, details: bool = True, confirm: bool = True) -> Chat:
        """Asks for a call, consents, gives the details (or not yet), confirms (or not yet)."""
        self.booking_since = self.user("/human_handoff", "human_handoff")
        self.action("booking_form")
        self.add("active_loop", name="booking_form")
        self.bot(None, custom={"data": {"booking": "started"}})
        self.slot("failed_attempts", 0)
        self.slot("requested_slot", "lead_consent")
        self.bot("Before I ask for any personal detail: ...", buttons=[
            {"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])
        self.listen()
        self._detail("yes", "affirm", {"lead_consent": True}, "lead_name")
        if details:
            self._detail("Marie Tremblay", "inform", {"lead_name": "Marie Tremblay"}, "lead_email")
            self._detail("marie@example.com", "inform", {"lead_email": "marie@example.com"}, "lead_phone")
            self._detail("skip", "deny", {"lead_phone": ""}, "lead_time")
            when = {"lead_time": "weekday mornings, Paris time", "lead_time_zone": "Europe/Paris"}
            self._detail("weekday mornings, Paris time", "inform", when, "lead_language")
            self._detail("English", "inform", {"lead_language": self.language}, "lead_confirmed")
        if confirm:
            self.user("yes", "affirm")
            self.action("booking_form")
            self.slot("lead_confirmed", True)
            self.slot("failed_attempts", 0)
            self.slot("requested_slot", None)
            self.add("active_loop", name=None)
            self.action("action_submit_booking")
            self.bot("Done! Your reference is QP-FD2X-KMAY.")
            self.bot(None, custom={"data": {"booking": "ended"}})
            for name in LEAD_SLOTS:
                self.slot(name, None)
            self.slot("lead_reference", "QP-FD2X-KMAY")
            self.listen()
        return self

    def _detail(self, text: str, intent: str, values: dict[str, Any], next_detail: str) -> None:
        self.user(text, intent)
        self.action("booking_form")
        for name, value in values.items():
            self.slot(name, value)
        self.slot("failed_attempts", 0)
        self.slot("requested_slot", next_detail)
        self.bot(f"Question {next_detail}?")
        self.listen()

    def cancel_booking(self) -> Chat:
        """"stop" during the booking; `write` then redacts it as actions/booking.py does."""
        self.cancelled_at = self.user("stop", "stop")
        self.add("action_execution_rejected", name="booking_form")
        self.action("action_stop")
        self.bot("All right, I've cancelled the booking.")
        self.bot(None, custom={"data": {"booking": "ended"}})
        self.add("active_loop", name=None)
        for name in LEAD_SLOTS:
            self.slot(name, None)
        self.slot("requested_slot", None)
        self.listen()
        return self


def create_events_table(url: str) -> None:
    """The tracker store's table, with the columns the funnel reads (Rasa's own has a few more)."""
    engine = create_engine(url, future=True)
    EVENTS.metadata.create_all(engine)
    engine.dispose()


def write(url: str, *chats: Chat) -> None:
    """Stores the chats' events (interleaved in time, as a real store has them), then redacts the
    cancelled bookings with the real redaction."""
    engine = create_engine(url, future=True)
    rows = [{"sender_id": chat.sender, "type_name": kind, "timestamp": at, "data": json.dumps(data)}
            for chat in chats for kind, at, data in chat.events]
    rows.sort(key=lambda row: row["timestamp"])
    with engine.begin() as connection:
        connection.execute(insert(EVENTS), rows)
    engine.dispose()
    for chat in chats:
        if chat.cancelled_at is not None and chat.booking_since is not None:
            redact_since(url, chat.sender, chat.booking_since, LEAD_SLOTS)


# The conversations the funnel's tests count

NOV_2 = date(2026, 11, 2)
NOV_3 = date(2026, 11, 3)


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=timezone.utc)


def seeded_chats(copy: int = 0) -> list[Chat]:
    """Eight conversations from Nov 2 to Nov 4 (UTC), one from October, one without a user message:
    tests/leads/test_funnel.py counts them. Each `copy` has senders of its own."""
    booked = Chat(f"a-booked-{copy}", at(2, 10)).start_check() \
        .answer("residence", "quebec", verdict="not_eligible").book()
    stopped = Chat(f"b-stopped-{copy}", at(2, 11), channel="telegram", language="fr").start_check() \
        .answer("residence", "other_province", "status_in_canada").stop_check()
    eligible = Chat(f"c-eligible-{copy}", at(3, 9)).start_check()
    for name, value, following in [
        ("residence", "abroad", "has_csq"), ("has_csq", True, "csq_program"),
        ("csq_program", "pstq", "csq_valid"), ("csq_valid", True, "pr_applied"),
        ("pr_applied", True, "pr_decision"),
        ("pr_decision", "none", "has_invitation"), ("has_invitation", True, "application_complete"),
    ]:
        eligible.answer(name, value, following)
    eligible.answer("application_complete", True, verdict="eligible")
    not_yet = Chat(f"d-not-yet-{copy}", at(3, 10), channel="telegram", language="fr").start_check() \
        .answer("residence", "abroad", "has_csq").answer("has_csq", None, "pr_applied", skipped=["has_csq"]) \
        .answer("pr_applied", False, verdict="not_yet")
    cancelled = Chat(f"e-cancelled-{copy}", at(3, 12)).start_check() \
        .answer("residence", "other_province", "status_in_canada") \
        .answer("status_in_canada", "visitor", verdict="unconfirmed").book(details=False, confirm=False) \
        .cancel_booking()
    menu_only = Chat(f"f-menu-{copy}", at(2, 15), channel="telegram", language="fr").small_talk(menu=True,
                                                                                          set_language=True)
    skipped = Chat(f"g-skipped-{copy}", at(3, 14)).start_check() \
        .answer("residence", None, verdict="need_more_info", skipped=["residence"])
    late_evening = Chat(f"h-toronto-evening-{copy}", at(4, 2), channel=None, language="fr").start_check()
    october = Chat(f"z-october-{copy}", at(31, 12, month=10)).start_check().answer("residence", "quebec",
                                                                          verdict="not_eligible")
    no_message = Chat(f"z-no-message-{copy}", at(2, 9))
    return [booked, stopped, eligible, not_yet, cancelled, menu_only, skipped, late_evening, october,
            no_message]


def seed(url: str) -> None:
    """A tracker store with the table and `seeded_chats` in it."""
    create_events_table(url)
    write(url, *seeded_chats())
