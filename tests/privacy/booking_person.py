"""A person booking a call over REST, and the forms their details could take in a log."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import Assistant


@dataclass(frozen=True)
class Person:
    """Someone with distinctive details, easy to find in a log if they ever got there."""

    name: str
    email: str
    phone: str  # as typed, international
    sender: str = field(default_factory=lambda: f"privacy-{uuid.uuid4().hex[:10]}")

    def found_in(self, text: str) -> list[str]:
        """Which of this person's details `text` contains, in any form a logger could write them."""
        digits = re.sub(r"\D", "", self.phone)[-9:]  # without the country code
        spellings = (self.name, json.dumps(self.name)[1:-1], _without_accents(self.name))
        patterns = {
            "name": "|".join(re.escape(part) for name in spellings for part in name.split()),
            "email": re.escape(self.email.split("@")[0]) + "|" + re.escape(self.email),
            "phone": r"\D{0,3}".join(digits),
        }
        return [what for what, pattern in patterns.items() if re.search(pattern, text, re.IGNORECASE)]


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def book_a_call(assistant: Assistant, url: str, person: Person) -> str:
    """The whole booking, from the request to the confirmed lead; returns the lead's reference."""
    answers = ["I want to book a call", "yes", person.name, person.email, person.phone,
               "weekday mornings, Montreal time", "English"]
    for answer in answers:
        reply = _texts(assistant.say(person.sender, answer, url=url))
    assert person.email in reply, f"no booking summary: {reply!r}"
    done = _texts(assistant.say(person.sender, "yes", url=url))
    found = re.search(r"reference is (\S+?)\.", done)
    assert found, f"no reference in {done!r}"
    return found.group(1)


def _texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def server_logs(assistant: Assistant) -> dict[str, str]:
    """Every log the harness wrote (action server and each Rasa server), by file name."""
    return {path.name: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(Path(assistant.workdir).glob("*.log"))}


def rasa_log_name(assistant: Assistant, url: str) -> str:
    port = int(url.rsplit(":", 1)[1])
    return "rasa.log" if port == assistant.rasa_port else f"rasa-{port}.log"
