"""What the assistant calls when a person confirms the booking (actions/lead_details.py): save the lead,
with its slot and its notifications, in one transaction. Nothing is sent here: the worker
(``python -m leads.delivery``) sends the emails and the webhook, so the person's reply never waits on SMTP
or a CRM, and a notification is never lost when they are down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from project_settings import ProjectSettings, get_settings

from .outbox import channels
from .records import Lead, NewLead
from .store import LeadStore


@dataclass(frozen=True)
class CaptureResult:
    """The saved lead (its reference is what the person is told) and the notifications queued for it
    ("consultancy_email", "person_email", "webhook"; none when none is configured), not yet sent."""

    lead: Lead
    queued: tuple[str, ...]


def capture_lead(new_lead: NewLead, store: LeadStore | None = None, settings: ProjectSettings | None = None,
                 *, slot_holder: str | None = None, slot_start: datetime | None = None,
                 confirmation_id: str | None = None) -> CaptureResult:
    """Save the lead, confirm the slot ``slot_holder`` holds at ``slot_start`` (if any) and queue its
    "booked" notifications; raises leads.appointments.SlotTaken (nothing saved) if the slot was lost.

    ``confirmation_id`` (the confirming message) makes it idempotent: saved again for the same
    confirmation, it returns the lead saved the first time (LeadStore.save)."""
    settings = settings or get_settings()
    own_store = store is None
    store = store or LeadStore(settings.leads_database_url)
    try:
        lead = store.save(new_lead, slot_holder=slot_holder, slot_start=slot_start, settings=settings,
                          confirmation_id=confirmation_id)
    finally:
        if own_store:
            store.close()
    return CaptureResult(lead, tuple(channels(settings)))
