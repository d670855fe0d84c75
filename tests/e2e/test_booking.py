"""Booking a call over REST, in English and French, against the real servers and the leads database."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from leads.store import LeadStore
from tests.e2e.test_conversations import Chat
from tests.servers import Assistant

EMAIL = "marie.tremblay@example.com"
PHONE_TYPED = "+33 6 12 34 56 78"
PHONE_E164 = "+33612345678"


def leads_of(assistant: Assistant) -> LeadStore:
    return LeadStore(assistant.env_value("LEADS_DB_URL"))


def book(chat: Chat, answers: list[str]) -> str:
    reply = ""
    for answer in answers:
        reply = chat.say(answer)
    return reply


def test_english_booking_after_a_verdict_is_saved_with_the_screening(assistant: Assistant) -> None:
    chat = Chat(assistant)
    chat.say("am I eligible for IMP+?")
    verdict = chat.say("I live in Gatineau")
    assert "not eligible" in verdict
    offer = next(b for b in chat.buttons() if b["payload"] == "/human_handoff")
    consent = chat.say(offer["payload"])
    assert "Before I ask for any personal detail" in consent and "name" not in consent.split("?")[-1]
    assert "erased" in consent and "not immigration advice" in consent
    assert "full name" in chat.say("yes")
    assert "email" in chat.say("Marie Tremblay").lower()
    assert "not look like a complete email" in chat.say("marie.tremblay@example").lower().replace(
        "doesn't", "does not"
    )
    assert "phone" in chat.say(EMAIL).lower()
    assert "time zone" in chat.say(PHONE_TYPED)
    assert "language" in chat.say("weekday mornings, Paris time")
    summary = chat.say("English")
    assert (
        EMAIL in summary and PHONE_E164 in summary and "Europe/Paris" in summary and "not eligible" in summary
    )
    corrected = chat.say("my email is actually marie@example.org")
    assert "marie@example.org" in corrected and "Shall I send" in corrected
    done = chat.say("yes")
    reference = re.search(r"reference is (\S+?)\.", done).group(1)
    lead = leads_of(assistant).get(reference)
    assert lead is not None and lead.email == "marie@example.org" and lead.phone == PHONE_E164
    assert lead.language == "en" and lead.time_zone == "Europe/Paris" and lead.sender_id == chat.sender
    assert lead.screening["verdict"] == "not_eligible"
    assert "erase them" in lead.consent_text and "privacy@example.org" in lead.consent_text


def test_french_booking_on_request(assistant: Assistant) -> None:
    chat = Chat(assistant)
    consent = book(chat, ["Bonjour, je voudrais prendre rendez-vous avec un conseiller"])
    assert "Avant que je vous demande un renseignement personnel" in consent
    assert "pas un conseil en immigration" in consent and "effacer" in consent
    assert "nom complet" in chat.say("oui")
    reply = book(chat, ["Karim Benali", "karim.benali@exemple.dz", "+213 550 12 34 56"])
    assert "fuseau horaire" in reply
    reply = book(chat, ["l'après-midi, heure d'Alger", "Français"])
    assert "Voici ce que je vais envoyer" in reply
    done = chat.say("oui")
    reference = re.search(r"référence est (\S+?)\.", done).group(1)
    lead = leads_of(assistant).get(reference)
    assert lead is not None and lead.language == "fr" and lead.full_name == "Karim Benali"


def stored_conversation(assistant: Assistant, sender: str) -> str:
    """Every event the tracker store holds for `sender`, as text."""
    with sqlite3.connect(Path(assistant.workdir) / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return "\n".join(data for (data,) in rows)


def test_no_consent_no_lead_and_cancel_keeps_nothing_anywhere(assistant: Assistant) -> None:
    store = leads_of(assistant)
    before = len(store.recent(1000))
    chat = Chat(assistant)
    chat.say("Can I talk to a consultant?")
    refusal = chat.say("no")
    assert "nothing was sent" in refusal and "What is kept" in refusal
    other = Chat(assistant)
    details = ["Ana Lima-Skarsgard", "ana.ls@example.com", "+1 514 555 0177"]
    book(other, ["I want to book a call", "yes", *details])
    assert "Ana Lima-Skarsgard" in stored_conversation(assistant, other.sender)
    cancelled = other.say("stop")
    assert "cancelled" in cancelled and "deleted from this conversation's history" in cancelled
    stored = stored_conversation(assistant, other.sender)
    for detail in ("Ana Lima", "Skarsgard", "ana.ls@example.com", "5550177", "514 555 0177"):
        assert detail not in stored, detail
    assert len(store.recent(1000)) == before
    assert "open work permit" in other.say("What is IMP+?"), "the conversation goes on"


def test_no_email_or_phone_in_the_server_logs(assistant: Assistant) -> None:
    logs = "".join(path.read_text(errors="replace") for path in Path(assistant.workdir).glob("*.log"))
    for secret in (EMAIL, "marie@example.org", PHONE_E164, "karim.benali@exemple.dz", "ana.ls@example.com"):
        assert secret not in logs
