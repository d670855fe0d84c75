"""The notification emails as ``EmailMessage`` objects: one to the consultancy, one to the person in their
language (with the call as a calendar invitation), for a call booked, moved or cancelled.

Wording lives in i18n/messages/mail.<lang>.yml, and sentences the assistant already says (not advice, the
contact lines, the verdicts) are read from the main catalog, so an email never words a thing differently.
Each message gets a Message-ID derived from its outbox row: sent twice after a lost answer, it is still one
message to a receiver that dedupes.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from i18n.catalog import entry, text
from i18n.formatting import format_slot
from i18n.languages import DEFAULT_LANGUAGE
from project_settings import ProjectSettings

from .availability import consultancy_zone
from .calendar_invite import CallInvite, invite_ics
from .records import Lead

DESK_LANGUAGE = DEFAULT_LANGUAGE  # the consultancy's emails; no setting names its language


def message_id(reference: str, event: str, kind: str, row_id: int, settings: ProjectSettings) -> str:
    """A Message-ID that is the same each time the same outbox row is sent."""
    return f"<{reference}.{event}.{kind}.{row_id}@{_mail_domain(settings)}>"


def invite_uid(reference: str, settings: ProjectSettings) -> str:
    """The calendar event's UID: one per lead, so a move or a cancellation updates the same event."""
    return f"call-{reference}@{_mail_domain(settings)}"


def person_email(lead: Lead, event: str, settings: ProjectSettings, *, message_id: str, sequence: int,
                 now: datetime) -> EmailMessage:
    """To the person, in their language: the reference, what happens next, the call's time with an invite
    (a cancellation for "cancelled"), that this is not advice, and how to have their data erased."""
    lang = lead.language
    values = _values(lead, settings, lang)
    body = [text(lang, "mail.person.greeting", name=lead.full_name), "",
            text(lang, f"mail.person.intro.{event}", **values), ""]
    has_slot = lead.slot_starts_at is not None and event != "cancelled"
    if has_slot:
        body += [text(lang, "mail.person.slot", slot=values["slot"]), ""]
    elif event == "booked":
        body += [text(lang, "mail.person.no_slot", preferred_time=lead.preferred_time or "-"), ""]
    next_key = "booked" if has_slot or event != "booked" else "booked_no_slot"
    body += [text(lang, f"mail.person.next.{next_key}", **values), "",
             text(lang, "verdict.disclaimer"), "",
             text(lang, "mail.person.privacy", **values), "",
             text(lang, "mail.person.signature", **values)]
    message = _message(settings, lead.email, text(lang, f"mail.person.subject.{event}", **values),
                       "\n".join(body), message_id, now, lang)
    if has_slot or (event == "cancelled"):
        invite = CallInvite(
            uid=invite_uid(lead.reference, settings),
            summary=text(lang, "mail.person.invite_summary", **values),
            description=text(lang, "mail.person.invite_description", **values),
            organizer_email=_sender_address(settings), organizer_name=settings.consultancy_name,
            attendee_email=lead.email, starts_at=lead.slot_starts_at if has_slot else None,
            ends_at=lead.slot_ends_at if has_slot else None, sequence=sequence,
            cancelled=event == "cancelled")
        method = "CANCEL" if invite.cancelled else "REQUEST"
        message.add_attachment(invite_ics(invite, now).decode("utf-8"), subtype="calendar",
                               filename="call.ics", params={"method": method})
    return message


def consultancy_email(lead: Lead, event: str, settings: ProjectSettings, *, message_id: str,
                      now: datetime) -> EmailMessage:
    """To the consultancy: the reference, verdict, language and slot in the subject; the screening
    criterion by criterion, the contact details and the link to the lead on the desk in the body."""
    lang = DESK_LANGUAGE
    values = _values(lead, settings, lang, for_desk=True)
    body = [text(lang, f"mail.desk.intro.{event}"), "",
            text(lang, "mail.desk.reference", reference=lead.reference),
            text(lang, "mail.desk.slot", slot=values["slot"]),
            text(lang, "booking.summary.verdict", value=values["verdict"]), ""]
    body += _criteria_lines(lead, lang) + [""]
    body += [text(lang, "mail.desk.contact_title"), *_contact_lines(lead, lang), "",
             text(lang, "mail.desk.desk_link", url=values["desk_url"])]
    message = _message(settings, settings.leads_notify_email or "", text(lang, f"mail.desk.subject.{event}",
                                                                         **values),
                       "\n".join(body), message_id, now, lang)
    message["Reply-To"] = lead.email
    return message


def _values(lead: Lead, settings: ProjectSettings, lang: str, for_desk: bool = False) -> dict[str, Any]:
    verdict_key = lead.verdict if lead.verdict in entry(lang, "booking.verdicts") else "none"
    # The person reads the slot in their time with the consultancy's beside it; the consultancy in its own.
    zone = None if for_desk else lead.time_zone
    slot = (format_slot(lead.slot_starts_at, zone, consultancy_zone(settings.availability_path), lang)
            if lead.slot_starts_at else text(lang, "mail.desk.no_slot"))
    return {
        "reference": lead.reference,
        "consultancy": settings.consultancy_name,
        "privacy_contact": settings.privacy_contact_email,
        "language": text(lang, f"booking.language_names.{lead.language}"),
        "verdict": text(lang, f"booking.verdicts.{verdict_key}"),
        "slot": slot,
        "desk_url": f"{settings.desk_public_url.rstrip('/')}/leads/{lead.reference}",
    }


def _criteria_lines(lead: Lead, lang: str) -> list[str]:
    criteria = lead.screening.get("criteria") or []
    if not criteria:
        return [text(lang, "mail.desk.no_criteria")]
    names = entry(lang, "verdict.criterion_names")
    statuses = entry(lang, "verdict.status")
    lines = [text(lang, "verdict.criteria_title")]
    for criterion in criteria:
        criterion_id, status = criterion.get("id"), criterion.get("status")
        lines.append(text(lang, "mail.desk.criterion", name=names.get(criterion_id, criterion_id),
                          status=statuses.get(status, status)))
        reason = criterion.get("reason")
        if isinstance(reason, dict):
            reason = reason.get(lang) or next(iter(reason.values()), None)
        if reason:
            lines.append(text(lang, "mail.desk.reason", reason=reason))
        if criterion.get("source"):
            lines.append(text(lang, "mail.desk.source", url=criterion["source"]))
    return lines


def _contact_lines(lead: Lead, lang: str) -> list[str]:
    lines = [text(lang, "booking.summary.name", value=lead.full_name),
             text(lang, "booking.summary.email", value=lead.email),
             text(lang, "booking.summary.phone", value=lead.phone) if lead.phone
             else text(lang, "booking.summary.no_phone")]
    if lead.preferred_time:
        lines.append(text(lang, "booking.summary.time", value=lead.preferred_time))
    if lead.time_zone:
        lines.append(text(lang, "booking.summary.time_zone", value=lead.time_zone))
    language = text(lang, f"booking.language_names.{lead.language}")
    lines.append(text(lang, "booking.summary.language", value=language))
    return lines


def _message(settings: ProjectSettings, to: str, subject: str, body: str, message_id: str, now: datetime,
             lang: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(now)
    message["Content-Language"] = lang
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def _sender_address(settings: ProjectSettings) -> str:
    return parseaddr(settings.mail_from)[1] or "no-reply@localhost"


def _mail_domain(settings: ProjectSettings) -> str:
    return _sender_address(settings).rpartition("@")[2] or "localhost"
