"""What the booking's consent says, from the settings (Quebec's Law 25): who collects the details
(CONSULTANCY_NAME), who receives them (the consultancy's consultants, and the webhook's receiver when
LEADS_WEBHOOK_URL is set), where they are kept (LEADS_STORAGE_LOCATION) and for how long
(LEADS_RETENTION_DAYS), and whom to write to see, correct or erase them (PRIVACY_CONTACT_EMAIL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from i18n.catalog import text
from project_settings import get_settings


def webhook_recipient(webhook_url: str) -> str:
    """Who receives the webhook, as named in the consent: LEADS_WEBHOOK_RECIPIENT, else the URL's host."""
    return get_settings().leads_webhook_recipient or urlsplit(webhook_url).hostname or webhook_url


def consent_values(lang: str) -> dict[str, Any]:
    """The values every booking message may name: {consultancy}, {recipients}, {storage},
    {retention_days}, {tracker_retention_days} and {privacy_contact}."""
    settings = get_settings()
    consultancy = settings.consultancy_name
    if settings.leads_webhook_url:
        recipients = text(lang, "booking.recipients_with_webhook", consultancy=consultancy,
                          webhook_recipient=webhook_recipient(settings.leads_webhook_url))
    else:
        recipients = text(lang, "booking.recipients", consultancy=consultancy)
    return {
        "consultancy": consultancy,
        "recipients": recipients,
        "storage": settings.leads_storage_location,
        "retention_days": settings.leads_retention_days,
        "tracker_retention_days": settings.tracker_retention_days,
        "privacy_contact": settings.privacy_contact_email,
    }
