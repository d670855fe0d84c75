"""Property tests (hypothesis) over random profiles, skipped fields and dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility import FIELD_VALUES, PROFILE_FIELDS, assess, load_program
from tests.engine import oracle
from tests.engine.strategies import dates, profiles, skips

RANK = {"not_eligible": 0, "need_more_info": 1, "not_yet": 1, "unconfirmed": 1, "eligible": 2}
STATUS_RANK = {"unmet": 0, "unknown": 1, "unsure": 1, "met": 2}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(profiles, dates, skips)
def test_eligible_exactly_when_every_criterion_is_met(p: dict, on: dt.date, skip: set) -> None:
    result = assess(p, on, skip)
    assert (result.verdict == "eligible") == all(c.status == "met" for c in result.criteria)


@SETTINGS
@given(profiles, dates, st.sampled_from(PROFILE_FIELDS), st.data())
def test_improving_answers_never_worsen_the_verdict(
    p: dict, on: dt.date, field: str, data: st.DataObject
) -> None:
    """Change one answer; if no criterion got worse, the verdict is no worse (and eligible stays eligible)."""
    other = data.draw(st.sampled_from((None, *FIELD_VALUES[field])))
    before = assess(p, on)
    after = assess({**p, field: other}, on)
    pairs = list(zip(before.criteria, after.criteria, strict=True))
    # unknown and unsure rank alike but are not comparable: require each to stay or become met
    if all(STATUS_RANK[b.status] < STATUS_RANK[a.status] or b.status == a.status for b, a in pairs):
        assert RANK[after.verdict] >= RANK[before.verdict]
        if before.verdict == "eligible":
            assert after.verdict == "eligible"


@SETTINGS
@given(profiles, dates, skips)
def test_next_question_is_unknown_unskipped_and_can_change_the_verdict(
    p: dict, on: dt.date, skip: set
) -> None:
    question = assess(p, on, skip).next_question
    if question is None:
        return
    assert p[question] is None
    assert question not in skip
    # Some answer to it, with the same answers to the other unknown fields, gives another verdict.
    assert question in oracle.can_change_verdict(p)
    # And the question is the first such field in the fixed order.
    assert question == oracle.expected_question(p, skip)


@SETTINGS
@given(profiles, dates, skips)
def test_same_input_same_output(p: dict, on: dt.date, skip: set) -> None:
    first = assess(p, on, skip)
    again = assess(dict(reversed(list(p.items()))), on, sorted(skip, reverse=True))
    assert first.to_dict() == again.to_dict()
    assert first == again


@SETTINGS
@given(profiles, dates)
def test_a_final_verdict_asks_nothing(p: dict, on: dt.date) -> None:
    result = assess(p, on)
    if result.verdict in ("eligible", "not_eligible", "not_yet", "unconfirmed"):
        assert result.next_question is None
    else:
        assert result.next_question is not None  # without skips there is always something to ask


@SETTINGS
@given(profiles, dates, skips)
def test_result_is_consistent_with_its_own_data(p: dict, on: dt.date, skip: set) -> None:
    result = assess(p, on, skip)
    assert result.on == on
    assert result.cap.value in {entry.value for entry in load_program().history("cap")}
    assert result.last_checked <= min(n.last_checked for n in result.alternatives + result.caveats
                                      or [result.cap])
    for criterion in result.criteria:
        assert criterion.sources and criterion.reference == criterion.sources[0].reference
        assert criterion.reason.en and criterion.reason.fr
        # an unsure criterion rests on a fact the data marks unsure, or on none in force that day
        if criterion.status == "unsure":
            assert any(s.confidence == "unsure" for s in criterion.sources) or on < dt.date(2024, 11, 29)
    if result.verdict == "eligible":
        assert result.alternatives == ()
    if on >= dt.date(2025, 1, 1):  # since no source says whether IMP+ still takes applications
        assert result.program_status is not None and result.program_status.confidence == "unsure"
