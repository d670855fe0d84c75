"""Odd inputs, offsets into the original text and speed of the extractor (folding: tests/i18n)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu_components import facts
from nlu_components.facts import Fact, extract_facts
from places import gazetteer
from tests.nlu_components.fact_helpers import fact_for, facts_by_field

# --- odd inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t", "???", "...", "😀", "<br/>", "IMP+", "🇨🇦🇫🇷"])
def test_empty_and_symbol_only_inputs(text: str) -> None:
    """Nothing to extract and no error."""
    assert extract_facts(text) == []


def test_huge_input_is_fast_and_empty() -> None:
    """The brief's 15,000-character message: no error, no fact, well under a second."""
    text = "IMP+ " * 3000
    started = time.perf_counter()
    assert extract_facts(text) == []
    assert time.perf_counter() - started < 1.0


def test_huge_input_with_facts_at_both_ends() -> None:
    """Facts are found in a long message too; the last statement of a field wins."""
    text = "I live in Lyon. " + "blah " * 2500 + " I have a CSQ."
    found = facts_by_field(text)
    assert found["residence"] == "abroad" and found["has_csq"] == "true"


def test_emoji_around_place() -> None:
    """Emoji are separators; offsets still point at the place."""
    text = "🇨🇦🙂 j'habite à Montréal 🎉🎉"
    fact = fact_for(text, "residence")
    assert fact is not None and fact.value == "quebec" and text[fact.start:fact.end] == "Montréal"


def test_html_markup() -> None:
    """Tags do not glue words together."""
    text = "<p>I live in <b>Gatineau</b> and I have a <i>CSQ</i></p>"
    found = facts_by_field(text)
    assert found["residence"] == "quebec" and found["has_csq"] == "true"
    fact = fact_for(text, "residence")
    assert fact is not None and fact.text == "Gatineau"


def test_decomposed_accents() -> None:
    """NFD input (e + combining accent) matches and the span keeps the accent."""
    text = "j'habite a\u0300 Trois-Rivie\u0300res"
    fact = fact_for(text, "residence")
    assert fact is not None and fact.value == "quebec"
    assert fact.text == "Trois-Rivie\u0300res"


def test_curly_apostrophes_and_capitals() -> None:
    """’ behaves like ' and case does not matter."""
    assert facts_by_field("JE N’AI PAS DE CSQ") == {"has_csq": "false"}


# --- offsets -------------------------------------------------------------------------------

AI_PILOT_FR = ("Programme pilote d'immigration permanente des travailleurs des secteurs de l'intelligence "
               "artificielle, des technologies de l'information et des effets visuels")
OFFSET_CASES = [
    ("I live in Tunisia, I have a CSQ under the regular program and the MIFI letter",
     {"residence": "Tunisia", "place": "Tunisia", "has_csq": "have a CSQ", "csq_program": "regular program",
      "has_invitation": "MIFI letter"}),
    ("J'habite à Alger, en Algérie", {"residence": "Alger, en Algérie"}),
    ("London, Ontario", {"residence": "London, Ontario", "place": "London, Ontario"}),
    ("Je n'ai pas encore déposé ma demande de RP", {"pr_applied": "n'ai pas encore déposé ma demande de RP"}),
    ("I'm not in Canada", {"residence": "not in Canada"}),
    ("I'm in Canada as a visitor", {"status_in_canada": "m in Canada as a visitor"}),
    ("Je n'ai pas de permis de travail", {"status_in_canada": "n'ai pas de permis de travail"}),
    ("I got my CSQ via Arrima", {"csq_program": "via Arrima"}),
    (AI_PILOT_FR, {"csq_program": AI_PILOT_FR}),
    ("I filed my PR before my CSQ expired", {"pr_applied": "filed my PR",
                                             "pr_filed_while_csq_valid": "before my CSQ expired"}),
    ("chu à Mtl", {"residence": "Mtl"}),
    ("I live in B.C.", {"residence": "B.C."}),
    ("  spaces   before   Sherbrooke  ", {"residence": "Sherbrooke"}),
]


