"""The message catalogs: the same keys in both languages, one term for who may advise, no program fact
written in them, and values filled in with the one placeholder syntax."""

from __future__ import annotations

import re
from typing import Any

import pytest

from eligibility import load_program
from i18n.catalog import MESSAGES_DIR, catalog, entry, text


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


def test_the_screening_questions_are_not_in_the_catalog() -> None:
    """Each profile field's question lives with its criterion, in eligibility/data/texts.yaml (checked by
    tests/engine/test_wording.py); the booking's own questions stay here."""
    for lang in ("en", "fr"):
        assert "questions" not in catalog(lang)
        assert "lead_name" in entry(lang, "booking.questions")


def test_one_term_for_who_may_advise() -> None:
    """Each catalog names "licensed immigration consultant (RCIC) or lawyer" one way, from terms.advisor."""
    for lang, term, loose in (("en", "licensed immigration consultant (RCIC) or lawyer",
                               r"licensed consultant|immigration consultant(?! \(RCIC\))"),
                              ("fr", "consultant réglementé en immigration canadienne (CRIC) ou avocat",
                               r"consultant autorisé|consultant en immigration autorisé")):
        assert catalog(lang)["terms"]["advisor"] == term
        assert term in text(lang, "advice") and term in text(lang, "verdict.disclaimer")
        raw = (MESSAGES_DIR / f"{lang}.yml").read_text(encoding="utf-8")
        assert not re.search(loose, raw), re.search(loose, raw)


def test_no_program_number_is_written_in_the_messages() -> None:
    """Facts live once, in the engine's data: the catalogs may only name them as {placeholders}."""
    program = load_program()
    numbers = {
        str(dated.value)
        for key in program.keys()
        for dated in program.history(key)
        if isinstance(dated.value, int) and not isinstance(dated.value, bool) and dated.value >= 10
    }
    assert {"7350", "14700", "155"} <= numbers
    for path in MESSAGES_DIR.glob("*.yml"):
        digits = {
            match.replace(",", "").replace(" ", "") for match in re.findall(r"\d[\d, ]*\d", path.read_text())
        }
        assert not numbers & digits, f"{path.name} writes program numbers itself: {numbers & digits}"


def test_values_fill_placeholders_and_program_facts_wait_for_the_engine() -> None:
    assert "were last checked more than 3 days ago" in text("en", "sources.stale", days=3)
    assert "{days}" in text("en", "sources.stale")  # no values: left as written
    with pytest.raises(KeyError):
        text("en", "sources.line", number=1)  # a value is missing
    assert "{program_status}" in entry("en", "answers.ask_what_is")


def test_an_unknown_language_reads_the_default_catalog() -> None:
    assert text("de", "guard.unavailable") == text("en", "guard.unavailable")
