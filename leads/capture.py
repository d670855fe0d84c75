"""What the assistant calls when a person confirms the booking (actions/lead_details.py): save the lead,
then tell the webhook. The one way a lead is saved and sent; the webhook tests go through it too."""

from __future__ import annotations

from dataclasses import dataclass

from project_settings import ProjectSettings, get_settings

from .records import Lead, NewLead
from .store import LeadStore
from .webhook import WebhookResult, post_lead


@dataclass(frozen=True)
class CaptureResult:
    """The saved lead (its reference is what the person is told) and what the webhook did."""

    lead: Lead
    webhook: WebhookResult


def capture_lead(new_lead: NewLead, store: LeadStore | None = None, settings: ProjectSettings | None = None,
                 *, backoff: float = 0.5) -> CaptureResult:
    """Save first, so a webhook failure never loses a lead; then POST it if LEADS_WEBHOOK_URL is set.

    Blocking (up to timeout × (retries + 1) plus back-off): from async code, run it in a thread.
    """
    settings = settings or get_settings()
    own_store = store is None
    store = store or LeadStore(settings.leads_database_url)
    try:
        lead = store.save(new_lead)
    finally:
        if own_store:
            store.close()
    result = post_lead(lead, settings.leads_webhook_url, timeout=settings.leads_webhook_timeout,
                       retries=settings.leads_webhook_retries, backoff=backoff)
    return CaptureResult(lead, result)
