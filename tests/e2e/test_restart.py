"""Leads and conversations survive a restart of both servers (SQLite tracker store and leads database)."""

from __future__ import annotations

import re
import uuid

from leads.store import LeadStore
from tests.servers import Assistant
from tests.session_servers import SessionServers


def test_booking_and_conversation_survive_a_restart(restart_servers: SessionServers) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    # Servers of their own (launched at collection, so they boot while other tests run), stopped below.
    first = restart_servers.assistant
    try:
        for message in [
            "Suis-je admissible au PMI+?",
            "J'habite à Paris",
            "Non, je n'ai pas de CSQ",
            "je voudrais prendre rendez-vous",
            "oui",
            "Amélie Roy",
            "amelie.roy@example.fr",
            "passer",
            "le matin, heure de Paris",
            "Français",
        ]:
            first.say(sender, message)
        done = " ".join(reply.get("text") or "" for reply in first.say(sender, "oui"))
        reference = re.search(r"référence est (\S+?)\.", done).group(1)
    finally:
        first.stop()
    second = Assistant(workdir=first.workdir, rasa_port=first.rasa_port, action_port=first.action_port)
    second.start()
    try:
        lead = LeadStore(second.env_value("LEADS_DB_URL")).get(reference)
        assert lead is not None and lead.screening["verdict"] == "not_eligible"
        # The conversation is where it was: French, and the answers already given still count.
        reply = " ".join(r.get("text") or "" for r in second.say(sender, "est-ce que je suis admissible?"))
        assert "pas admissible" in reply and "Où habitez-vous" not in reply
    finally:
        second.stop()
