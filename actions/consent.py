"""What the booking's consent says, from the settings (Quebec's Law 25): who collects the details
(CONSULTANCY_NAME), who receives them (the consultancy's consultants, and the webhook's receiver when
LEADS_WEBHOOK_URL is set), where they are kept (LEADS_STORAGE_LOCATION) and for how long
(LEADS_RETENTION_DAYS), and whom to write to see, correct or erase them (PRIVACY_CONTACT_EMAIL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from actions.texts import text
from leads.config import load_settings
from project_settings import setting


def webhook_recipient(webhook_url: str) -> str:
    """Who receives the webhook, as named in the consent: LEADS_WEBHOOK_RECIPIENT, else the URL's host."""
    return setting("LEADS_WEBHOOK_RECIPIENT") or urlsplit(webhook_url).hostname or webhook_url


def consent_values(lang: str) -> dict[str, Any]:
    """The values every booking message may name: {consultancy}, {recipients}, {storage},
    {retention_days}, {tracker_retention_days} and {privacy_contact}."""
    leads = load_settings()
    consultancy = setting("CONSULTANCY_NAME")
    if leads.webhook_url:
        recipients = text(lang, "booking.recipients_with_webhook", consultancy=consultancy,
                          webhook_recipient=webhook_recipient(leads.webhook_url))
    else:
        recipients = text(lang, "booking.recipients", consultancy=consultancy)
    return {
        "consultancy": consultancy,
        "recipients": recipients,
        "storage": setting("LEADS_STORAGE_LOCATION"),
        "retention_days": leads.retention_days,
        "tracker_retention_days": leads.tracker_retention_days,
        "privacy_contact": setting("PRIVACY_CONTACT_EMAIL"),
    }
