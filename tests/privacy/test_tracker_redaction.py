"""A refused or cancelled booking leaves no personal detail in the stored conversation: Rasa's own SQL
tracker store, on SQLite and on this machine's PostgreSQL, with the turn under way saved afterwards as
Rasa saves it."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from sqlalchemy import text

from privacy.tracker_redaction import REMOVED, redact_since
from tests.leads.conftest import Tracker

LEAD_SLOTS = ("lead_consent", "lead_name", "lead_email", "lead_phone", "lead_time", "lead_time_zone")
NAME, EMAIL, PHONE = "Anouk Desrosiers-Kaplan", "anouk.dk@example.net", "+15145550199"


def booking_conversation(sender: str) -> tuple[Any, float]:
    """A conversation with a screening answer, then a booking: consent, name, email, phone, summary.
    Returns the tracker and the time the booking started."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    now = time.time() - 100
    events: list[Any] = [ActionExecuted("action_session_start", timestamp=now), SessionStarted(timestamp=now)]
    events += [UserUttered("I live in Lyon", timestamp=now + 1),
               SlotSet("residence", "abroad", timestamp=now + 1)]
    started = now + 10
    events += [
        UserUttered("can I book a call?", timestamp=started),
        ActiveLoop("booking_form", timestamp=started + 0.1),
        BotUttered("Before I ask for any personal detail: ... Do you agree?", timestamp=started + 0.2),
        UserUttered("yes", timestamp=started + 5),
        SlotSet("lead_consent", True, timestamp=started + 5.1),
        UserUttered(f"my name is {NAME}", {"name": "inform"},
                    [{"entity": "place", "value": "Kaplan"}], timestamp=started + 10),
        SlotSet("lead_name", NAME, timestamp=started + 10.1),
        UserUttered(f"{EMAIL} and {PHONE}", timestamp=started + 20),
        SlotSet("lead_email", EMAIL, timestamp=started + 20.1),
        SlotSet("lead_phone", PHONE, timestamp=started + 20.2),
        BotUttered(f"Here is what I will send:\nName: {NAME}\nEmail: {EMAIL}", timestamp=started + 20.3),
    ]
    return DialogueStateTracker.from_events(sender, events), started


def stored(store: Tracker, sender: str) -> list[dict[str, Any]]:
    with store.store.engine.connect() as connection:
        query = text("SELECT data FROM events WHERE sender_id = :s ORDER BY id")
        rows = connection.execute(query, {"s": sender})
        return [json.loads(row.data) for row in rows]


def test_cancel_removes_what_was_typed_for_the_booking(tracker: Tracker, tracker_url: str) -> None:
    from rasa.shared.core.events import BotUttered, UserUttered

    sender = "redaction-cancel"
    conversation, started = booking_conversation(sender)
    asyncio.run(tracker.store.save(conversation))
    before = stored(tracker, sender)
    assert any(NAME in json.dumps(event) for event in before)

    changed = redact_since(tracker_url, sender, started, LEAD_SLOTS)
    # The turn under way ("stop") is saved by Rasa afterwards from its in-memory tracker.
    conversation.update(UserUttered("stop", timestamp=time.time()))
    conversation.update(BotUttered("All right, I've cancelled the booking.", timestamp=time.time()))
    asyncio.run(tracker.store.save(conversation))

    after = stored(tracker, sender)
    assert len(after) == len(before) + 2, "nothing deleted, nothing saved twice"
    everything = json.dumps(after, ensure_ascii=False)
    for detail in (NAME, "Desrosiers", EMAIL, PHONE, "Kaplan"):
        assert detail not in everything, detail
    assert changed == 9  # four messages, the four lead slots set (consent included), the summary
    assert "I live in Lyon" in everything, "what came before the booking is kept"
    assert next(e for e in after if e.get("name") == "residence")["value"] == "abroad"
    user_texts = [e["text"] for e in after if e["event"] == "user"]
    assert user_texts == ["I live in Lyon", REMOVED, REMOVED, REMOVED, REMOVED, "stop"]
    reloaded = asyncio.run(tracker.store.retrieve_full_tracker(sender))
    assert reloaded is not None and len(reloaded.events) == len(after), "Rasa reads it back whole"


def test_nothing_to_change_without_a_tracker_store() -> None:
    assert redact_since(None, "anyone", 0.0, LEAD_SLOTS) is None
    assert redact_since("sqlite:////nonexistent/dir/tracker.db", "anyone", 0.0, LEAD_SLOTS) is None
