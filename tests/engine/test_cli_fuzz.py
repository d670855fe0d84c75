"""The engine's command line never crashes on what it reads: a result (0) or a one-line error (2)."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.engine_cli import main

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(["residence", "has_csq", "csq_program", "csq_valid", "pr_applied",
                               "pr_decision", "has_invitation", "application_complete", "unknown_field"])
PROFILES = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=6).map(json.dumps)


@settings(max_examples=300, deadline=None)
@given(stdin=st.text(max_size=400) | JSON_VALUES.map(json.dumps) | PROFILES,
       lang=st.sampled_from(["en", "fr"]), on=st.sampled_from([[], ["--on", "2026-01-01"], ["--on", "x"]]))
def test_assess_answers_or_explains(stdin: str, lang: str, on: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(["assess", "--lang", lang, *on], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    assert status in (0, 2), err.getvalue()
    if status == 0:
        assert "verdict" in json.loads(out.getvalue())
    else:
        assert err.getvalue().startswith("error:") and "Traceback" not in err.getvalue()
