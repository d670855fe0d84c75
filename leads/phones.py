"""Phone numbers parsed with phonenumbers and stored in E.164, read in the country the person lives in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from places.gazetteer import Place

from .lead_errors import LeadInputError
from .typed_text import clean

MAX_TYPED = 64
_REASONS = {
    ValidationResult.TOO_SHORT: "phone_too_short",
    ValidationResult.INVALID_LENGTH: "phone_invalid",
    ValidationResult.TOO_LONG: "phone_too_long",
    ValidationResult.INVALID_COUNTRY_CODE: "phone_country_code",
}
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone_needs_country",
    NumberParseException.NOT_A_NUMBER: "phone_not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}


@dataclass(frozen=True)
class Phone:
    """A checked number: ``e164`` ("+33612345678"), what was typed, and the number's own country."""

    e164: str
    typed: str
    region: str | None


def validate_phone(text: str, region: str | None = None) -> Phone:
    """The number in E.164, or LeadInputError with a code.

    ``region`` (ISO code, e.g. from ``home_region``) is how a number without "+" is read: "06 12 34 56 78"
    is French with region "FR". Codes: ``phone_empty``, ``phone_not_a_number``, ``phone_needs_country``
    (no "+" and no region), ``phone_too_short``, ``phone_too_long``, ``phone_country_code``,
    ``phone_invalid`` (possible length but no such number).
    """
    typed = clean(text or "")
    if not typed:
        raise LeadInputError("phone", "phone_empty")
    if len(typed) > MAX_TYPED or not re.search(r"\d", typed):
        raise LeadInputError("phone", "phone_not_a_number")
    dial = typed
    if dial.startswith("00") and region is None:
        dial = "+" + dial[2:]  # international prefix used in most of the world
    try:
        number = phonenumbers.parse(dial, region.upper() if region else None)
    except NumberParseException as exc:
        code = _PARSE_ERRORS.get(exc.error_type, "phone_not_a_number")
        if code == "phone_needs_country" and dial.startswith("+"):
            code = "phone_country_code"
        raise LeadInputError("phone", code) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _REASONS:
        raise LeadInputError("phone", _REASONS[reason])
    if not phonenumbers.is_valid_number(number):
        raise LeadInputError("phone", "phone_invalid")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164=e164, typed=typed, region=phonenumbers.region_code_for_number(number))


def home_region(home: Place | None, residence: str | None = None) -> str | None:
    """The ISO region to read a phone number without "+" in: the country the person lives in.

    ``residence`` is the engine's field ("quebec" and "other_province" mean Canada); ``home`` is the
    place the extractor found (its country, from the place index). None if unknown.
    """
    if residence in ("quebec", "other_province"):
        return "CA"
    return (home.country or None) if home is not None else None

