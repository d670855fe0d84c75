"""The scale-out profile for real: two Rasa servers sharing a PostgreSQL tracker store and a Redis lock store.

Every message goes to a randomly chosen server, so each turn of a conversation depends on what the other
server stored; the verdict headlines come from the assistant's own texts, in the conversation's language.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from i18n.catalog import text
from tests.scale.conftest import TrackerEvents
from tests.servers import Assistant


@dataclass(frozen=True)
class Script:
    """A whole eligibility conversation and the verdict it must reach."""

    language: str
    messages: tuple[str, ...]
    verdict: str


SCRIPTS = (
    Script("en", ("Hi, can you check if I qualify for IMP+?", "I live in Lyon, France", "yes",
                  "the regular skilled worker program", "yes it's still valid", "yes",
                  "no decision so far, still waiting", "yes, I got the letter from MIFI", "yes"), "eligible"),
    Script("fr", ("Bonjour, est-ce que je suis admissible au PMI+?", "J'habite à Casablanca au Maroc",
                  "oui j'ai un CSQ du programme régulier des travailleurs qualifiés",
                  "oui il est encore valide", "oui", "pas encore de décision",
                  "oui, j'ai reçu la lettre d'invitation du MIFI", "oui"),
     "eligible"),
    Script("en", ("am I eligible for the IMP+ work permit?", "I live in Manila", "No, I don't have a CSQ"),
           "not_eligible"),
    Script("fr", ("Suis-je admissible au PMI+?", "J'habite à Sherbrooke"), "not_eligible"),
)


def verdict_text(script: Script) -> str:
    return text(script.language, f"verdict.{script.verdict}")


def replies_text(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def converse(cluster: Assistant, sender: str, script: Script, chooser: random.Random, urls: list[str]) -> str:
    """Runs the script, each message to a server picked by `chooser`; returns the last reply."""
    reply = ""
    for message in script.messages:
        reply = replies_text(cluster.say(sender, message, url=chooser.choice(urls)))
    return reply


def test_forty_conversations_at_once_across_two_servers(cluster: Assistant, tracker: TrackerEvents) -> None:
    assert len(cluster.urls) == 2
    plan = [(tracker.new_sender(f"c{index}"), SCRIPTS[index % len(SCRIPTS)]) for index in range(40)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        finals = list(pool.map(
            lambda item: converse(cluster, item[0], item[1], random.Random(item[0]), cluster.urls), plan
        ))
    for (sender, script), final in zip(plan, finals, strict=True):
        assert verdict_text(script) in final, f"{sender} ({script.language}) ended with: {final[:300]}"
        assert tracker.user_texts(sender) == list(script.messages), f"{sender}: each turn stored exactly once"


def send_together(cluster: Assistant, barrier: threading.Barrier, answers: dict[str, list[dict]],
                  sender: str, message: str, url: str) -> None:
    """Sends `message` the moment the other thread at `barrier` sends its own."""
    barrier.wait()
    answers[message] = cluster.say(sender, message, url=url)


def test_simultaneous_messages_of_one_conversation_are_handled_one_after_the_other(
    cluster: Assistant, tracker: TrackerEvents
) -> None:
    first, second = cluster.urls
    for attempt in range(5):
        sender = tracker.new_sender(f"same{attempt}")
        cluster.say(sender, "am I eligible for IMP+?", url=first)
        barrier = threading.Barrier(2)
        answers: dict[str, list[dict]] = {}
        threads = [
            threading.Thread(target=send_together, args=(cluster, barrier, answers, sender, message, url))
            for message, url in (("I live in Paris", first), ("yes, I have a CSQ", second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert all(answers.get(message) for message in ("I live in Paris", "yes, I have a CSQ")), answers
        events = tracker.events(sender)
        users = [index for index, event in enumerate(events) if event["event"] == "user"]
        assert len(users) == 3, "both simultaneous messages stored, once each"
        between = [event.get("name") for event in events[users[1]:users[2]] if event["event"] == "action"]
        assert between and between[-1] == "action_listen", "the first finished before the second began"
        slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
        assert slots.get("has_csq") is True and "Paris" in str(slots.get("place")), "neither answer lost"


def test_conversations_carry_on_when_one_server_stops(cluster: Assistant, tracker: TrackerEvents) -> None:
    plan = [(tracker.new_sender(f"stop{index}"), SCRIPTS[index % len(SCRIPTS)]) for index in range(8)]
    halfway = {sender: len(script.messages) // 2 for sender, script in plan}
    chooser = random.Random(7)
    for sender, script in plan:
        for message in script.messages[: halfway[sender]]:
            cluster.say(sender, message, url=chooser.choice(cluster.urls))
    stopped = cluster.urls[1]
    cluster.kill_rasa(stopped, hard=True)
    try:
        for sender, script in plan:
            reply = ""
            for message in script.messages[halfway[sender]:]:
                reply = replies_text(cluster.say(sender, message, url=cluster.urls[0]))
            assert verdict_text(script) in reply, f"{sender} ended with: {reply[:300]}"
            assert tracker.user_texts(sender) == list(script.messages)
    finally:
        cluster.start_rasa(int(stopped.rsplit(":", 1)[1]))
        cluster.wait_ready(180)


def test_nul_bytes_and_lone_surrogates_never_break_the_postgresql_tracker_store(
    cluster: Assistant, tracker: TrackerEvents
) -> None:
    sender = tracker.new_sender("nul")
    for message in ("what is\x00 IMP+?", "caf\ud800é \x00\x00", "\x00"):
        cluster.say(sender, message, url=cluster.urls[1])
    stored = tracker.user_texts(sender)
    assert stored == ["what is IMP+?", "caf\ufffdé"], "cleaned before storing; the NUL-only one is empty"
    assert "open work permit" in replies_text(cluster.say(sender, "What is IMP+?"))


def test_a_cancelled_booking_leaves_no_detail_in_the_postgresql_tracker_store(
    cluster: Assistant, tracker: TrackerEvents
) -> None:
    """Each message to another server; after "stop", none of the details typed remains in any event."""
    sender = tracker.new_sender("cancel")
    details = ("Ilona Brzęczyszczykiewicz", "ilona.brz@example.org", "+48 601 555 018")
    for index, message in enumerate(("Can I book a call with a consultant?", "yes", *details)):
        cluster.say(sender, message, url=cluster.urls[index % 2])
    assert any(details[1] in str(event) for event in tracker.events(sender))
    cancelled = replies_text(cluster.say(sender, "stop", url=cluster.urls[1]))
    assert "deleted from this conversation's history" in cancelled
    stored = str(tracker.events(sender))
    for detail in ("Ilona", "Brzęczyszczykiewicz", "ilona.brz", "601555018", "601 555 018"):
        assert detail not in stored, detail
    assert tracker.user_texts(sender)[-1] == "stop", "the conversation goes on after the cancel"
