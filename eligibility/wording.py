"""Loads the engine's bilingual wording (criterion reasons, alternatives, caveats and each profile field's
question, in data/texts.yaml) and checks it against the rules, the fields and the program data, so a missing
translation or a misspelt key fails at load, not in a conversation. The texts name program facts as
placeholders (`i18n.placeholders`); questions are shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n.languages import SUPPORTED
from i18n.placeholders import placeholders, stray_braces

from .assessment_models import Text
from .engine_errors import DataFileError, reject_unknown
from .fields import PROFILE_FIELDS
from .program import DATA_DIR, ProgramData, parse_text, read_yaml
from .rules import RULES, STATUSES, status_of

DEFAULT_TEXTS = DATA_DIR / "texts.yaml"

# {key.attribute}: effective / until: the in-force entry's first and last day; year: its first year; note;
# last_checked; first / first_year: the key's first value ever and its year (e.g. the first year's cap).
ATTRIBUTES: tuple[str, ...] = ("effective", "until", "note", "last_checked", "year", "first", "first_year")

# The notes the engine knows how to choose (see eligibility.notes); the file must word each of them.
ALTERNATIVE_IDS: tuple[str, ...] = ("bowp_quebec", "public_policy_2026", "get_csq_first", "pnp")
# program_status is the hedge every result carries on whether IMP+ is still current.
CAVEAT_IDS: tuple[str, ...] = ("program_status", "invitation_window")
# What every profile field's question holds: the question, what to answer after a misunderstood answer,
# why it is asked, and its quick replies.
QUESTION_PARTS: tuple[str, ...] = ("ask", "help", "why", "buttons")
TOP_LEVEL: tuple[str, ...] = ("criteria", "alternatives", "caveats", "questions")


@dataclass(frozen=True)
class Wording:
    """One text, or a before/after pair around a dated fact (`switch`): before that date the `before`
    text shows, from it the `after` one."""

    texts: Mapping[str, Text]  # "text", or "before" and "after"
    switch: str | None


@dataclass(frozen=True)
class NoteText:
    """The wording of one alternative or caveat, with the program key backing each variant."""

    id: str
    wording: Wording
    sources: Mapping[str, str]  # variant -> program key whose reference backs the text

    @property
    def texts(self) -> Mapping[str, Text]:
        return self.wording.texts

    @property
    def switch(self) -> str | None:
        return self.wording.switch


@dataclass(frozen=True)
class Button:
    """A quick reply: the title shown and the payload sent when it is tapped."""

    title: str
    payload: str


@dataclass(frozen=True)
class Question:
    """One profile field's question in one language, as the assistant shows it."""

    ask: str
    help: str
    why: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class QuestionText:
    """One profile field's question in both languages (the file's entry, checked)."""

    field: str
    ask: Text
    help: Text
    why: Text
    buttons: Mapping[str, tuple[Button, ...]]  # language -> quick replies

    def in_(self, lang: str) -> Question:
        """The question in one language ("en" or "fr")."""
        return Question(self.ask.in_(lang), self.help.in_(lang), self.why.in_(lang), self.buttons[lang])


@dataclass(frozen=True)
class Texts:
    """Every text the engine shows, still holding their {placeholders}."""

    path: Path
    criteria: Mapping[str, Mapping[str, Wording]]  # rule id -> outcome -> wording
    alternatives: Mapping[str, NoteText]
    caveats: Mapping[str, NoteText]
    questions: Mapping[str, QuestionText]  # profile field -> its question


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
        raise DataFileError(path, "(top level)", f"expected {', '.join(TOP_LEVEL)}")
    for name in raw:
        if name not in TOP_LEVEL:
            raise DataFileError(path, str(name), f"unknown top-level key; expected {', '.join(TOP_LEVEL)}")
    criteria = _criteria(path, program, raw.get("criteria"))
    alternatives = _notes(path, program, "alternatives", raw.get("alternatives"), ALTERNATIVE_IDS)
    caveats = _notes(path, program, "caveats", raw.get("caveats"), CAVEAT_IDS)
    questions = _questions(path, raw.get("questions"))
    return Texts(path, criteria, alternatives, caveats, questions)


def _criteria(path: Path, program: ProgramData, raw: Any) -> dict[str, dict[str, Wording]]:
    """One wording per outcome. Which outcomes occur depends on the data (a fact marked unsure turns
    "met_x" into "unsure_x"), so a missing one is reported when an assessment date needs it."""
    if not isinstance(raw, dict):
        raise DataFileError(path, "criteria", "missing: expected one entry per rule")
    found: dict[str, dict[str, Wording]] = {}
    for rule in RULES:
        entry = raw.get(rule.id)
        if not isinstance(entry, dict):
            raise DataFileError(path, f"criteria.{rule.id}", "missing: every rule needs its reasons")
        found[rule.id] = {}
        for outcome, text in entry.items():
            where = f"criteria.{rule.id}.{outcome}"
            if status_of(str(outcome)) not in STATUSES:
                raise DataFileError(path, where, f"an outcome starts with one of {', '.join(STATUSES)}")
            found[rule.id][str(outcome)] = _wording(path, program, where, text, ("text",))
    extra_ids = set(raw) - set(found)
    if extra_ids:
        raise DataFileError(path, f"criteria.{sorted(extra_ids)[0]}", "no rule has this id")
    return found


