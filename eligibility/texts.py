"""Loads the bilingual texts (criterion reasons, alternatives, caveats) and checks them against the rules
and the program data, so a missing translation or a misspelt key fails at load, not in a conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataFileError
from .models import Text
from .program import DATA_DIR, ProgramData, parse_text, read_yaml
from .render import ATTRIBUTES, placeholders, stray_braces
from .rules import RULES

DEFAULT_TEXTS = DATA_DIR / "texts.yaml"

# The notes the engine knows how to choose (see eligibility.notes); the file must word each of them.
ALTERNATIVE_IDS: tuple[str, ...] = ("bowp_quebec", "public_policy_2026", "get_csq_first", "pnp")
CAVEAT_IDS: tuple[str, ...] = (
    "imp_plus_still_open", "prtq_replaced_by_pstq", "ai_pilot_closing", "invitation_window",
)
SWITCH_TYPES: tuple[str, ...] = ("date", "event")


@dataclass(frozen=True)
class NoteText:
    """The wording of one alternative or caveat: one text, or a before/after pair around a dated fact."""

    id: str
    texts: Mapping[str, Text]  # "text", or "before" and "after"
    sources: Mapping[str, str]  # same variants -> program key whose reference backs the text
    switch: str | None


@dataclass(frozen=True)
class Texts:
    """Every text the engine shows, still holding their {placeholders}."""

    path: Path
    criteria: Mapping[str, Mapping[str, Text]]  # rule id -> outcome -> text
    alternatives: Mapping[str, NoteText]
    caveats: Mapping[str, NoteText]


_CACHE: dict[int, Texts] = {}


def load_texts(program: ProgramData, path: str | Path | None = None) -> Texts:
    """Load and check a texts file against a program; the default file is cached per program."""
    if path is None:
        cached = _CACHE.get(id(program))
        if cached is None:
            cached = _CACHE[id(program)] = _load(Path(DEFAULT_TEXTS), program)
        return cached
    return _load(Path(path), program)


def _load(path: Path, program: ProgramData) -> Texts:
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "(top level)", "expected criteria, alternatives and caveats")
    for name in raw:
        if name not in ("criteria", "alternatives", "caveats"):
            expected = "criteria, alternatives, caveats"
            raise DataFileError(path, str(name), f"unknown top-level key; expected {expected}")
    criteria = _criteria(path, program, raw.get("criteria"))
    alternatives = _notes(path, program, "alternatives", raw.get("alternatives"), ALTERNATIVE_IDS)
    caveats = _notes(path, program, "caveats", raw.get("caveats"), CAVEAT_IDS)
    return Texts(path, criteria, alternatives, caveats)


def _criteria(path: Path, program: ProgramData, raw: Any) -> dict[str, dict[str, Text]]:
    if not isinstance(raw, dict):
        raise DataFileError(path, "criteria", "missing: expected one entry per rule")
    found: dict[str, dict[str, Text]] = {}
    for rule in RULES:
        entry = raw.get(rule.id)
        if not isinstance(entry, dict):
            raise DataFileError(path, f"criteria.{rule.id}", "missing: every rule needs its reasons")
        extra = set(entry) - set(rule.outcomes)
        if extra:
            raise DataFileError(path, f"criteria.{rule.id}.{sorted(extra)[0]}",
                                f"unknown outcome; the rule returns {', '.join(rule.outcomes)}")
        found[rule.id] = {}
        for outcome in rule.outcomes:
            where = f"criteria.{rule.id}.{outcome}"
            if outcome not in entry:
                raise DataFileError(path, where, "missing reason for this outcome")
            found[rule.id][outcome] = _text(path, program, where, entry[outcome])
    extra_ids = set(raw) - set(found)
    if extra_ids:
        raise DataFileError(path, f"criteria.{sorted(extra_ids)[0]}", "no rule has this id")
    return found


def _notes(
    path: Path, program: ProgramData, group: str, raw: Any, ids: tuple[str, ...]
) -> dict[str, NoteText]:
    if not isinstance(raw, dict):
        raise DataFileError(path, group, "missing: expected a mapping of notes")
    notes: dict[str, NoteText] = {}
    for note_id in ids:
        where = f"{group}.{note_id}"
        entry = raw.get(note_id)
        if not isinstance(entry, dict):
            raise DataFileError(path, where, "missing: the engine shows this note")
        notes[note_id] = _note(path, program, where, note_id, entry)
    extra = set(raw) - set(ids)
    if extra:
        raise DataFileError(path, f"{group}.{sorted(extra)[0]}", "the engine has no rule choosing this note")
    return notes


def _note(path: Path, program: ProgramData, where: str, note_id: str, entry: dict[str, Any]) -> NoteText:
    switch = entry.get("switch")
    variants = ("before", "after") if switch is not None else ("text",)
    allowed = set(variants) | {"source", "switch"}
    extra = set(entry) - allowed
    if extra:
        expected = ", ".join(sorted(allowed))
        raise DataFileError(path, f"{where}.{sorted(extra)[0]}", f"unknown field; expected {expected}")
    if switch is not None:
        if switch not in program:
            raise DataFileError(path, f"{where}.switch", f"{switch!r} is no program key")
        if program.type_of(switch) not in SWITCH_TYPES:
            raise DataFileError(path, f"{where}.switch", f"{switch!r} must be a date or an event")
    raw_source = entry.get("source")
    if isinstance(raw_source, str):
        sources = {v: raw_source for v in variants}
    elif isinstance(raw_source, dict) and set(raw_source) == set(variants):
        sources = {str(k): v for k, v in raw_source.items()}
    else:
        expected = ", ".join(variants)
        problem = f"expected a program key, or one per variant ({expected})"
        raise DataFileError(path, f"{where}.source", problem)
    for key in sources.values():
        if key not in program:
            raise DataFileError(path, f"{where}.source", f"{key!r} is no program key")
    texts = {}
    for variant in variants:
        if variant not in entry:
            raise DataFileError(path, f"{where}.{variant}", "missing text")
        texts[variant] = _text(path, program, f"{where}.{variant}", entry[variant])
    return NoteText(note_id, texts, sources, switch)


def _text(path: Path, program: ProgramData, where: str, raw: Any) -> Text:
    text = parse_text(path, where, raw)
    for lang in ("en", "fr"):
        body = text.in_(lang)
        if stray_braces(body):
            raise DataFileError(path, f"{where}.{lang}", "unbalanced or invalid {placeholder}")
        for key, attr in placeholders(body):
            if key not in program:
                raise DataFileError(path, f"{where}.{lang}", f"{{{key}}} names no program key")
            if attr is not None and attr not in ATTRIBUTES:
                expected = ", ".join(ATTRIBUTES)
                raise DataFileError(path, f"{where}.{lang}", f"{{{key}.{attr}}}: use one of {expected}")
    if sorted(placeholders(text.en), key=str) != sorted(placeholders(text.fr), key=str):
        raise DataFileError(path, where, "the English and French texts must name the same values")
    return text
