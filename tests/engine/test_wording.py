"""Wording rules for every text the engine or the FAQ can show, in both languages and on every key date,
and the loader's checks on the profile fields' questions.

A black-box checker reads verdicts from sentences: outside a hedged sentence (whether / if / check /
see / verify / determine, or their French forms) no text may say someone is or is not eligible. The
questions are held to the same rule: they live in the same file and their `help` and `why` are shown
mid-screening, where a checker reads every reply.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from eligibility import (
    PROFILE_FIELDS,
    DataFileError,
    ProfileError,
    Question,
    Text,
    assess,
    load_program,
    question,
)
from eligibility.dated_context import Context
from eligibility.rules import RULES
from eligibility.wording import DEFAULT_TEXTS, load_texts
from tests.engine.conftest import KEY_DATES
from tests.engine.test_data import _DELETE, _raw, _set

# The checker's reading, as the brief states it.
NEGATIVE = re.compile(
    r"\b(not|n't|ne|pas|non)\b[^.!?\n]{0,60}\b(eligible|admissible|qualif\w*|meet|remplissez|satisfai\w*)"
    r"|\bineligible\b|\binadmissible\b|\bnot yet\b|\bpas encore\b", re.I)
POSITIVE = re.compile(
    r"\b(eligible|admissible|qualif(y|iez))\b|\bmeet (all )?(of )?(the )?(criteria|requirements|conditions)"
    r"|remplissez (tous )?(les )?(crit[èe]res|conditions|exigences)", re.I)
HEDGE = re.compile(r"\b(whether|if|si|check|checking|v[ée]rifi\w*|determine|d[ée]terminer|see|voir)\b", re.I)
NEVER = re.compile(r"\bnot yet\b|\bpas encore\b|\bineligible\b|\binadmissible\b", re.I)

DATES = sorted({*KEY_DATES, dt.date(2024, 11, 28), dt.date(2024, 11, 29), dt.date(2025, 12, 31),
                dt.date(2026, 1, 1), dt.date(2026, 3, 13), dt.date(2026, 12, 31), dt.date(2027, 1, 1)})


def sentences(text: str) -> list[str]:
    """Sentences as the checker splits them, then split again at ; and : to be stricter than it is."""
    parts = []
    for sentence in re.split(r"(?<=[.!?\n])\s+", text):
        parts.extend(p for p in re.split(r"[;:]", sentence) if p.strip())
    return parts


def reads_as_verdict(text: str) -> str | None:
    for sentence in sentences(text):
        if "?" in sentence or HEDGE.search(sentence):
            continue
        if NEGATIVE.search(sentence):
            return f"negative: {sentence!r}"
        if POSITIVE.search(sentence):
            return f"positive: {sentence!r}"
    return None


def shown_texts(on: dt.date) -> list[tuple[str, str, Text]]:
    """(where, status, text) for every reason and note the engine can show on a date, already worded."""
    program = load_program()
    ctx = Context(program, load_texts(program), on)
    found = []
    for _get, table in ctx.rule_lookups:
        for criterion in set(table.values()):
            found.append((f"criteria.{criterion.id}", criterion.status, criterion.reason))
    texts = load_texts(program)
    for group in ("alternatives", "caveats"):
        for note_id in getattr(texts, group):
            note = ctx.note(group, note_id)
            if note is not None:
                found.append((f"{group}.{note_id}", "note", note.text))
    return found


@pytest.mark.parametrize("on", DATES, ids=str)
def test_engine_texts_never_read_as_a_verdict(on: dt.date) -> None:
    for where, status, text in shown_texts(on):
        for lang in ("en", "fr"):
            body = text.in_(lang)
            assert not NEVER.search(body), (where, lang, body)
            assert reads_as_verdict(body) is None, (where, lang, reads_as_verdict(body))
            if status == "met":
                assert not NEGATIVE.search(body) and not POSITIVE.search(body), (where, lang, body)
            assert "{" not in body and "}" not in body, (where, lang, body)


@pytest.mark.parametrize("on", DATES, ids=str)
def test_every_rule_outcome_that_can_occur_is_worded_in_both_languages(on: dt.date) -> None:
    """Building a date's tables words every outcome the data makes possible (a missing one raises)."""
    for where, _status, text in shown_texts(on):
        assert text.en.strip() and text.fr.strip() and text.en != text.fr, where


