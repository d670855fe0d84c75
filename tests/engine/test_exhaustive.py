"""Every combination of answers checked against the plain oracle in tests/engine/oracle.py."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from eligibility import PROFILE_FIELDS, QUESTION_ORDER, assess
from eligibility.rules import SEVERITY, final_verdict
from tests.engine import oracle
from tests.engine.conftest import KEY_DATES, every_profile

ALL = every_profile()


def test_the_oracle_covers_the_engine_fields() -> None:
    assert tuple(oracle.ORDER) == PROFILE_FIELDS == QUESTION_ORDER
    assert len(ALL) == 279_936


@pytest.mark.parametrize("on, share", [(dt.date(2026, 11, 29), 1.0), (dt.date(2024, 6, 1), 0.15)])
def test_every_profile_matches_the_oracle(on: dt.date, share: float) -> None:
    """Every criterion of every profile (today; a share of them before the PSTQ existed) as FACTS.md states
    it; a final verdict holds for a way of answering the rest (a sample below checks that it holds for
    every way); need_more_info always has a question."""
    rng = random.Random(on.toordinal())
    for p in ALL if share == 1.0 else rng.sample(ALL, int(len(ALL) * share)):
        result = assess(p, on)
        got = {c.id: c.status for c in result.criteria}
        assert got == oracle.statuses(p), p
        assert (result.verdict == "eligible") == all(s == "met" for s in got.values()), p
        if result.verdict != "need_more_info":
            assert result.next_question is None, p
            completion = {f: v if v is not None else rng.choice(oracle.FIELDS[f]) for f, v in p.items()}
            assert result.verdict == oracle.final_verdict(completion), (p, completion)
        else:
            assert result.next_question is not None, f"nothing left to ask but no verdict: {p}"
        question = result.next_question
        if question is not None:
            assert p[question] is None, p
            follow = oracle.FOLLOW_UPS.get(question, {})
            assert all(p[field] == value for field, value in follow.items()), p


def test_the_verdict_is_what_every_way_of_answering_agrees_on() -> None:
    """On a sample, the engine's verdict is the oracle's brute force over every completion."""
    rng = random.Random(20261129)
    on = dt.date(2026, 11, 29)
    for p in rng.sample(ALL, 2500):
        assert assess(p, on).verdict == oracle.verdict_by_completion(p), p


def test_the_status_rule_is_exact_when_no_unsure_criterion_is_left_open() -> None:
    """Without an unknown criterion, or without any unsure one, the plain status rule of the brief gives
    the verdict every completion agrees on (unsure is what needs the brute force)."""
    rng = random.Random(20261124)
    for p in rng.sample(ALL, 600):
        statuses = oracle.statuses(p)
        if "unknown" not in statuses.values() or "unsure" not in statuses.values():
            assert oracle.verdict(p) == oracle.verdict_by_completion(p), p


def test_next_question_is_the_first_field_that_can_change_the_verdict() -> None:
    rng = random.Random(7)
    on = dt.date(2026, 11, 29)
    sample = rng.sample(ALL, 400)
    for p in sample:
        skip = set(rng.sample(PROFILE_FIELDS, rng.choice((0, 0, 1, 2))))
        assert assess(p, on, skip).next_question == oracle.expected_question(p, skip), (p, skip)


def test_whole_interview_always_ends() -> None:
    """Answering each next question (any answer) ends with a final verdict within ten questions."""
    on = dt.date(2026, 11, 29)
    rng = random.Random(3)
    for _ in range(2000):
        answers: dict[str, object] = {}
        for _step in range(len(PROFILE_FIELDS) + 1):
            result = assess(answers, on)
            if result.next_question is None:
                break
            answers[result.next_question] = rng.choice(oracle.FIELDS[result.next_question])
        assert result.next_question is None
        assert result.verdict in ("eligible", "not_eligible", "not_yet", "unconfirmed"), answers


def test_final_verdict_is_monotonic() -> None:
    """A better worst status (met < unsure < unmet) never makes the verdict worse."""
    rank = {"not_eligible": 0, "unconfirmed": 1, "not_yet": 1, "eligible": 2}
    levels = sorted(SEVERITY, key=SEVERITY.get)
    for hard, steps in itertools.product(levels, levels):
        before = rank[final_verdict(hard, steps)]
        for better in levels[: levels.index(hard)]:
            assert rank[final_verdict(better, steps)] >= before
        for better in levels[: levels.index(steps)]:
            assert rank[final_verdict(hard, better)] >= before
    assert final_verdict("unsure", "unmet") == "unconfirmed"  # never refused on a rule nobody confirmed


@pytest.mark.parametrize("on", KEY_DATES)
def test_dates_change_notes_never_rules(on: dt.date) -> None:
    """The rules' outcomes have not changed with dates so far (the pilot's closing, the PSTQ's start)."""
    rng = random.Random(on.toordinal())
    baseline = dt.date(2026, 11, 29)
    for p in rng.sample(ALL, 3000):
        assert assess(p, on).verdict == assess(p, baseline).verdict, p
