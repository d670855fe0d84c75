"""The consultancy side of "Book a call": validated, consented leads in a database, and their erasure.

Pure Python (no Rasa import): the assistant's actions call the validators while filling the booking
form, and ``capture_lead`` (the lead, its slot and its notifications in one transaction) on confirmation;
``python -m leads.delivery`` sends the notifications (emails, the signed webhook); the consultancy uses
``python -m leads``.
Validators raise ``LeadInputError`` with a stable ``code`` the assistant words in English or French.
"""

from .capture import CaptureResult, capture_lead
from .emails import validate_email
from .lead_errors import LeadInputError
from .names import validate_full_name
from .outbox import enqueue, notify
from .phones import Phone, validate_phone
from .records import ErasureReport, Lead, NewLead
from .reference import new_reference, normalise_reference
from .store import LeadStore
from .summary import screening_summary
from .timezones import PreferredTime, parse_preferred_time
from .webhook import WebhookResult, post_lead, sign


def __getattr__(name: str) -> object:
    """``deliver_due`` and ``DeliveryReport`` on first use: importing leads.delivery here would make
    ``python -m leads.delivery`` run a second copy of it."""
    if name in ("deliver_due", "DeliveryReport"):
        from . import delivery

        return getattr(delivery, name)
    raise AttributeError(f"module 'leads' has no attribute {name!r}")


__all__ = [
    "CaptureResult",
    "DeliveryReport",
    "ErasureReport",
    "Lead",
    "LeadInputError",
    "LeadStore",
    "NewLead",
    "Phone",
    "PreferredTime",
    "WebhookResult",
    "capture_lead",
    "deliver_due",
    "enqueue",
    "new_reference",
    "normalise_reference",
    "notify",
    "parse_preferred_time",
    "post_lead",
    "screening_summary",
    "sign",
    "validate_email",
    "validate_full_name",
    "validate_phone",
]
