"""The language of the channels' own messages (flood, cut, apology) comes from i18n's one order: the
stored language, else the message's, else the channel's, else the default."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from channels.guarded_turn import GuardedTurn


class Store:
    def __init__(self, language: str | None, fails: bool = False) -> None:
        self.language, self.fails = language, fails

    async def retrieve(self, sender_id: str) -> Any:
        if self.fails:
            raise ConnectionError("tracker store down")
        return SimpleNamespace(get_slot=lambda name: self.language)


def language(store: Store | None, message: str, metadata: dict[str, Any] | None = None) -> str:
    agent = SimpleNamespace(tracker_store=store) if store else None
    return asyncio.run(GuardedTurn._language(agent, "s", metadata, message))


def test_the_stored_language_wins_over_the_message() -> None:
    assert language(Store("fr"), "Sorry, can you tell me how long the permit is valid?") == "fr"


def test_without_a_stored_language_the_message_then_the_channel_decide() -> None:
    assert language(Store(None), "Bonjour, est-ce que je suis admissible?", {"language": "en"}) == "fr"
    assert language(Store(None), "ok", {"language": "fr"}) == "fr"
    assert language(None, "ok") == "en"


def test_a_failing_tracker_store_falls_back_to_the_message() -> None:
    assert language(Store("en", fails=True), "J'habite à Lyon, est-ce que je suis admissible?") == "fr"
