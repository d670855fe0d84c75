"""Sending one email through the configured SMTP server (SMTP_HOST, SMTP_PORT, STARTTLS, login, timeout).

A connection per message: the worker sends a few messages a minute at most, and a fresh connection never
trips over a server that dropped an idle one. Failures are raised; the caller records them for a retry.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from project_settings import ProjectSettings


class MailNotConfigured(RuntimeError):
    """SMTP_HOST is empty: there is nowhere to send email."""


def mail_enabled(settings: ProjectSettings) -> bool:
    """Whether emails are sent at all (SMTP_HOST set)."""
    return bool(settings.smtp_host)


def send_email(message: EmailMessage, settings: ProjectSettings) -> None:
    """Hand ``message`` to the SMTP server; raises OSError or smtplib.SMTPException when it isn't taken."""
    if not settings.smtp_host:
        raise MailNotConfigured("SMTP_HOST is empty")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


def error_code(error: BaseException) -> str:
    """A short name for a failure, fit for logs and the outbox: never the server's text, which may quote an
    address ("smtp_550", "ConnectionRefusedError")."""
    code = getattr(error, "smtp_code", None)
    if isinstance(code, int):
        return f"smtp_{code}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({answer[0] for answer in error.recipients.values()})
        return "smtp_" + "_".join(str(c) for c in codes) if codes else "smtp_recipients_refused"
    return type(error).__name__
