"""The screening form's actions with real Trackers: next question, interruptions, failures, verdict."""

from __future__ import annotations

import datetime as dt
import itertools
from types import ModuleType
from typing import Any

import pytest

from actions.screening import ASK_ACTIONS, ValidateScreeningForm
from actions.verdict import ActionScreeningVerdict, verdict_messages
from eligibility import FIELD_VALUES, PROFILE_FIELDS, Profile, assess
from reading.message_reader import ActionReadMessage
from tests.actions.conftest import make_tracker, run, slot_events

FORM = "screening_form"
# The question kind the shared checker must recognise for each field.
CHECKER_KIND = {
    "residence": "residence",
    "has_csq": "csq",
    "csq_program": "program",
    "csq_valid": "csq_valid",
    "pr_applied": "pr_status",
    "pr_decision": "pr_status",
    "has_invitation": "invitation",
    "application_complete": "complete",
    "status_in_canada": "status_in_canada",
    "pr_filed_while_csq_valid": "pr_status",
}


def test_the_engine_picks_the_next_question(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"residence": "abroad", "requested_slot": "residence"}, intent="inform", active_loop=FORM
    )
    slots = slot_events(run(ValidateScreeningForm(), tracker, domain)[0])
    assert slots["requested_slot"] == "has_csq"
    assert slots["failed_attempts"] == 0


def test_living_in_quebec_ends_the_form_at_once(domain: dict[str, Any]) -> None:
    tracker = make_tracker({"residence": "quebec", "requested_slot": "residence"}, active_loop=FORM)
    slots = slot_events(run(ValidateScreeningForm(), tracker, domain)[0])
    assert slots["requested_slot"] is None
    assert slots["verdict"] == "not_eligible"


def test_a_question_mid_form_is_left_to_the_interruption_rules(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"requested_slot": "has_csq", "residence": "abroad"}, intent="ask_fees", active_loop=FORM
    )
    assert run(ValidateScreeningForm(), tracker, domain)[0] == []


def test_resuming_after_an_interruption_asks_again_without_counting_a_failure(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"requested_slot": "has_csq", "residence": "abroad", "failed_attempts": 1},
        intent="ask_fees",
        active_loop=FORM,
        events=[{"event": "action", "name": "action_answer_question"}],
    )
    slots = slot_events(run(ValidateScreeningForm(), tracker, domain)[0])
    assert slots == {"failed_attempts": 0, "verdict": "need_more_info", "requested_slot": "has_csq"}


def test_unusable_answers_are_counted_then_skipped(domain: dict[str, Any]) -> None:
    slots: dict[str, Any] = {"requested_slot": "residence", "failed_attempts": 0}
    for expected in (1, 2):
        tracker = make_tracker(slots, intent="nlu_fallback", text="blue", active_loop=FORM)
        slots |= slot_events(run(ValidateScreeningForm(), tracker, domain)[0])
        assert slots["failed_attempts"] == expected and slots["requested_slot"] == "residence"
    tracker = make_tracker(slots, intent="nlu_fallback", text="blue", active_loop=FORM)
    slots |= slot_events(run(ValidateScreeningForm(), tracker, domain)[0])
    assert slots["skipped_fields"] == ["residence"]
    assert slots["requested_slot"] != "residence"


