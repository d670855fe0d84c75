"""Everything about an assessment that depends only on the date, built once per date and reused.

For a date this holds the immutable Criterion result for every rule outcome (reasons already worded
in both languages), the question tables of each block of fields, the cap, and the notes. An assessment
then costs a few dictionary lookups and one Assessment.construct(); nothing about a person is cached.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from functools import cache
from operator import itemgetter
from typing import Any

from .errors import DataFileError
from .fields import domain
from .models import Criterion, Note, Text
from .program import ProgramData, as_date
from .questions import BLOCKS, Block, BlockTable, analyse_block
from .render import fill, format_date, format_value
from .rules import RULES, Accepted, Rule, status_of
from .texts import NoteText, Texts, load_texts

MAX_CONTEXTS = 512  # distinct dates kept per program; a server mostly sees "today"

Getter = Callable[[dict[str, Any]], Any]


def _getter(fields: tuple[str, ...]) -> Getter:
    """Reads a rule's fields from the profile's __dict__ (a bare value for one field, else a tuple)."""
    return itemgetter(*fields)


def _key(values: tuple[Any, ...]) -> Any:
    return values[0] if len(values) == 1 else values


@cache
def _outcomes(rule: Rule, accepted: Accepted) -> dict[Any, str]:
    """Every combination of a rule's field values (unknown included) -> the rule's outcome."""
    table = {}
    for combo in itertools.product(*(domain(f) for f in rule.fields)):
        table[_key(combo)] = rule.decide(dict(zip(rule.fields, combo, strict=False)), accepted)
    return table


@cache
def _block_table(block: Block, accepted: Accepted) -> dict[Any, tuple[bool, frozenset[str]]]:
    table: BlockTable = analyse_block(block, accepted)
    return {_key(k): v for k, v in table.items()}


class Context:
    """Date-dependent parts of an assessment, for one program and one date."""

    def __init__(self, program: ProgramData, texts: Texts, on: date) -> None:
        self.program = program
        self.texts = texts
        self.on = on
        self.source = program.source
        self.cap = program.cap_for(on)
        programs = program.value("eligible_csq_programs", on).value or ()
        self.accepted: Accepted = frozenset(item.code for item in programs)

        checked = [self.cap.last_checked]
        lookups: list[tuple[Getter, dict[Any, Criterion]]] = []
        for rule in RULES:
            entry = program.value(rule.source_key, on)
            checked.append(entry.last_checked)
            results = {
                outcome: Criterion.construct(
                    id=rule.id,
                    kind=rule.kind,
                    status=status_of(outcome),
                    reason=self._word(texts.criteria[rule.id][outcome], f"criteria.{rule.id}.{outcome}"),
                    reference=entry.reference,
                    fields=rule.fields,
                )
                for outcome in rule.outcomes
            }
            table = {k: results[o] for k, o in _outcomes(rule, self.accepted).items()}
            lookups.append((_getter(rule.fields), table))
        self.rule_lookups: tuple[tuple[Getter, dict[Any, Criterion]], ...] = tuple(lookups)
        self.base_checked: date = min(checked)
        self.block_lookups: tuple[tuple[bool, Getter, dict[Any, tuple[bool, frozenset[str]]]], ...] = tuple(
            (block.kind == "hard", _getter(block.fields), _block_table(block, self.accepted))
            for block in BLOCKS
        )
        self._in_force: dict[str, bool] = {}
        self._notes: dict[tuple[str, str], Note | None] = {}

    # -- questions ---------------------------------------------------------------------------------

    def deciding(self, answers: dict[str, Any]) -> frozenset[str]:
        """Unknown fields whose answer can still change the verdict (see eligibility.questions)."""
        hard_ok = step_ok = True
        hard_dep: frozenset[str] = frozenset()
        step_dep: frozenset[str] = frozenset()
        for is_hard, get, table in self.block_lookups:
            sat, dep = table[get(answers)]
            if is_hard:
                hard_ok = hard_ok and sat
                hard_dep = hard_dep | dep
            else:
                step_ok = step_ok and sat
                step_dep = step_dep | dep
        if not hard_ok:
            return frozenset()
        return hard_dep | step_dep if step_ok else hard_dep

    # -- notes -------------------------------------------------------------------------------------

    def in_force(self, key: str) -> bool:
        """Whether a program value is in force (not null) on this date."""
        found = self._in_force.get(key)
        if found is None:
            found = self._in_force[key] = self.program.value(key, self.on).value is not None
        return found

    def note(self, group: str, note_id: str) -> Note | None:
        """The worded note for this date, or None when its program value is not in force."""
        cache_key = (group, note_id)
        if cache_key not in self._notes:
            spec: NoteText = getattr(self.texts, group)[note_id]
            self._notes[cache_key] = self._build_note(group, spec)
        return self._notes[cache_key]

    def _build_note(self, group: str, spec: NoteText) -> Note | None:
        if spec.switch is None:
            variant = "text"
        else:
            day = self.program.event_date(spec.switch, self.on)
            variant = "after" if day is not None and self.on >= day else "before"
        entry = self.program.value(spec.sources[variant], self.on)
        if entry.value is None:
            return None
        return Note.construct(
            id=spec.id,
            text=self._word(spec.texts[variant], f"{group}.{spec.id}.{variant}"),
            reference=entry.reference,
            confidence=entry.confidence,
            last_checked=entry.last_checked,
        )

    # -- wording -----------------------------------------------------------------------------------

    def _word(self, text: Text, where: str) -> Text:
        """Fill a text's {placeholders} with program values in force on this date."""

        def lookup(key: str, attr: str | None, lang: str) -> str:
            kind = self.program.type_of(key)
            entry = self.program.value(key, self.on)
            if attr == "effective" or attr == "until":
                day = getattr(entry, attr)
                if entry.value is None or day is None:
                    raise DataFileError(self.texts.path, where, f"{{{key}.{attr}}} has no date on {self.on}")
                return format_date(day, lang)
            if attr == "note":
                if entry.note is None:
                    problem = f"{{{key}.note}}: the value has no note on {self.on}"
                    raise DataFileError(self.texts.path, where, problem)
                return entry.note.in_(lang)
            value = self.program.event_date(key, self.on) if kind in ("date", "event") else entry.value
            if value is None:
                raise DataFileError(self.texts.path, where, f"{{{key}}} has no value on {self.on}")
            return format_value(value, lang)

        return Text.construct(en=fill(text.en, "en", lookup), fr=fill(text.fr, "fr", lookup))


def context_for(program: ProgramData, on: date) -> Context:
    """The context for a date, built on first use and kept on the program object."""
    contexts: dict[date, Context] = program._contexts
    ctx = contexts.get(on)
    if ctx is None:
        on = as_date(on)
        ctx = contexts.get(on)
        if ctx is None:
            if len(contexts) >= MAX_CONTEXTS:
                contexts.clear()
            ctx = contexts[on] = Context(program, load_texts(program), on)
    return ctx
