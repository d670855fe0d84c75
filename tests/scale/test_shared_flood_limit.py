"""The flood limit across the two Rasa servers of the scale-out profile: the allowance is per sender, counted
once in Redis for the whole cluster (channels/flood_limit.py), not once per server."""

from __future__ import annotations

from i18n.catalog import text
from tests.scale.conftest import TrackerEvents
from tests.servers import Assistant


def is_refusal(replies: list[dict]) -> bool:
    """Whether the replies are the flood limit's "slow down" (and nothing else)."""
    texts = [reply.get("text") for reply in replies]
    return texts in ([text("en", "guard.flood")], [text("fr", "guard.flood")])


def test_a_flooder_spread_over_two_servers_gets_the_allowance_once(
    cluster: Assistant, tracker: TrackerEvents
) -> None:
    allowance = int(cluster.env_value("FLOOD_MAX_MESSAGES"))
    first, second = cluster.urls
    flooder = tracker.new_sender("flooder")
    # Alternately to each server: with a count per server, every one of these would be let through.
    refused = [
        is_refusal(cluster.say(flooder, "/greet", url=(first, second)[index % 2]))
        for index in range(2 * allowance)
    ]
    assert refused == [False] * allowance + [True] * allowance
    assert tracker.user_texts(flooder) == ["/greet"] * allowance, "refused messages never reach Rasa"
    someone_else = tracker.new_sender("calm")
    assert not is_refusal(cluster.say(someone_else, "/greet", url=second)), "the limit is per sender"