def test_no_reason_is_written_for_an_outcome_no_rule_gives() -> None:
    program = load_program()
    texts = load_texts(program)
    possible = set().union(*(Context(program, texts, on).outcomes for on in DATES))
    written = {(rule.id, outcome) for rule in RULES for outcome in texts.criteria[rule.id]}
    assert written == possible, (written - possible, possible - written)


def test_program_texts_never_read_as_a_verdict() -> None:
    """FAQ answers quote these values mid-conversation, so the same rule applies."""
    program = load_program()
    for key in program.keys():
        for entry in program.history(key):
            pieces = []
            if isinstance(entry.value, Text):
                pieces.append(entry.value)
            if isinstance(entry.value, tuple):
                pieces.extend(entry.value)
            if entry.note is not None:
                pieces.append(entry.note)
            for text in pieces:
                for lang in ("en", "fr"):
                    body = text.in_(lang)
                    assert not NEVER.search(body), (key, lang)
                    assert reads_as_verdict(body) is None, (key, lang, reads_as_verdict(body))


@pytest.mark.parametrize("on", DATES, ids=str)
def test_caveats_are_hedged(on: dt.date) -> None:
    for where, _status, text in shown_texts(on):
        if where.startswith("caveats."):
            assert re.search(r"could not confirm|check", text.en), (where, text.en)
            assert re.search(r"pas pu|vérifiez", text.fr), (where, text.fr)


def test_the_pilot_is_told_in_the_past_tense_once_closed() -> None:
    profile = {"residence": "abroad", "has_csq": True, "csq_program": "ai_it_vfx_pilot"}
    before = assess(profile, dt.date(2025, 12, 31)).criterion("eligible_program")
    after = assess(profile, dt.date(2026, 1, 1)).criterion("eligible_program")
    assert before.status == after.status == "met"
    assert "is scheduled to close to new applications on January 1, 2026" in before.reason.en
    assert "doit fermer aux nouvelles demandes le 1er janvier 2026" in before.reason.fr
    assert "closed to new applications on January 1, 2026" in after.reason.en
    assert "scheduled" not in after.reason.en
    assert "a fermé aux nouvelles demandes le 1er janvier 2026" in after.reason.fr


def test_an_expired_csq_is_never_assumed_to_count() -> None:
    """With a PR application in process, whether it was filed while the CSQ was valid is asked: never
    assumed."""
    on = dt.date(2026, 11, 29)
    profile = {"residence": "abroad", "has_csq": True, "csq_program": "regular_skilled_worker",
               "csq_valid": False, "pr_applied": True, "pr_decision": "none"}
    result = assess(profile, on)
    assert result.criterion("csq_valid").status == "unknown"
    assert result.next_question == "pr_filed_while_csq_valid"
    assert "assume" not in result.criterion("csq_valid").reason.en
    assert "supposons" not in result.criterion("csq_valid").reason.fr
    late = assess({**profile, "pr_filed_while_csq_valid": False}, on)
    assert late.criterion("csq_valid").status == "unmet" and late.verdict == "not_eligible"
    in_time = assess({**profile, "pr_filed_while_csq_valid": True}, on)
    assert in_time.criterion("csq_valid").status == "met"


def test_public_policy_note_names_its_window_from_the_data() -> None:
    result = assess({"residence": "quebec"}, dt.date(2026, 6, 1))
    note = next(n for n in result.alternatives if n.id == "public_policy_2026")
    assert note.text.en.startswith("From March 13, 2026 to December 31, 2026:")
    assert note.text.fr.startswith("Du 13 mars 2026 au 31 décembre 2026 :")


