"""The consultancy side of "Book a call": validated, consented leads in a database, and their erasure.

Pure Python (no Rasa import): the assistant's actions call the validators while filling the booking
form, ``build_lead`` and ``capture_lead`` on confirmation; the consultancy uses ``python -m leads``.
Validators raise ``LeadInputError`` with a stable ``code`` the assistant words in English or French.
"""

from .capture import CaptureResult, capture_lead
from .config import Settings, load_settings
from .emails import validate_email
from .errors import ConfigError, LeadInputError
from .intake import build_lead
from .names import validate_full_name
from .phones import Phone, validate_phone
from .places import guess_region, preload
from .records import ErasureReport, Lead, NewLead
from .reference import new_reference, normalise_reference
from .store import LeadStore
from .summary import screening_summary
from .timezones import PreferredTime, parse_preferred_time
from .webhook import WebhookResult, post_lead

__all__ = [
    "CaptureResult",
    "ConfigError",
    "ErasureReport",
    "Lead",
    "LeadInputError",
    "LeadStore",
    "NewLead",
    "Phone",
    "PreferredTime",
    "Settings",
    "WebhookResult",
    "build_lead",
    "capture_lead",
    "guess_region",
    "load_settings",
    "new_reference",
    "normalise_reference",
    "parse_preferred_time",
    "post_lead",
    "preload",
    "screening_summary",
    "validate_email",
    "validate_full_name",
    "validate_phone",
]
