"""Email syntax check with email-validator: no DNS lookup (the assistant must answer at once, offline)."""

from __future__ import annotations

from email_validator import EmailNotValidError
from email_validator import validate_email as _validate

from .lead_errors import LeadInputError
from .typed_text import clean

MAX_LENGTH = 254  # RFC 5321 path limit


def validate_email(text: str) -> str:
    """The normalised address (domain lower-cased and in Unicode), or LeadInputError with a code:
    ``email_empty``, ``email_missing_at``, ``email_too_long``, ``email_invalid``."""
    email = clean(text or "")
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:"):]
    if email.startswith("<") and email.endswith(">"):
        email = email[1:-1].strip()
    if not email:
        raise LeadInputError("email", "email_empty")
    if "@" not in email:
        raise LeadInputError("email", "email_missing_at")
    if len(email) > MAX_LENGTH:
        raise LeadInputError("email", "email_too_long")
    try:
        # The library's message quotes parts of the address: keep it out of the error (and so of logs).
        return str(_validate(email, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise LeadInputError("email", "email_invalid") from None


def email_key(email: str) -> str:
    """The form two addresses are compared in: the same person may type upper or lower case."""
    return email.casefold()
