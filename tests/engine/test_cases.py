"""Runs the named YAML cases in tests/engine/cases (OpenFisca-style: name, date, input, expected)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from eligibility import assess
from tests.engine.conftest import CASES

KNOWN_EXPECTATIONS = {"verdict", "next_question", "criteria", "alternatives", "caveats", "cap",
                      "reason_contains", "note_contains"}


def load_cases() -> list[Any]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, Any]) -> None:
    expected = case["expected"]
    assert set(expected) <= KNOWN_EXPECTATIONS, f"typo in case keys: {set(expected) - KNOWN_EXPECTATIONS}"
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    result = assess(case.get("input") or {}, on, skip=case.get("skip", ()))

    assert result.verdict == expected["verdict"]
    if "next_question" in expected:
        assert result.next_question == expected["next_question"]
    statuses = {c.id: c.status for c in result.criteria}
    for criterion, status in expected.get("criteria", {}).items():
        assert statuses[criterion] == status, criterion
    if "alternatives" in expected:
        assert [n.id for n in result.alternatives] == expected["alternatives"]
    if "caveats" in expected:
        assert [n.id for n in result.caveats] == expected["caveats"]
    if "cap" in expected:
        assert result.cap.value == expected["cap"]
    for criterion, words in expected.get("reason_contains", {}).items():
        assert words in result.criterion(criterion).reason.en
    notes = {n.id: n for n in result.alternatives + result.caveats}
    for note_id, words in expected.get("note_contains", {}).items():
        assert words in notes[note_id].text.en
