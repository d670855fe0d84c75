"""Leads and conversations survive a restart of both servers (SQLite tracker store and leads database)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from leads.store import LeadStore
from tests.servers import Assistant


def test_booking_and_conversation_survive_a_restart(tmp_path: Path) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first = Assistant(workdir=tmp_path).start()
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
    second = Assistant(workdir=tmp_path, rasa_port=first.rasa_port, action_port=first.action_port).start()
    try:
        lead = LeadStore(second.env_value("LEADS_DB_URL")).get(reference)
        assert lead is not None and lead.screening["verdict"] == "not_eligible"
        # The conversation is where it was: French, and the answers already given still count.
        reply = " ".join(r.get("text") or "" for r in second.say(sender, "est-ce que je suis admissible?"))
        assert "pas admissible" in reply and "Où habitez-vous" not in reply
    finally:
        second.stop()
