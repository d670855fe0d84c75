"""Small talk, fallback, stop, language switch, "why do you ask?" and program answers, with real Trackers."""

from __future__ import annotations

from typing import Any

from actions.answers import ActionAnswerQuestion
from actions.conversation import (
    ActionExplainQuestion,
    ActionFallback,
    ActionRespond,
    ActionStop,
    ActionSwitchLanguage,
)
from tests.actions.conftest import make_tracker, run

FORM = "screening_form"


def texts(dispatcher: Any) -> str:
    return "\n".join(message["text"] or "" for message in dispatcher.messages)


def test_greeting_in_each_language_offers_the_menu(domain: dict[str, Any]) -> None:
    _, english = run(ActionRespond(), make_tracker({"language": "en"}, intent="greet"), domain)
    _, french = run(ActionRespond(), make_tracker({"language": "fr"}, intent="greet"), domain)
    assert "Hello" in texts(english) and "Bonjour" in texts(french)
    assert {b["payload"] for b in english.messages[0]["buttons"]} >= {"/check_eligibility", "/human_handoff"}


def test_no_menu_in_the_middle_of_the_check(domain: dict[str, Any]) -> None:
    tracker = make_tracker({"language": "en", "requested_slot": "has_csq"}, intent="greet", active_loop=FORM)
    _, dispatcher = run(ActionRespond(), tracker, domain)
    assert dispatcher.messages[0]["buttons"] == []


def test_fallback_says_what_it_can_do(domain: dict[str, Any]) -> None:
    _, dispatcher = run(ActionFallback(), make_tracker({"language": "fr"}, intent="nlu_fallback"), domain)
    assert "je n'ai pas compris" in texts(dispatcher)
    assert dispatcher.messages[0]["buttons"]


def test_stop_ends_the_form_and_keeps_answers(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"language": "en", "residence": "abroad", "requested_slot": "has_csq"},
        intent="stop",
        active_loop=FORM,
    )
    events, dispatcher = run(ActionStop(), tracker, domain)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert not any(e.get("name") == "residence" for e in events), "answers are kept"
    assert "stopped" in texts(dispatcher)
    _, idle = run(ActionStop(), make_tracker({"language": "en"}, intent="stop"), domain)
    assert "nothing to stop" in texts(idle) and idle.messages[0]["buttons"], "a way on, not a dead end"


def test_a_request_for_advice_gets_no_opinion_but_who_can_advise_and_the_call(domain: dict[str, Any]) -> None:
    for lang, term in (("en", "licensed immigration consultant (RCIC) or lawyer"),
                       ("fr", "consultant réglementé en immigration canadienne (CRIC) ou avocat")):
        _, dispatcher = run(ActionRespond(), make_tracker({"language": lang}, intent="ask_advice"), domain)
        assert term in texts(dispatcher)
        assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/human_handoff"]


def test_switch_language_confirms_in_the_new_language(domain: dict[str, Any]) -> None:
    _, dispatcher = run(
        ActionSwitchLanguage(), make_tracker({"language": "fr"}, intent="switch_language"), domain
    )
    assert texts(dispatcher) == "D'accord, je continue en français."


def test_why_do_you_ask_explains_the_question_asked(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"language": "en", "requested_slot": "has_invitation"}, intent="why_ask", active_loop=FORM
    )
    _, dispatcher = run(ActionExplainQuestion(), tracker, domain)
    assert "letter of invitation" in texts(dispatcher)
    _, idle = run(ActionExplainQuestion(), make_tracker({"language": "en"}, intent="why_ask"), domain)
    assert "only what can change" in texts(idle)


def test_program_question_is_answered_with_sources(domain: dict[str, Any]) -> None:
    _, dispatcher = run(
        ActionAnswerQuestion(), make_tracker({"language": "en"}, intent="ask_validity"), domain
    )
    assert "3 years" in texts(dispatcher) and "Sources:" in texts(dispatcher)


def test_an_answer_worded_like_a_question_is_left_to_the_form(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"language": "en", "requested_slot": "csq_program", "has_csq": True},
        intent="ask_csq",
        active_loop=FORM,
        entities=[{"entity": "csq_program", "value": "regular_skilled_worker"}],
    )
    _, dispatcher = run(ActionAnswerQuestion(), tracker, domain)
    assert dispatcher.messages == []
