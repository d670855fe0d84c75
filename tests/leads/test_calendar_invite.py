"""The call's invitation, parsed back with icalendar: a REQUEST, its update and its cancellation."""

from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar

from leads.calendar_invite import CallInvite, invite_ics

START = datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)
END = datetime(2026, 12, 1, 14, 30, tzinfo=timezone.utc)
STAMP = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


def invite(**changes: object) -> CallInvite:
    fields: dict[str, object] = {
        "uid": "call-QP-7K4Q-2M9X@example.org", "summary": "Appel avec Cabinet (QP-7K4Q-2M9X)",
        "description": "Votre appel; référence : QP-7K4Q-2M9X.", "organizer_email": "no-reply@example.org",
        "organizer_name": "Cabinet Québec", "attendee_email": "marie@example.com", "starts_at": START,
        "ends_at": END}
    fields.update(changes)
    return CallInvite(**fields)  # type: ignore[arg-type]


def event_of(ics: bytes) -> tuple[Calendar, Calendar]:
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_a_request_for_the_slot() -> None:
    calendar, event = event_of(invite_ics(invite(), STAMP))
    assert str(calendar["METHOD"]) == "REQUEST" and str(calendar["VERSION"]) == "2.0"
    assert event.decoded("DTSTART") == START and event.decoded("DTEND") == END
    assert event.decoded("DTSTAMP") == STAMP and int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == "call-QP-7K4Q-2M9X@example.org" and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Appel avec Cabinet (QP-7K4Q-2M9X)"
    assert str(event["ORGANIZER"]) == "mailto:no-reply@example.org"
    assert str(event["ORGANIZER"].params["CN"]) == "Cabinet Québec"
    assert str(event["ATTENDEE"]) == "mailto:marie@example.com"


def test_a_move_and_a_cancellation_keep_the_uid() -> None:
    later = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)
    _, moved = event_of(invite_ics(invite(starts_at=later, ends_at=later.replace(minute=30), sequence=7),
                                   STAMP))
    calendar, cancelled = event_of(invite_ics(invite(starts_at=None, ends_at=None, sequence=9,
                                                     cancelled=True), STAMP))
    assert moved.decoded("DTSTART") == later and int(moved["SEQUENCE"]) == 7
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert "DTSTART" not in cancelled and int(cancelled["SEQUENCE"]) == 9
    assert str(moved["UID"]) == str(cancelled["UID"]) == "call-QP-7K4Q-2M9X@example.org"
