"""Full-name check: what a person's name can look like, and what it must not be (an email, a phone)."""

from __future__ import annotations

import re
import unicodedata

from .lead_errors import LeadInputError
from .typed_text import clean

MIN_LENGTH = 2
MAX_LENGTH = 100
_SEPARATORS = " -'"


def validate_full_name(text: str) -> str:
    """The name tidied (spaces collapsed, typographic apostrophes plain), or LeadInputError with a code.

    Letters of any script with their accents, spaces, hyphens, apostrophes and a dot after an initial or
    "St." are allowed; a name must start with a letter. Codes: ``name_empty``, ``name_too_short``,
    ``name_too_long``, ``name_is_email``, ``name_is_phone``, ``name_characters``.
    """
    name = clean(text or "")
    if not name:
        raise LeadInputError("full_name", "name_empty")
    if "@" in name:
        raise LeadInputError("full_name", "name_is_email")
    if len(re.findall(r"\d", name)) >= 5:
        raise LeadInputError("full_name", "name_is_phone")
    if len(name) > MAX_LENGTH:
        raise LeadInputError("full_name", "name_too_long")
    letters = sum(1 for c in name if _is_letter(c))
    if len(name) < MIN_LENGTH or letters < MIN_LENGTH:
        raise LeadInputError("full_name", "name_too_short")
    if not _is_letter(name[0]) or not all(_allowed(name, i) for i in range(len(name))):
        raise LeadInputError("full_name", "name_characters")
    return name


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _allowed(name: str, i: int) -> bool:
    char = name[i]
    if _is_letter(char) or unicodedata.category(char).startswith("M"):
        return True
    if char in _SEPARATORS:  # never two in a row ("--", "' '") nor at the end
        return i + 1 < len(name) and name[i + 1] not in _SEPARATORS + "."
    if char == ".":  # "J. Tremblay", "St. Pierre"
        return _is_letter(name[i - 1]) and (i + 1 == len(name) or name[i + 1] in " -")
    return False
