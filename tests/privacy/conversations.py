"""Conversations written by Rasa's own SQL tracker store, on SQLite or PostgreSQL, and made old at will."""

from __future__ import annotations

import asyncio
import uuid
import warnings

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DAY = 86_400.0


class RasaConversations:
    """Saves conversations with rasa.core.tracker_store.SQLTrackerStore; counts and ages their events."""

    def __init__(self, url: str) -> None:
        # Rasa's imports add warning filters of their own: imported first, they can't undo the "ignore" below
        # (for Rasa's SQLAlchemy 1.4 deprecations, not ours).
        import rasa.shared.core.trackers  # noqa: F401
        import sanic  # noqa: F401

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from rasa.core.tracker_store import SQLTrackerStore

            parsed = make_url(url)
            self.store = SQLTrackerStore(dialect="sqlite", db=parsed.database) \
                if parsed.get_backend_name() == "sqlite" else SQLTrackerStore(dialect="postgresql", host=url)
        self.engine = create_engine(url, future=True)

    @staticmethod
    def new_sender(label: str) -> str:
        return f"retention-{label}-{uuid.uuid4().hex[:10]}"

    def say(self, sender: str, *messages: str) -> None:
        """Appends these user messages, stamped now (after a session start for a new conversation)."""
        from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        tracker = asyncio.run(self.store.retrieve_full_tracker(sender))
        if tracker is None:
            tracker = DialogueStateTracker.from_events(
                sender, [ActionExecuted("action_session_start"), SessionStarted()])
        for message in messages:
            tracker.update(UserUttered(message))
        asyncio.run(self.store.save(tracker))

    def age(self, sender: str, days: float) -> None:
        """Makes every event of the conversation `days` older."""
        with self.engine.begin() as connection:
            connection.execute(text("UPDATE events SET timestamp = timestamp - :shift WHERE sender_id = :s"),
                               {"shift": days * DAY, "s": sender})

    def count(self, sender: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :sender"),
                                          {"sender": sender}).scalar_one())

    def close(self) -> None:
        self.store.engine.dispose()
        self.engine.dispose()
