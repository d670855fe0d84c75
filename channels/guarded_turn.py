"""One person's message through Rasa, with what every channel owes the person around it.

- The text is made safe first (`message_guard`); an empty message gets no reply.
- One sender over the flood limit is told to slow down and the message is not processed.
- A message that got no reply at all (the action server down or failing, an error inside Rasa) gets a
  short apology in the person's language instead of silence; the conversation is kept, so the next
  message works as soon as the failing part is back.
- A message cut to length is followed by a note saying so.
The person's words are never logged here: only the conversation id and what went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.flood_limit import SenderLimit, flood_limit_for
from channels.message_guard import MAX_MESSAGE_CHARS, guard_text
from i18n.catalog import text
from i18n.languages import conversation_language
from launch.metrics import APOLOGIES, FLOOD_REFUSALS, TurnTimer
from project_settings import get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class CountingOutput(OutputChannel):
    """Passes every bot message on to the channel's own output and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


class GuardedTurn:
    """Shared by the REST, socket.io and Telegram channels of one server."""

    def __init__(self, flood_limit: SenderLimit | None = None) -> None:
        self.flood_limit = flood_limit or flood_limit_for(get_settings())

    async def handle(self, raw_text: object, sender_id: str, output: OutputChannel, input_channel: str,
                     metadata: dict[str, Any] | None, on_new_message: OnNewMessage, agent: Any) -> None:
        guarded = guard_text(raw_text)
        if not guarded.text:
            return
        if not self.flood_limit.allow(sender_id):
            # No tracker read for a refused message: refusing must stay cheaper than answering.
            lang = await self._language(None, sender_id, metadata, guarded.text)
            FLOOD_REFUSALS.labels(input_channel).inc()
            await output.send_text_message(sender_id, text(lang, "guard.flood"))
            return
        counting = CountingOutput(output)
        # The message's language (else the channel's): counting a turn must cost no tracker read.
        turn = TurnTimer(input_channel, conversation_language(None, guarded.text,
                                                              channel=(metadata or {}).get("language")))
        try:
            await on_new_message(
                UserMessage(guarded.text, counting, sender_id, input_channel=input_channel, metadata=metadata)
            )
        except Exception:  # the person gets the apology below; the details go to the server log
            logger.exception("Handling a message of conversation %s failed.", sender_id)
        if guarded.truncated_from is None and counting.sent:
            turn.done()
            return
        lang = await self._language(agent, sender_id, metadata, guarded.text)
        if guarded.truncated_from is not None:
            await output.send_text_message(sender_id, text(lang, "guard.truncated", limit=MAX_MESSAGE_CHARS))
        if not counting.sent:
            logger.warning("Conversation %s got no reply: sent the apology instead.", sender_id)
            await output.send_text_message(sender_id, text(lang, "guard.unavailable"))
            APOLOGIES.labels(input_channel).inc()
        turn.done()

    @staticmethod
    async def _language(agent: Any, sender_id: str, metadata: dict[str, Any] | None, message: str) -> str:
        """The conversation's language as stored (when `agent` is given), else the message's, else the
        channel's, else the default (`i18n.languages.conversation_language`)."""
        stored = None
        try:
            tracker = await agent.tracker_store.retrieve(sender_id) if agent else None
            stored = tracker.get_slot("language") if tracker else None
        except Exception:  # the tracker store may be the part that is down
            logger.warning("Could not read the language of conversation %s.", sender_id)
        return conversation_language(stored, message, channel=(metadata or {}).get("language"))


def agent_of(request: Any) -> Any:
    """The Rasa agent serving `request` (None outside a running server): it knows the tracker store."""
    return getattr(getattr(getattr(request, "app", None), "ctx", None), "agent", None)


_SHARED: list[GuardedTurn] = []


def shared_turn() -> GuardedTurn:
    """The one GuardedTurn of this server, so the flood limit counts a sender's messages on every channel."""
    if not _SHARED:
        _SHARED.append(GuardedTurn())
    return _SHARED[0]