def _notes(
    path: Path, program: ProgramData, group: str, raw: Any, ids: tuple[str, ...]
) -> dict[str, NoteText]:
    entries = _entries_for(path, group, raw, ids, (
        "missing: expected a mapping of notes", "missing: the engine shows this note",
        "the engine has no rule choosing this note"))
    return {note_id: _note(path, program, f"{group}.{note_id}", note_id, entry)
            for note_id, entry in entries.items()}


def _entries_for(
    path: Path, group: str, raw: Any, ids: tuple[str, ...], problems: tuple[str, str, str]
) -> dict[str, dict]:
    """The mapping entry of every id, in the ids' order; `problems` words the three errors: `raw` is not a
    mapping, an id has no entry, an entry has no id (the engine would never show it)."""
    not_mapping, missing, unused = problems
    if not isinstance(raw, dict):
        raise DataFileError(path, group, not_mapping)
    entries: dict[str, dict] = {}
    for key in ids:
        entry = raw.get(key)
        if not isinstance(entry, dict):
            raise DataFileError(path, f"{group}.{key}", missing)
        entries[key] = entry
    extra = set(raw) - set(ids)
    if extra:
        raise DataFileError(path, f"{group}.{sorted(extra)[0]}", unused)
    return entries


def _note(path: Path, program: ProgramData, where: str, note_id: str, entry: dict[str, Any]) -> NoteText:
    variants = ("before", "after") if entry.get("switch") is not None else ("text",)
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
    wording = _wording(path, program, where, {k: v for k, v in entry.items() if k != "source"}, variants)
    return NoteText(note_id, wording, sources)


def _wording(path: Path, program: ProgramData, where: str, raw: Any, variants: tuple[str, ...]) -> Wording:
    """A plain {en, fr} text, or a mapping with `switch` and `before`/`after` texts (notes name their
    variants in `text` or `before`/`after` keys)."""
    if not isinstance(raw, dict):
        raise DataFileError(path, where, "expected a text {en, fr} or {switch, before, after}")
    switch = raw.get("switch")
    if switch is None and variants == ("text",) and set(raw) <= set(SUPPORTED):
        return Wording({"text": _text(path, program, where, raw)}, None)
    if switch is not None:
        variants = ("before", "after")
        if switch not in program:
            raise DataFileError(path, f"{where}.switch", f"{switch!r} is no program key")
    reject_unknown(path, where, raw, tuple(sorted({*variants, "switch"})))
    texts = {}
    for variant in variants:
        if variant not in raw:
            raise DataFileError(path, f"{where}.{variant}", "missing text")
        texts[variant] = _text(path, program, f"{where}.{variant}", raw[variant])
    return Wording(texts, switch)


def _text(path: Path, program: ProgramData, where: str, raw: Any) -> Text:
    text = parse_text(path, where, raw)
    for lang in SUPPORTED:
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


def _questions(path: Path, raw: Any) -> dict[str, QuestionText]:
    """Every profile field's question, complete in both languages: the assistant can ask any of them."""
    entries = _entries_for(path, "questions", raw, PROFILE_FIELDS, (
        "missing: expected one question per profile field", "missing: every profile field needs its question",
        "no profile field has this name"))
    found: dict[str, QuestionText] = {}
    for field, entry in entries.items():
        where = f"questions.{field}"
        reject_unknown(path, where, entry, tuple(QUESTION_PARTS), "part")
        for part in QUESTION_PARTS:
            if part not in entry:
                raise DataFileError(path, f"{where}.{part}", "missing: every question needs this part")
        ask, help_, why = (_plain_text(path, f"{where}.{part}", entry[part]) for part in QUESTION_PARTS[:3])
        buttons = _buttons(path, f"{where}.buttons", entry["buttons"])
        found[field] = QuestionText(field, ask, help_, why, buttons)
    return found


def _plain_text(path: Path, where: str, raw: Any) -> Text:
    """A bilingual text shown as written: nothing fills placeholders in a question, so braces are a typo."""
    text = parse_text(path, where, raw)
    for lang in SUPPORTED:
        if "{" in text.in_(lang) or "}" in text.in_(lang):
            raise DataFileError(path, f"{where}.{lang}", "a question is shown as written: no {placeholder}")
    return text


def _buttons(path: Path, where: str, raw: Any) -> dict[str, tuple[Button, ...]]:
    """Quick replies per language; both languages send the same payloads in the same order, so a tap
    means the same answer whichever language the person reads."""
    if not isinstance(raw, dict) or set(raw) != set(SUPPORTED):
        raise DataFileError(path, where, f"expected a list of buttons per language ({', '.join(SUPPORTED)})")
    found: dict[str, tuple[Button, ...]] = {}
    for lang in SUPPORTED:
        items = raw[lang]
        if not isinstance(items, list) or not items:
            raise DataFileError(path, f"{where}.{lang}", "expected a non-empty list of {title, payload}")
        buttons = []
        for index, item in enumerate(items):
            ok = isinstance(item, dict) and set(item) == {"title", "payload"}
            if not ok or not all(isinstance(v, str) and v.strip() for v in item.values()):
                problem = "expected {title, payload}, both non-empty"
                raise DataFileError(path, f"{where}.{lang}.{index}", problem)
            buttons.append(Button(item["title"], item["payload"]))
        found[lang] = tuple(buttons)
    payloads = {lang: [b.payload for b in found[lang]] for lang in SUPPORTED}
    first = payloads[SUPPORTED[0]]
    for lang in SUPPORTED[1:]:
        if payloads[lang] != first:
            problem = "the languages must send the same payloads, in order"
            raise DataFileError(path, f"{where}.{lang}", problem)
    return found
