"""The notification emails: the person's in their language with a valid invitation, the consultancy's with
the screening criterion by criterion; both catalogs with the same keys."""

from __future__ import annotations

from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml
from icalendar import Calendar

from i18n.catalog import MESSAGES_DIR
from leads import Lead
from leads.mail_messages import consultancy_email, invite_uid, person_email
from tests.leads.conftest import START, notify_settings

SLOT = datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)
SCREENING = {
    "verdict": "eligible",
    "criteria": [
        {"id": "outside_quebec", "status": "met", "source": "https://www.canada.ca/imp",
         "reason": {"en": "You live outside Quebec.", "fr": "Vous résidez à l'extérieur du Québec."}},
        {"id": "has_csq", "status": "unknown", "source": None, "reason": None},
    ],
}


def lead(**changes: Any) -> Lead:
    fields: dict[str, Any] = {
        "reference": "QP-7K4Q-2M9X", "created_at": START, "full_name": "Marie-Ève Tremblay",
        "email": "marie.tremblay@example.com", "phone": "+33612345678", "phone_typed": "06 12 34 56 78",
        "preferred_time": "le matin", "time_zone": "Europe/Paris", "language": "fr", "consent_text": "Oui",
        "consent_at": START, "sender_id": "s", "screening": SCREENING, "slot_starts_at": SLOT,
        "slot_ends_at": SLOT.replace(minute=30)}
    fields.update(changes)
    return Lead(**fields)


def settings(tmp_path: Path) -> Any:
    return notify_settings(f"sqlite:///{tmp_path / 'leads.db'}", smtp_port=2525,
                           PRIVACY_CONTACT_EMAIL="vie.privee@cabinet.example",
                           MAIL_FROM="Cabinet <no-reply@cabinet.example>",
                           DESK_PUBLIC_URL="https://desk.cabinet.example/")


def sent(message: EmailMessage) -> EmailMessage:
    """The message as a receiver parses it from the bytes on the wire."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)  # type: ignore[return-value]


def invite_of(message: EmailMessage) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    return Calendar.from_ical(part.get_content())


def test_the_french_email_with_its_invitation(tmp_path: Path) -> None:
    message = sent(person_email(lead(), "booked", settings(tmp_path), message_id="<a@cabinet.example>",
                                sequence=0, now=START))
    assert message["To"] == "marie.tremblay@example.com" and message["Message-ID"] == "<a@cabinet.example>"
    assert message["Subject"].startswith("Votre appel avec") and "QP-7K4Q-2M9X" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Bonjour Marie-Ève Tremblay,")
    assert "15 h 00" in body and "9 h 00" in body  # Paris time, with Montreal's beside it
    assert "pas un conseil en immigration" in body  # not advice, in the catalog's words
    assert "vie.privee@cabinet.example" in body and body.count("QP-7K4Q-2M9X") >= 2
    assert "français" in body and "Hello" not in body
    [event] = invite_of(message).walk("VEVENT")
    assert event.decoded("DTSTART") == SLOT and event.decoded("DTEND") == SLOT.replace(minute=30)
    assert str(event["UID"]) == invite_uid("QP-7K4Q-2M9X", settings(tmp_path)) and int(event["SEQUENCE"]) == 0


def test_the_english_email_without_a_slot_has_no_invitation(tmp_path: Path) -> None:
    message = sent(person_email(lead(language="en", slot_starts_at=None, slot_ends_at=None), "booked",
                                settings(tmp_path), message_id="<b@x>", sequence=0, now=START))
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Hello Marie-Ève Tremblay,") and "le matin" in body
    assert "not immigration advice" in body and "will contact you" in body
    assert not [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def test_moved_and_cancelled_update_the_same_calendar_event(tmp_path: Path) -> None:
    later = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)
    moved = sent(person_email(lead(slot_starts_at=later, slot_ends_at=later.replace(minute=30)), "moved",
                              settings(tmp_path), message_id="<m@x>", sequence=12, now=START))
    cancelled = sent(person_email(lead(slot_starts_at=None, slot_ends_at=None), "cancelled",
                                  settings(tmp_path), message_id="<c@x>", sequence=13, now=START))
    assert "déplacé" in moved["Subject"] and "annulé" in cancelled["Subject"]
    [moved_event] = invite_of(moved).walk("VEVENT")
    cancel_calendar = invite_of(cancelled)
    [cancelled_event] = cancel_calendar.walk("VEVENT")
    assert moved_event.decoded("DTSTART") == later and int(moved_event["SEQUENCE"]) == 12
    assert str(cancel_calendar["METHOD"]) == "CANCEL" and int(cancelled_event["SEQUENCE"]) == 13
    assert str(moved_event["UID"]) == str(cancelled_event["UID"])


def test_the_consultancy_email(tmp_path: Path) -> None:
    message = sent(consultancy_email(lead(), "booked", settings(tmp_path), message_id="<d@x>", now=START))
    subject = message["Subject"]
    assert message["To"] == "desk@consultancy.example" and message["Reply-To"] == "marie.tremblay@example.com"
    assert "QP-7K4Q-2M9X" in subject and "appears eligible" in subject and "French" in subject
    assert "9:00" in subject  # the consultancy's own time
    body = message.get_body(("plain",)).get_content()
    assert "https://desk.cabinet.example/leads/QP-7K4Q-2M9X" in body
    assert "- where you live: ✅ met" in body and "You live outside Quebec." in body
    assert "https://www.canada.ca/imp" in body and "- whether you hold a CSQ: ❔ unknown" in body
    assert "Email: marie.tremblay@example.com" in body and "Phone: +33612345678" in body


def test_both_catalogs_have_the_same_keys() -> None:
    def keys(node: Any, prefix: str = "") -> set[str]:
        if not isinstance(node, dict):
            return {prefix}
        return set().union(*(keys(value, f"{prefix}.{key}") for key, value in node.items()))

    english, french = (yaml.safe_load((MESSAGES_DIR / f"mail.{lang}.yml").read_text("utf-8"))
                       for lang in ("en", "fr"))
    assert keys(english) == keys(french)
