"""The consultancy's side end to end: a person books a slot in French on the real servers; the notification
worker (`python -m leads.delivery`) mails the consultancy and the person (with the invite) through a real
SMTP server on loopback; the desk (`python -m desk`) shows the lead, its criteria and its conversation; the
funnel counts that conversation."""

from __future__ import annotations

import datetime as dt
import email
import json
import subprocess
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar

from leads.mail_sink import start_sink
from tests.desk.conftest import start_desk
from tests.e2e.test_conversations import Chat
from tests.servers import ROOT, VENV_BIN, Assistant

DELIVERY_SECONDS = 60.0


def received(folder: Path, reference: str) -> list[EmailMessage]:
    """The emails about this lead the SMTP server has (other tests' bookings wait in the outbox too)."""
    return [message for path in sorted(folder.glob("*.eml"))
            if reference in str((message := email.message_from_bytes(path.read_bytes(),
                                                                       policy=policy.default))["Subject"])]


def wait_for(folder: Path, reference: str, count: int) -> list[EmailMessage]:
    deadline = time.monotonic() + DELIVERY_SECONDS
    while len(received(folder, reference)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return received(folder, reference)


def book_in_french(chat: Chat) -> tuple[str, str]:
    """A French booking that picks the first free slot; (the reference, the slot's start)."""
    chat.say("Bonjour! J'habite à Lyon, en France, et j'ai un CSQ")
    consent = chat.say("j'aimerais parler à un consultant")
    assert "Avant que je vous demande un renseignement personnel" in consent, consent
    chat.say("oui")
    chat.say("Camille Dubé")
    chat.say("camille.dube@example.org")
    chat.say("passer")
    slot = next(b for b in chat.buttons() if '"lead_slot"' in b["payload"])
    assert "votre heure" in slot["title"] and "Montréal" in slot["title"], slot  # Lyon's time, then ours
    start = json.loads(slot["payload"].removeprefix("/inform"))["lead_slot"]
    chat.say(slot["payload"])
    chat.say('/inform{"lead_language": "fr"}')
    saved = chat.say("oui")
    reference = next(word.strip(".;,") for word in saved.split() if word.startswith("QP-"))
    assert "est réservé" in saved and "camille.dube@example.org" in saved, saved
    return reference, start


@pytest.fixture()
def worker(assistant: Assistant, tmp_path: Path):
    process = subprocess.Popen([str(VENV_BIN / "python"), "-m", "leads.delivery", "--interval", "0.2"],
                               cwd=ROOT, env=assistant.settings, stdout=subprocess.DEVNULL,
                               stderr=open(tmp_path / "delivery.log", "ab"))  # noqa: SIM115
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_a_french_booking_reaches_the_consultancy_the_person_the_desk_and_the_funnel(
    assistant: Assistant, worker: subprocess.Popen, tmp_path: Path
) -> None:
    chat = Chat(assistant)
    reference, start = book_in_french(chat)

    # Email is down (nothing listens on SMTP_PORT yet): the reply came anyway, and nothing is lost.
    mail = tmp_path / "mail"
    time.sleep(1.0)
    assert not mail.exists()
    sink = start_sink("127.0.0.1", int(assistant.env_value("SMTP_PORT")), mail)
    try:
        messages = {str(m["To"]): m for m in wait_for(mail, reference, 2)}
        time.sleep(1.5)  # a second copy of either would arrive now
        assert len(received(mail, reference)) == 2
    finally:
        sink.stop()
    to_desk, to_person = messages["desk@example.org"], messages["camille.dube@example.org"]
    assert reference in str(to_desk["Subject"])
    desk_text = to_desk.get_body(("plain",)).get_content()
    assert f"/leads/{reference}" in desk_text and "Camille Dubé" in desk_text
    person_text = to_person.get_body(("plain",)).get_content()
    assert reference in person_text and "votre heure" in person_text
    assert "pas un conseil en immigration" in person_text
    invite = next(part for part in to_person.iter_attachments() if part.get_content_type() == "text/calendar")
    event = next(c for c in Calendar.from_ical(invite.get_content()).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == dt.datetime.fromisoformat(start.replace("Z", "+00:00"))

    desk = start_desk(tmp_path / "desk", LEADS_DB_URL=assistant.env_value("LEADS_DB_URL"),
                      TRACKER_DB_URL=assistant.env_value("TRACKER_DB_URL"))
    try:
        session = desk.signed_in(lang="fr")
        listing = session.get(f"{desk.url}/leads").text
        assert reference in listing and "Camille Dubé" in listing
        page = session.get(f"{desk.url}/leads/{reference}").text
        assert "où vous résidez" in page  # a criterion, named as the verdict names it
        assert "J&#39;habite à Lyon, en France" in page  # the transcript: what this person wrote, escaped
    finally:
        desk.stop()

    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    stats = subprocess.run([str(VENV_BIN / "python"), "-m", "leads", "stats", "--since", today, "--json",
                            "--lang", "fr"], cwd=ROOT, env=assistant.settings, capture_output=True, text=True,
                           check=True)
    report = json.loads(stats.stdout)
    assert report["by_language"]["fr"]["booking_confirmed"] >= 1
    assert report["by_channel"]["rest"]["booking_confirmed"] >= 1
