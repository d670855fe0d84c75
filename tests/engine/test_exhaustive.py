"""Every combination of answers checked against the plain oracle in tests/engine/oracle.py."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from eligibility import PROFILE_FIELDS, QUESTION_ORDER, assess
from eligibility.rules import RULES, verdict_of
from tests.engine import oracle
from tests.engine.conftest import KEY_DATES, every_profile

ALL = every_profile()
RANK = {"not_eligible": 0, "need_more_info": 1, "not_yet": 1, "eligible": 2}
KINDS = {r.id: r.kind for r in RULES}


def test_the_oracle_covers_the_engine_fields() -> None:
    assert tuple(oracle.ORDER) == PROFILE_FIELDS == QUESTION_ORDER
    assert len(ALL) == 46_656


@pytest.mark.parametrize("on", [dt.date(2024, 6, 1), dt.date(2026, 11, 24)])
def test_every_profile_matches_the_oracle(on: dt.date) -> None:
    for p in ALL:
        result = assess(p, on)
        got = {c.id: c.status for c in result.criteria}
        assert got == oracle.statuses(p), p
        assert result.verdict == oracle.verdict(p), p
        assert result.verdict == verdict_of(got, KINDS), p
        assert (result.verdict == "eligible") == all(s == "met" for s in got.values()), p
        if result.verdict != "need_more_info":
            assert result.next_question is None, p
        else:
            assert result.next_question is not None, f"nothing left to ask but no verdict: {p}"
        question = result.next_question
        if question is not None:
            assert p[question] is None, p
            follow = oracle.FOLLOW_UPS.get(question)
            assert follow is None or p[follow[0]] == follow[1], p


def test_verdict_from_statuses_equals_agreement_of_all_completions() -> None:
    """The status rule gives what every way of answering the unknown fields agrees on."""
    rng = random.Random(20261124)
    for p in rng.sample(ALL, 600):
        assert oracle.verdict(p) == oracle.verdict_by_completion(p), p


def test_next_question_is_the_first_field_that_can_change_the_verdict() -> None:
    rng = random.Random(7)
    on = dt.date(2026, 11, 24)
    sample = rng.sample(ALL, 500)
    for p in sample:
        skip = set(rng.sample(PROFILE_FIELDS, rng.choice((0, 0, 1, 2))))
        assert assess(p, on, skip).next_question == oracle.expected_question(p, skip), (p, skip)


def test_whole_interview_always_ends() -> None:
    """Answering each next question (any answer) ends with a final verdict within nine questions."""
    on = dt.date(2026, 11, 24)
    rng = random.Random(3)
    for _ in range(2000):
        answers: dict[str, object] = {}
        for _step in range(len(PROFILE_FIELDS) + 1):
            result = assess(answers, on)
            if result.next_question is None:
                break
            answers[result.next_question] = rng.choice(oracle.FIELDS[result.next_question])
        assert result.next_question is None
        assert result.verdict in ("eligible", "not_eligible", "not_yet"), answers


def test_verdict_function_is_monotonic_in_statuses() -> None:
    """Turning any unmet criterion into met never makes the verdict worse (and keeps eligible eligible)."""
    ids = [r.id for r in RULES]
    for combo in itertools.product(("met", "unmet", "unknown"), repeat=len(ids)):
        statuses = dict(zip(ids, combo, strict=True))
        before = verdict_of(statuses, KINDS)
        for name, status in statuses.items():
            if status != "met":
                after = verdict_of({**statuses, name: "met"}, KINDS)
                assert RANK[after] >= RANK[before], (statuses, name)
                if before == "eligible":
                    assert after == "eligible"


@pytest.mark.parametrize("on", KEY_DATES)
def test_dates_change_notes_never_rules(on: dt.date) -> None:
    """The rules read no date-dependent value except the list of accepted programs, unchanged so far."""
    rng = random.Random(on.toordinal())
    for p in rng.sample(ALL, 3000):
        assert assess(p, on).verdict == oracle.verdict(p)
