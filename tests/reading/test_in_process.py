"""The Rasa server reads each message itself: Rasa's own slot extraction, the project's domain, and no
action server at all (a remote call would fail and fill nothing)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from reading import in_process
from tests.servers import ROOT


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    in_process.install()


def tracker_after(domain: Domain, text: str, intent: str, entities: list[dict[str, Any]],
                  before: list[Any] = ()) -> DialogueStateTracker:
    message = UserUttered(text, intent={"name": intent, "confidence": 0.95}, entities=entities,
                          parse_data={"text": text, "intent": {"name": intent, "confidence": 0.95},
                                      "entities": entities})
    events = [*before, ActionExecuted("action_listen"), message]
    return DialogueStateTracker.from_events("reader-test", events, slots=domain.slots)


def extracted(domain: Domain, tracker: DialogueStateTracker) -> dict[str, Any]:
    extract = ActionExtractSlots(action_endpoint=None)  # any call to an action server would fail
    output = CollectingOutputChannel()
    events = asyncio.run(extract.run(output, TemplatedNaturalLanguageGenerator(domain.responses), tracker,
                                     domain))
    return {event.key: event.value for event in events if isinstance(event, SlotSet)}


def test_facts_and_language_are_filled_without_an_action_server(domain: Domain) -> None:
    tracker = tracker_after(domain, "I live in Lyon, France and I have a CSQ from the PRTQ", "inform", [
        {"entity": "residence", "value": "abroad"}, {"entity": "place", "value": "Lyon, France"},
        {"entity": "csq_program", "value": "regular_skilled_worker"},
    ])
    assert extracted(domain, tracker) == {
        "language": "en", "residence": "abroad", "place": "Lyon, France",
        "csq_program": "regular_skilled_worker",
        "has_csq": True,
    }


def test_a_bare_yes_answers_the_question_the_form_asked(domain: Domain) -> None:
    asked = [ActiveLoop("screening_form"), SlotSet("requested_slot", "has_invitation"),
             SlotSet("language", "fr")]
    tracker = tracker_after(domain, "oui", "affirm", [], before=asked)
    assert extracted(domain, tracker) == {"has_invitation": True}


def test_a_failing_reader_fills_nothing_and_says_so_without_the_message(
        domain: Domain, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    class Broken(in_process.ActionReadMessage):
        async def run(self, *_: Any) -> list[Any]:
            raise ValueError("boom")

    monkeypatch.setitem(in_process.READERS, "action_read_message", Broken)
    tracker = tracker_after(domain, "my email is a@b.example", "inform",
                            [{"entity": "residence", "value": "abroad"}])
    with caplog.at_level(logging.ERROR):
        assert extracted(domain, tracker) == {}
    assert "ValueError" in caplog.text and "a@b.example" not in caplog.text


def test_installing_twice_keeps_one_reader() -> None:
    in_process.install()
    patched = ActionExtractSlots._run_custom_action
    in_process.install()
    assert ActionExtractSlots._run_custom_action is patched
