"""The call as a calendar invitation (iCalendar, RFC 5545/5546), attached to the person's email.

One UID per lead, so a calendar updates the same event when the call is moved (METHOD:REQUEST with a
higher SEQUENCE) or removes it when it is cancelled (METHOD:CANCEL). Times are written in UTC: every
calendar shows them in its owner's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//IMP+ assistant//leads//EN"


@dataclass(frozen=True)
class CallInvite:
    """What the invitation says; ``uid`` stays the same for the lead's whole life."""

    uid: str
    summary: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    starts_at: datetime | None
    ends_at: datetime | None
    sequence: int = 0
    cancelled: bool = False


def invite_ics(invite: CallInvite, stamp: datetime) -> bytes:
    """The .ics bytes: a REQUEST for a booked or moved call, a CANCEL for a cancelled one."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("dtstamp", stamp)
    if invite.starts_at is not None:
        event.add("dtstart", invite.starts_at)
    if invite.ends_at is not None:
        event.add("dtend", invite.ends_at)
    event.add("sequence", invite.sequence)
    event.add("summary", invite.summary)
    event.add("description", invite.description)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invite.organizer_email}")
    organizer.params["cn"] = vText(invite.organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invite.attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
