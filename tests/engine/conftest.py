"""Shared fixtures for the engine tests."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from eligibility import ProgramData, load_program
from tests.engine.oracle import FIELDS, ORDER

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
REPO = HERE.parents[1]

# Dates that matter to the data: before/after the PSTQ change, the pilot closing, the 2026 public policy.
KEY_DATES = (
    dt.date(2022, 6, 1),
    dt.date(2024, 6, 1),
    dt.date(2025, 6, 1),
    dt.date(2026, 6, 1),
    dt.date(2026, 11, 24),
    dt.date(2026, 11, 29),
    dt.date(2027, 2, 1),
)


def every_profile() -> list[dict[str, object]]:
    """All 279,936 profiles: every field unknown or any of its values."""
    choices = [(None, *FIELDS[name]) for name in ORDER]
    return [dict(zip(ORDER, combo, strict=True)) for combo in itertools.product(*choices)]


@pytest.fixture(scope="session")
def program() -> ProgramData:
    return load_program()
