"""The notification worker: sends the outbox's due rows (emails, the signed webhook) with retries.

``python -m leads.delivery`` runs it (``make run`` starts it beside the servers); ``deliver_due`` is one
pass, for tests and ``--once``. Each row is claimed before it is sent, so several workers can share the
table; the lead is read at send time, so an erased lead's notifications are never sent. One log line per
delivery or failure, with the reference and never a contact detail.
"""

from __future__ import annotations

import argparse
import logging
import signal
import smtplib
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import FrameType

from sqlalchemy import case, func, literal_column, select

from project_settings import ProjectSettings, get_settings

from . import outbox
from .lead_tables import OutboxRow
from .mail_messages import consultancy_email, message_id, person_email
from .records import Lead, utcnow
from .smtp_sender import MailNotConfigured, error_code, send_email
from .store import LeadStore
from .webhook import post_lead

logger = logging.getLogger("leads.delivery")  # the same name when run as __main__

DEFAULT_INTERVAL = 1.0  # seconds between passes when nothing is due
BATCH = 50


class DeliveryFailed(Exception):
    """A send that didn't go through; ``code`` is what the outbox and the log keep."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DeliveryReport:
    """One pass: rows sent, rows to retry later, rows given up, rows dropped (their lead was erased)."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0

    @property
    def attempted(self) -> int:
        """Rows this pass tried to send."""
        return self.delivered + self.retried + self.failed


@dataclass(frozen=True)
class OutboxCount:
    """The outbox's rows of one kind in one state (pending, delivered, given_up), and their retries."""

    kind: str
    state: str
    rows: int
    retries: int  # attempts after the first, summed over the rows


def outbox_counts(store: LeadStore) -> list[OutboxCount]:
    """What the workers did, as the outbox records it (the desk's /metrics): rows by kind and state."""
    # Literal names, not bound parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
    state = case((OutboxRow.delivered_at.is_not(None), literal_column("'delivered'")),
                 (OutboxRow.failed_at.is_not(None), literal_column("'given_up'")),
                 else_=literal_column("'pending'"))
    retries = func.coalesce(func.sum(case((OutboxRow.attempts > 1, OutboxRow.attempts - 1), else_=0)), 0)
    query = (select(OutboxRow.kind, state, func.count(), retries)
             .group_by(OutboxRow.kind, state).order_by(OutboxRow.kind, state))
    with store.session() as session:
        return [OutboxCount(kind, str(name), int(rows), int(retried))
                for kind, name, rows, retried in session.execute(query)]


def deliver_due(store: LeadStore, settings: ProjectSettings | None = None, now: datetime | None = None,
                *, limit: int = BATCH) -> DeliveryReport:
    """Claim and send the rows due at ``now`` (default: the current time); record each outcome."""
    settings = settings or get_settings()
    now = now or utcnow()
    counts = {"delivered": 0, "retried": 0, "failed": 0, "dropped": 0}
    with store.session() as session:
        rows = outbox.claim_due(session, now, limit)
    for row in rows:
        lead = store.get(row.lead_reference)
        with store.session() as session:
            if lead is None:
                outbox.drop(session, row.id)
                counts["dropped"] += 1
                continue
            try:
                send(row, lead, settings, now)
            except Exception as error:  # noqa: BLE001 - a bug in one message must not block the others
                code = error.code if isinstance(error, DeliveryFailed) else type(error).__name__
                if not isinstance(error, DeliveryFailed):  # the trace's values may name the person
                    logger.debug("notification %d failed", row.id, exc_info=True)
                given_up = outbox.mark_attempt_failed(session, row, code, now, settings)
                _log_failure(row, code, given_up, settings)
                counts["failed" if given_up else "retried"] += 1
                continue
            outbox.mark_delivered(session, row.id, now)
        logger.info("notification %d (%s, %s) of lead %s delivered on attempt %d", row.id, row.kind,
                    row.event, row.lead_reference, row.attempts + 1)
        counts["delivered"] += 1
    return DeliveryReport(**counts)


def send(row: OutboxRow, lead: Lead, settings: ProjectSettings, now: datetime) -> None:
    """Send one row's notification; DeliveryFailed with a short code when it didn't go through."""
    if row.kind == outbox.WEBHOOK:
        key = lead.reference if row.event == "booked" else f"{lead.reference}:{row.event}:{row.id}"
        result = post_lead(lead, settings.leads_webhook_url, timeout=settings.leads_webhook_timeout,
                           retries=0, event=row.event, secret=settings.leads_webhook_secret,
                           idempotency_key=key)
        if not result.delivered:
            raise DeliveryFailed(result.error or "not_configured")
        return
    mail_id = message_id(lead.reference, row.event, row.kind, row.id, settings)
    if row.kind == outbox.PERSON_EMAIL:
        # A later SEQUENCE than the booking's 0 for each change, so calendars take the newest invite.
        sequence = 0 if row.event == "booked" else row.id
        message = person_email(lead, row.event, settings, message_id=mail_id, sequence=sequence, now=now)
    elif row.kind == outbox.CONSULTANCY_EMAIL:
        if not settings.leads_notify_email:
            raise DeliveryFailed("not_configured")
        message = consultancy_email(lead, row.event, settings, message_id=mail_id, now=now)
    else:
        raise DeliveryFailed("unknown_kind")
    try:
        send_email(message, settings)
    except MailNotConfigured:
        raise DeliveryFailed("not_configured") from None
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(error_code(error)) from None


def _log_failure(row: OutboxRow, code: str, given_up: bool, settings: ProjectSettings) -> None:
    attempts = row.attempts + 1
    if given_up:
        logger.warning("notification %d (%s, %s) of lead %s given up after %d attempt(s): %s", row.id,
                       row.kind, row.event, row.lead_reference, attempts, code)
    else:
        logger.info("notification %d (%s, %s) of lead %s failed on attempt %d of %d: %s; retried later",
                    row.id, row.kind, row.event, row.lead_reference, attempts, settings.notify_max_attempts,
                    code)


def run(store: LeadStore, settings: ProjectSettings, interval: float, stop: threading.Event) -> None:
    """Pass after pass until ``stop`` is set; a pass that sent something is followed at once by another."""
    while not stop.is_set():
        try:
            report = deliver_due(store, settings)
        except Exception:  # the database away for a moment: log it and try again after the interval
            logger.exception("notification pass failed")
            report = DeliveryReport()
        if report.attempted == 0 or report.retried + report.failed == report.attempted:
            stop.wait(interval)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m leads.delivery [--interval S] [--once]``: send notifications until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m leads.delivery", description=main.__doc__)
    parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL,
                        help="seconds between passes when nothing is due (default: %(default)s)")
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("stopping on signal %d", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with LeadStore(settings.leads_database_url) as store:
        if args.once:
            report = deliver_due(store, settings)
            logger.info("%d delivered, %d to retry, %d given up, %d dropped", report.delivered,
                        report.retried, report.failed, report.dropped)
            return 0
        logger.info("notification worker started (email %s, webhook %s)",
                    "on" if settings.smtp_host else "off", "on" if settings.leads_webhook_url else "off")
        run(store, settings, args.interval, stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
