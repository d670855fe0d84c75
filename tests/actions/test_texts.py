"""The message catalogs: the same keys in both languages, and every answer renders with real data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actions.answers import QUESTION_INTENTS, answer_messages
from actions.program_facts import format_number
from actions.texts import catalog


def keys(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return set().union(*(keys(value, f"{prefix}{key}.") for key, value in node.items())) | {prefix}
    if isinstance(node, list):
        return {f"{prefix}[{len(node)}]"} | set().union(
            *(keys(v, f"{prefix}{i}.") for i, v in enumerate(node))
        )
    return {prefix}


def test_english_and_french_catalogs_have_the_same_keys() -> None:
    assert keys(catalog("en")) == keys(catalog("fr"))


def test_every_question_intent_of_the_domain_has_an_answer(domain: dict[str, Any]) -> None:
    asked = {intent for intent in domain["intents"] if intent.startswith("ask_")}
    assert asked == set(QUESTION_INTENTS)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("intent", QUESTION_INTENTS)
def test_every_answer_renders_with_its_sources(intent: str, lang: str) -> None:
    body, sources = answer_messages(intent, lang)
    assert body and "{" not in body and "None" not in body
    assert "https://" in sources


def test_cap_answer_follows_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "7,350" in answer_messages("ask_cap", "en")[0]
    assert "14,700" in answer_messages("ask_cap", "en")[0]
    assert "7\u202f350" in answer_messages("ask_cap", "fr")[0]
    monkeypatch.setenv("IMPPLUS_TODAY", "2022-06-01")
    assert f"In {dt.date(2022, 6, 1).year}, IMP+ accepts up to 14,700" in answer_messages("ask_cap", "en")[0]


def test_numbers_are_formatted_per_language() -> None:
    assert format_number(7350, "en") == "7,350"
    assert format_number(7350, "fr") == "7\u202f350"


def test_no_program_number_is_written_in_the_messages() -> None:
    """Facts live once, in the engine's data: the catalogs may only name them as {placeholders}."""
    import re

    from actions.texts import TEXTS_DIR
    from eligibility import load_program

    program = load_program()
    numbers = {
        str(dated.value)
        for key in program.keys()
        for dated in program.history(key)
        if isinstance(dated.value, int) and not isinstance(dated.value, bool) and dated.value >= 10
    }
    assert {"7350", "14700", "155"} <= numbers
    for path in TEXTS_DIR.glob("*.yml"):
        digits = {
            match.replace(",", "").replace(" ", "") for match in re.findall(r"\d[\d, ]*\d", path.read_text())
        }
        assert not numbers & digits, f"{path.name} writes program numbers itself: {numbers & digits}"