def test_read_message_keeps_language_and_takes_facts(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        {"language": "en", "requested_slot": "has_csq"}, intent="affirm", text="oui", active_loop=FORM
    )
    slots = slot_events(run(ActionReadMessage(), tracker, domain)[0])
    assert slots == {"has_csq": True}, "a bare 'oui' answers the question but keeps English"
    tracker = make_tracker({"language": "en"}, intent="switch_language", text="en français svp")
    assert slot_events(run(ActionReadMessage(), tracker, domain)[0]) == {"language": "fr"}
    widget_switch = make_tracker(
        {"language": "fr"},
        intent="switch_language",
        text='/switch_language{"language": "en"}',
        entities=[{"entity": "language", "value": "en"}],
    )
    assert slot_events(run(ActionReadMessage(), widget_switch, domain)[0]) == {"language": "en"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_every_question_is_recognisable_in_both_languages(
    field: str, lang: str, domain: dict[str, Any], converse: ModuleType
) -> None:
    for failures in (0, 1, 2):
        tracker = make_tracker(
            {"language": lang, "failed_attempts": failures, "requested_slot": field}, active_loop=FORM
        )
        _, dispatcher = run(ASK_ACTIONS[field](), tracker, domain)
        message = dispatcher.messages[0]
        kind = next(
            k for k, pattern in converse.QUESTION_KINDS if converse.re.search(pattern, message["text"], 2)
        )
        assert kind == CHECKER_KIND[field], message["text"]
        assert converse.language_of(message["text"]) == lang
        assert converse.classify(message["text"]) is None, "a question must not read as a verdict"
        assert any(b["payload"] == "/dont_know" for b in message["buttons"]) or field == "residence"


def all_profiles() -> list[Profile]:
    values = [(None, *FIELD_VALUES[name]) for name in PROFILE_FIELDS]
    return [
        Profile(**{k: v for k, v in zip(PROFILE_FIELDS, combo, strict=False) if v is not None})
        for combo in itertools.product(*values)
    ]


def checker_reading(converse: ModuleType, reply: str) -> str | None:
    """What the shared checker reads in a reply: a verdict, or "unsure" (no question left, the outcome said
    to be unconfirmed), as its run_persona does."""
    verdict = converse.classify(reply)
    questions = [q for q in converse.re.split(r"(?<=[.!?\n])\s+", reply) if "?" in q]
    asks = any(converse.re.search(p, q, converse.re.I) for q in questions for _, p in converse.QUESTION_KINDS)
    without_links = converse.re.sub(r"https?://\S+", "", reply)
    if verdict is None and not asks and converse.UNSURE.search(reply) \
            and converse.ELIGIBILITY_WORDS.search(without_links):
        return "unsure"
    return verdict


def test_every_final_verdict_reads_right_to_the_checker(converse: ModuleType) -> None:
    expected = {"eligible": "eligible", "not_eligible": "not_eligible", "not_yet": "not_eligible",
                "unconfirmed": "unsure", "need_more_info": "unsure"}
    seen = set()
    for index, profile in enumerate(all_profiles()[::37]):
        skip = ["pr_filed_while_csq_valid", "status_in_canada"] if index % 3 == 0 else []
        assessment = assess(profile, on=dt.date(2026, 11, 29), skip=skip)
        if assessment.next_question is not None:
            continue
        for lang in ("en", "fr"):
            reply = "\n".join(verdict_messages(assessment, lang, "Lyon, France"))
            assert checker_reading(converse, reply) == expected[assessment.verdict], reply
            assert converse.language_of(reply) == lang
            seen.add((assessment.verdict, lang))
    assert len(seen) == 10


def test_verdict_action_speaks_the_person_language(domain: dict[str, Any]) -> None:
    slots = {"language": "fr", "residence": "quebec", "place": "Gatineau, Québec"}
    events, dispatcher = run(ActionScreeningVerdict(), make_tracker(slots), domain)
    joined = "\n".join(m["text"] for m in dispatcher.messages)
    assert "n'êtes pas admissible" in joined and "Gatineau" in joined and "https://" in joined
    assert slot_events(events)["verdict"] == "not_eligible"


def test_quebec_is_spelt_one_way_in_english(domain: dict[str, Any]) -> None:
    slots = {"language": "en", "residence": "quebec", "place": "Gatineau, Québec"}
    _, dispatcher = run(ActionScreeningVerdict(), make_tracker(slots), domain)
    english = "\n".join(m["text"] for m in dispatcher.messages)
    assert "(Gatineau, Quebec)" in english and "Québec Selection" not in english
    _, dispatcher = run(ActionScreeningVerdict(), make_tracker({**slots, "language": "fr"}), domain)
    assert "(Gatineau, Québec)" in "\n".join(m["text"] for m in dispatcher.messages)
