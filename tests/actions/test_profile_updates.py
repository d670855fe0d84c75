"""Reading profile facts from one message: entities, yes/no to the question asked, implications."""

from __future__ import annotations

from reading.profile_updates import read_message


def entity(name: str, value: str) -> dict[str, str]:
    return {"entity": name, "value": value}


def test_several_facts_in_one_message_with_implications() -> None:
    reading = read_message(
        "inform",
        [
            entity("residence", "abroad"),
            entity("place", "Tunisia"),
            entity("csq_program", "regular_skilled_worker"),
            entity("has_invitation", "true"),
        ],
        "residence",
    )
    assert reading.updates == {
        "residence": "abroad",
        "csq_program": "regular_skilled_worker",
        "has_invitation": True,
        "has_csq": True,
    }
    assert reading.place == "Tunisia"


def test_yes_and_no_answer_the_question_asked() -> None:
    assert read_message("affirm", [], "has_csq").updates == {"has_csq": True}
    assert read_message("deny", [], "csq_valid").updates == {"csq_valid": False, "has_csq": True}
    assert read_message("deny", [], "pr_decision").updates == {"pr_decision": "none", "pr_applied": True}
    assert read_message("affirm", [], "pr_decision").updates == {}, "yes to 'a decision?' says not which"
    assert read_message("affirm", [], None).updates == {}


def test_stated_facts_beat_a_bare_no() -> None:
    # "Pas encore de décision" to "have you applied?" means applied, no decision.
    reading = read_message("deny", [entity("pr_decision", "none")], "pr_applied")
    assert reading.updates == {"pr_decision": "none", "pr_applied": True}


def test_dont_know_marks_the_question() -> None:
    assert read_message("dont_know", [], "csq_valid").dont_know == "csq_valid"


def test_facts_inside_a_question_are_not_statements() -> None:
    assert read_message("ask_csq", [entity("csq_program", "other")], "residence").updates == {}
    # ...unless they answer the question asked.
    assert (
        read_message("ask_csq", [entity("csq_program", "other")], "csq_program").updates["csq_program"]
        == "other"
    )


def test_bad_values_are_ignored() -> None:
    assert (
        read_message("inform", [entity("residence", "mars"), entity("has_csq", "maybe")], None).updates == {}
    )


def test_a_weak_yes_is_not_taken_as_an_answer() -> None:
    from reading.conversation_state import latest_intent
    from tests.actions.conftest import make_tracker

    weak = make_tracker(intent="affirm", text="hmm")
    weak.latest_message["intent"]["confidence"] = 0.37
    assert latest_intent(weak) == "nlu_fallback"
    assert latest_intent(make_tracker(intent="affirm", text="/affirm")) == "affirm"
