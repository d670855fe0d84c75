"""The notification worker against real servers on loopback: an SMTP server (aiosmtpd) that is down, then
up; a webhook receiver checking the signature; erasure before delivery; the worker process and SIGTERM."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from leads import LeadStore, capture_lead, deliver_due
from leads.mail_sink import start_sink
from leads.outbox import notify, rows_for
from project_settings import ROOT
from tests.leads.conftest import START, Clock, Mailbox, Receiver, closed_port, new_lead, notify_settings


def test_mail_down_then_up_each_message_arrives_once(db_url: str, clock: Clock, mailbox: Mailbox) -> None:
    settings = notify_settings(db_url, smtp_port=mailbox.port)
    with LeadStore(db_url, clock=clock) as store:
        reference = capture_lead(new_lead(), store, settings).lead.reference
        down = deliver_due(store, settings, now=START)
        assert (down.delivered, down.retried, down.failed) == (0, 2, 0)
        with store.session() as session:
            rows = rows_for(session, reference)
        assert [(r.kind, r.attempts, r.delivered_at, r.last_error) for r in rows] == [
            ("consultancy_email", 1, None, "ConnectionRefusedError"),
            ("person_email", 1, None, "ConnectionRefusedError")]
        assert all(r.next_attempt_at == START + timedelta(seconds=5) for r in rows)

        mailbox.start()
        assert deliver_due(store, settings, now=START + timedelta(seconds=4)).attempted == 0  # not due yet
        up = deliver_due(store, settings, now=START + timedelta(seconds=5))
        assert (up.delivered, up.retried) == (2, 0)
        for later in (6, 60, 3600):
            assert deliver_due(store, settings, now=START + timedelta(seconds=later)).attempted == 0
        with store.session() as session:
            assert [(r.attempts, r.delivered_at) for r in rows_for(session, reference)] == [
                (2, START + timedelta(seconds=5))] * 2

    assert sorted(r for rs in mailbox.recipients for r in rs) == ["desk@consultancy.example",
                                                                  "marie.tremblay@example.com"]
    ids = {m["Message-ID"] for m in mailbox.messages}
    assert len(ids) == 2 and all(reference in i for i in ids)
    desk = next(m for m in mailbox.messages if m["To"] == "desk@consultancy.example")
    assert reference in desk["Subject"] and desk["Reply-To"] == "marie.tremblay@example.com"


def test_retries_back_off_then_give_up_with_a_warning(sqlite_url: str, clock: Clock, mailbox: Mailbox,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    settings = notify_settings(sqlite_url, smtp_port=mailbox.port, LEADS_NOTIFY_EMAIL="")
    caplog.set_level(logging.INFO, logger="leads")
    with LeadStore(sqlite_url, clock=clock) as store:
        reference = capture_lead(new_lead(), store, settings).lead.reference
        now = START
        for wait in (5, 10):  # NOTIFY_RETRY_SECONDS, then twice as long
            assert deliver_due(store, settings, now=now).retried == 1
            with store.session() as session:
                [row] = rows_for(session, reference)
            assert row.next_attempt_at == now + timedelta(seconds=wait)
            now = row.next_attempt_at
        last = deliver_due(store, settings, now=now)
        assert (last.failed, last.retried) == (1, 0)
        with store.session() as session:
            [row] = rows_for(session, reference)
        assert row.failed_at == now and row.attempts == 3 and row.delivered_at is None
        mailbox.start()
        assert deliver_due(store, settings, now=now + timedelta(days=1)).attempted == 0  # given up stays so
    assert mailbox.messages == []
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "leads.delivery"]
    assert reference in warning.getMessage() and "3 attempt" in warning.getMessage()
    for record in caplog.records:
        assert "marie" not in record.getMessage().lower() and "Tremblay" not in record.getMessage()


def test_signed_webhook_with_its_event(sqlite_url: str, clock: Clock, receiver: Receiver) -> None:
    settings = notify_settings(sqlite_url, webhook_url=receiver.url, LEADS_WEBHOOK_SECRET="hook-key")
    with LeadStore(sqlite_url, clock=clock) as store:
        reference = capture_lead(new_lead(), store, settings).lead.reference
        receiver.status = 503
        assert deliver_due(store, settings, now=START).retried == 1
        receiver.status = 200
        assert deliver_due(store, settings, now=START + timedelta(seconds=5)).delivered == 1
        notify(store, reference, "cancelled", settings, START + timedelta(minutes=1))
        assert deliver_due(store, settings, now=START + timedelta(minutes=1)).delivered == 1
    assert [r["body"]["event"] for r in receiver.requests] == ["booked", "booked", "cancelled"]
    for request in receiver.requests:
        expected = "sha256=" + hmac.new(b"hook-key", request["raw"], hashlib.sha256).hexdigest()
        assert request["headers"]["X-Impplus-Signature"] == expected
        assert request["body"]["reference"] == reference
    keys = [r["headers"]["Idempotency-Key"] for r in receiver.requests]
    assert keys[0] == keys[1] == reference and keys[2] != reference  # a retry repeats its key


def test_an_erased_lead_is_never_notified(db_url: str, clock: Clock, mailbox: Mailbox) -> None:
    settings = notify_settings(db_url, smtp_port=mailbox.port)
    mailbox.start()
    with LeadStore(db_url, clock=clock) as store:
        reference = capture_lead(new_lead(), store, settings).lead.reference
        kept = capture_lead(new_lead(email="other.person@example.com"), store, settings).lead.reference
        store.erase(reference=reference)
        with store.session() as session:
            assert rows_for(session, reference) == []
        assert deliver_due(store, settings, now=START).delivered == 2
    assert all(kept in m["Subject"] for m in mailbox.messages) and len(mailbox.messages) == 2


def test_two_workers_never_send_the_same_row(db_url: str, clock: Clock, mailbox: Mailbox) -> None:
    settings = notify_settings(db_url, smtp_port=mailbox.port)
    mailbox.start()
    with LeadStore(db_url, clock=clock) as first, LeadStore(db_url, clock=clock) as second:
        capture_lead(new_lead(), first, settings)
        capture_lead(new_lead(email="other.person@example.com"), first, settings)
        one = deliver_due(first, settings, now=START, limit=2)
        two = deliver_due(second, settings, now=START)
        three = deliver_due(first, settings, now=START)
    assert (one.delivered, two.delivered, three.delivered) == (2, 2, 0)
    assert len({m["Message-ID"] for m in mailbox.messages}) == len(mailbox.messages) == 4


def test_the_mail_sink_keeps_each_message_as_a_file(sqlite_url: str, clock: Clock, tmp_path: Path) -> None:
    port = closed_port()
    sink = start_sink("127.0.0.1", port, tmp_path / "mail")
    try:
        settings = notify_settings(sqlite_url, smtp_port=port)
        with LeadStore(sqlite_url, clock=clock) as store:
            reference = capture_lead(new_lead(), store, settings).lead.reference
            assert deliver_due(store, settings, now=START).delivered == 2
    finally:
        sink.stop()
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and all(reference.encode() in f.read_bytes() for f in files)


def test_the_worker_process_delivers_and_stops_on_sigterm(sqlite_url: str, mailbox: Mailbox) -> None:
    settings = notify_settings(sqlite_url, smtp_port=mailbox.port)
    mailbox.start()
    with LeadStore(sqlite_url) as store:
        reference = capture_lead(new_lead(), store, settings).lead.reference
    env = {**os.environ, "LEADS_DB_URL": sqlite_url, "SMTP_HOST": "127.0.0.1",
           "SMTP_PORT": str(mailbox.port), "SMTP_STARTTLS": "false",
           "LEADS_NOTIFY_EMAIL": "desk@consultancy.example", "LEADS_WEBHOOK_URL": ""}
    worker = subprocess.Popen([sys.executable, "-m", "leads.delivery", "--interval", "0.1"], cwd=ROOT,
                              env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30  # a guard against a hang, not a measure
        while len(mailbox.messages) < 2 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _, log = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, log
    delivered = [line for line in log.splitlines() if "delivered" in line]
    assert len(mailbox.messages) == 2 and len(delivered) == 2, log
    assert all(reference in line for line in delivered) and "stopping on signal 15" in log