def test_checker_rule_sanity() -> None:
    """The local copy of the checker's rule catches what it should."""
    assert reads_as_verdict("You are not eligible for IMP+.")
    assert reads_as_verdict("Vous n'êtes pas encore prêt.")
    assert reads_as_verdict("You are eligible.")
    assert reads_as_verdict("Check whether you are eligible.") is None


# -- questions -----------------------------------------------------------------------------------------


def test_every_field_has_a_complete_bilingual_question() -> None:
    """Every field the engine can ask has its question, help, reason and quick replies in both languages,
    and a tap on a button sends the same answer whichever language the person reads."""
    assert set(load_texts(load_program()).questions) == set(PROFILE_FIELDS)
    for field in PROFILE_FIELDS:
        english, french = question(field, "en"), question(field, "fr")
        for asked in (english, french):
            assert isinstance(asked, Question)
            assert all(part.strip() for part in (asked.ask, asked.help, asked.why)), field
            assert asked.buttons and all(b.title.strip() and b.payload for b in asked.buttons), field
        assert english.ask != french.ask and english.why != french.why, field
        assert [b.payload for b in english.buttons] == [b.payload for b in french.buttons], field


def test_an_unknown_field_has_no_question() -> None:
    with pytest.raises(ProfileError):
        question("favourite_colour", "en")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_questions_never_read_as_a_verdict(lang: str) -> None:
    """No question, help, reason or button title uses an eligibility word (as for a met criterion)."""
    for field in PROFILE_FIELDS:
        asked = question(field, lang)
        for part, body in [("ask", asked.ask), ("help", asked.help), ("why", asked.why)] + [
            ("buttons", b.title) for b in asked.buttons
        ]:
            where = (field, part, lang, body)
            assert not NEVER.search(body) and reads_as_verdict(body) is None, where
            assert not NEGATIVE.search(body) and not POSITIVE.search(body), where


QUESTION_MUTATIONS: list[tuple[str, Any, str]] = [
    ("questions.has_csq", _DELETE, "questions.has_csq"),
    ("questions.has_csq.why", _DELETE, "questions.has_csq.why"),
    ("questions.has_csq.ask.fr", _DELETE, "questions.has_csq.ask.fr"),
    ("questions.has_csq.help.en", "  ", "questions.has_csq.help.en"),
    ("questions.has_csq.buttons", _DELETE, "questions.has_csq.buttons"),
    ("questions.has_csq.buttons.fr", _DELETE, "questions.has_csq.buttons"),
    ("questions.has_csq.buttons.fr", [], "questions.has_csq.buttons.fr"),
    ("questions.has_csq.buttons.en.0.title", _DELETE, "questions.has_csq.buttons.en.0"),
    ("questions.has_csq.buttons.fr.0.payload", "/deny", "questions.has_csq.buttons.fr"),
    ("questions.has_csq.ask.en", "Do you hold a {csq}?", "questions.has_csq.ask.en"),
    ("questions.has_csq.tooltip", {"en": "a", "fr": "b"}, "questions.has_csq.tooltip"),
    ("questions.favourite_colour", {"ask": {"en": "a", "fr": "b"}}, "questions.favourite_colour"),
    ("questions", _DELETE, "questions"),
]


@pytest.mark.parametrize(("where", "new", "key"), QUESTION_MUTATIONS, ids=[m[0] for m in QUESTION_MUTATIONS])
def test_an_incomplete_question_fails_loading_and_names_its_key(
    tmp_path: Path, where: str, new: Any, key: str
) -> None:
    path = tmp_path / "texts.yaml"
    data = _set(_raw(DEFAULT_TEXTS), where, new)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_texts(load_program(), path)
    assert str(path) in str(caught.value) and caught.value.key == key, str(caught.value)
