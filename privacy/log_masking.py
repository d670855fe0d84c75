"""No personal data in logs: emails and phone numbers are masked in every log record, and the
conversation fields of Rasa's structured records (what people typed, slot values) are redacted
(rasa_log_redaction.py).

``PersonalDataFilter`` masks a record's message (with its arguments), exception text and stack;
``install_masking()`` puts it on the root logger and on every handler that exists, and wraps the
log-record factory so records of loggers and handlers created later are masked as well (Rasa and
Sanic configure their handlers after our modules are imported).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .rasa_log_redaction import redact_rasa_record

_EMAIL = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])"
    r"([\w!#$%&'*+/=?^`{|}~-](?:[\w.!#$%&'*+/=?^`{|}~-]{0,63}))(?:@|%40)"
    r"([^\W_](?:[\w-]{0,62})(?:\.[^\W_][\w-]{0,62})*)\.([^\W\d_]{2,63}|xn--[\w-]+)(?![\w-])"
)
# Runs of 7+ digits with the separators people type; neighbouring numbers are masked as one (over-masking
# is the safe side). "%2B" is a URL-encoded "+".
_PHONE = re.compile(r"(?<![\w+(.-])(?:\+|00|%2[Bb])?\(?\d(?:[ \t.\-/()]{0,3}\d){6,}(?!\w)")
# 2026-11-24, 24/11/2026
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b")
_NOT_PHONE = (
    re.compile(r"\d{1,3}(?:\.\d{1,3}){3}"),  # 127.0.0.1
    re.compile(r"\d+\.\d+"),  # 1763995942.123 (timestamps, durations)
)
MIN_PHONE_DIGITS = 7


def mask_email(email: str) -> str:
    """"marie.tremblay@example.com" → "m***@e***.com"."""
    match = _EMAIL.fullmatch(email.strip())
    return _masked_email(match) if match else "***"


def _masked_email(match: re.Match[str]) -> str:
    local, domain, tld = match.groups()
    return f"{local[0]}***@{domain[0]}***.{tld}"


def mask_phone(phone: str) -> str:
    """"+1 514 555 0123" → "+***23": the last two digits only, to tell numbers apart."""
    digits = re.sub(r"\D", "", phone)
    return ("+" if phone.strip().startswith(("+", "%2B", "%2b")) else "") + "***" + digits[-2:]


def _masked_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    date = _DATE.match(text)
    if date:  # a date (log timestamps) is kept; a number right after it is still looked at
        return text[:date.end()] + _PHONE.sub(_masked_phone, text[date.end():])
    if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS or any(p.fullmatch(text) for p in _NOT_PHONE):
        return text
    return mask_phone(text)


def mask_text(text: str) -> str:
    """Any text with its email addresses and phone-like numbers masked."""
    if "@" in text or "%40" in text:
        text = _EMAIL.sub(_masked_email, text)
    return _PHONE.sub(_masked_phone, text)


def mask_record(record: logging.LogRecord) -> None:
    """Mask a record in place: message and arguments become one masked message, if anything changed."""
    if getattr(record, "_pii_masked", False):
        return
    redact_rasa_record(record)
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: logging reports it itself
        return
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    record._pii_masked = True


class PersonalDataFilter(logging.Filter):
    """Masks emails and phone numbers in every record it sees; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_FILTER = PersonalDataFilter()
_original_factory: Any = None


def install_masking() -> PersonalDataFilter:
    """Mask personal data in all logging of this process (idempotent); returns the filter."""
    global _original_factory
    for logger in _loggers():
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
    if _original_factory is None:
        _original_factory = logging.getLogRecordFactory()
        factory = _original_factory

        def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = factory(*args, **kwargs)
            mask_record(record)
            return record

        logging.setLogRecordFactory(masked_record)
    return _FILTER


def uninstall_masking() -> None:
    """Undo ``install_masking`` (for tests)."""
    global _original_factory
    for logger in _loggers():
        logger.removeFilter(_FILTER)
        for handler in logger.handlers:
            handler.removeFilter(_FILTER)
    if _original_factory is not None:
        logging.setLogRecordFactory(_original_factory)
        _original_factory = None


def _loggers() -> list[logging.Logger]:
    existing = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    return [logging.getLogger(), *existing]
