"""The consultancy side of "Book a call": validated, consented leads in a database, and their erasure.

Pure Python (no Rasa import): the assistant's actions call the validators while filling the booking
form, and ``capture_lead`` (save, then the webhook) on confirmation; the consultancy uses
``python -m leads``.
Validators raise ``LeadInputError`` with a stable ``code`` the assistant words in English or French.
"""

from .capture import CaptureResult, capture_lead
from .emails import validate_email
from .lead_errors import LeadInputError
from .names import validate_full_name
from .phones import Phone, validate_phone
from .records import ErasureReport, Lead, NewLead
from .reference import new_reference, normalise_reference
from .store import LeadStore
from .summary import screening_summary
from .timezones import PreferredTime, parse_preferred_time
from .webhook import WebhookResult, post_lead

__all__ = [
    "CaptureResult",
    "ErasureReport",
    "Lead",
    "LeadInputError",
    "LeadStore",
    "NewLead",
    "Phone",
    "PreferredTime",
    "WebhookResult",
    "capture_lead",
    "new_reference",
    "normalise_reference",
    "parse_preferred_time",
    "post_lead",
    "screening_summary",
    "validate_email",
    "validate_full_name",
    "validate_phone",
]