@pytest.mark.parametrize(("text", "spans"), OFFSET_CASES, ids=[c[0][:40] for c in OFFSET_CASES])
def test_offsets_point_at_original_text(text: str, spans: dict[str, str]) -> None:
    """start/end index the original string and `text` is that substring."""
    found = {f.field: f for f in extract_facts(text)}
    for field, expected in spans.items():
        fact = found[field]
        assert text[fact.start:fact.end] == fact.text == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_consistent_facts(text: str) -> None:
    """Property: never raises, spans are inside the text and values are from the allowed sets."""
    allowed = {
        "residence": {"quebec", "other_province", "abroad"},
        "status_in_canada": {"work_or_study_permit", "visitor", "none"},
        "csq_program": {"regular_skilled_worker", "pstq", "ai_it_vfx_pilot", "peq", "other"},
        "pr_decision": {"none", "approved", "refused"},
    }
    for fact in extract_facts(text):
        assert isinstance(fact, Fact)
        assert 0 <= fact.start <= fact.end <= len(text)
        assert text[fact.start:fact.end] == fact.text
        if fact.field in allowed:
            assert fact.value in allowed[fact.field]
        elif fact.field != "place":
            assert fact.value in ("true", "false")


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["I live in ", "j'habite à ", "I'm in ", "je suis à "]),
    st.sampled_from(["Gatineau", "Ottawa", "Lyon", "Montréal", "Toronto", "Tunis", "Sherbrooke"]),
    st.sampled_from(["", ".", "!", " 🙂", " now", " maintenant"]),
)
def test_place_sentences_property(prefix: str, city: str, suffix: str) -> None:
    """Property: a residence sentence always gives the city's residence and the city's span."""
    residences = {"Gatineau": "quebec", "Montréal": "quebec", "Sherbrooke": "quebec", "Lyon": "abroad",
                  "Ottawa": "other_province", "Toronto": "other_province", "Tunis": "abroad"}
    expected = residences[city]
    text = prefix + city + suffix
    fact = fact_for(text, "residence")
    assert fact is not None and fact.value == expected and fact.text == city


# --- data and performance ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["I have a ", "j'ai un ", "I'm on a ", "je suis avec un ", "no ", "je n'ai pas de ",
                     "I'm in Canada as a ", "my ", "mon "]),
    st.sampled_from(["work permit", "PGWP", "permis d'études", "visitor record", "fiche de visiteur",
                     "visitor", "touriste", "PSTQ", "PEQ", "status", "statut"]),
    st.sampled_from(["", ".", "!", " expired", " est expiré", " now", " 🙂"]),
)
def test_status_and_program_values_property(prefix: str, thing: str, suffix: str) -> None:
    """Property: status and program phrases only ever give values the profile allows."""
    for fact in extract_facts(prefix + thing + suffix):
        if fact.field in facts.FIELD_VALUES:
            assert fact.value in facts.FIELD_VALUES[fact.field], fact


def test_load_time_under_ten_seconds() -> None:
    """Building the gazetteer and the patterns from scratch stays under 10 s."""
    started = time.perf_counter()
    gazetteer.build_gazetteer()
    facts.build_engine()
    assert time.perf_counter() - started < 10.0


def test_patterns_pass_spacy_validation() -> None:
    """The run-time build skips spaCy's pattern schema check; every compiled pattern still passes it."""
    engine = facts.build_engine(validate=True)
    assert engine.pattern_count > 1000


def test_per_call_time_under_five_ms() -> None:
    """A typical sentence takes well under 5 ms once loaded."""
    facts.warm_up()
    sentences = [
        "I live in Tunisia, I have a CSQ under the regular program and the MIFI letter",
        "J'habite à Alger, en Algérie",
        "je n'ai pas encore déposé ma demande de RP",
        "what is IMP+?",
    ]
    for text in sentences:
        extract_facts(text)
    rounds = 100
    started = time.perf_counter()
    for _ in range(rounds):
        for text in sentences:
            extract_facts(text)
    per_call = (time.perf_counter() - started) / (rounds * len(sentences))
    assert per_call < 0.005
