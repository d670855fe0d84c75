"""Everything about an assessment that depends only on the date, built once per date and reused.

For a date this holds the immutable Criterion result for every combination of each rule's answers
(reasons already worded in both languages), the question tables of each block of fields, the cap, and
the notes. An assessment then costs a few dictionary lookups and one new Assessment; nothing
about a person is cached.

This is also where a fact's confidence reaches the verdict: a rule outcome that is met or unmet
according to a fact the data marks `unsure` (or a fact with no value on the date) gets the status
"unsure", for any rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from operator import itemgetter
from typing import Any

from i18n.formatting import format_date, format_value
from i18n.languages import SUPPORTED
from i18n.placeholders import Lookup, fill, placeholders

from .assessment_models import Criterion, DatedValue, Note, Source, Text
from .engine_errors import DataFileError
from .fields import domain
from .program import ProgramData, as_date
from .questions import BLOCKS, FOLDS, NOTHING_ELSE, BlockEntry, analyse_block, some_summary
from .rules import RULES, Rule, final_verdict, status_of, with_status
from .wording import NoteText, Texts, Wording, load_texts

MAX_CONTEXTS = 512  # distinct dates kept per program; a server mostly sees "today"
MAX_OUTLOOKS = 65_536  # memoised outlooks per date (keyed by partial answers, no identities)

Getter = Callable[[dict[str, Any]], Any]


def _getter(fields: tuple[str, ...]) -> Getter:
    """Reads a rule's fields from the profile's __dict__ (a bare value for one field, else a tuple)."""
    return itemgetter(*fields)


def _key(values: tuple[Any, ...]) -> Any:
    return values[0] if len(values) == 1 else values


def source_of(entry: DatedValue) -> Source:
    return Source(
        key=entry.key, reference=entry.reference, last_checked=entry.last_checked, confidence=entry.confidence
    )


class FactReader:
    """The program facts a rule reads on one date, remembering which entries it looked at."""

    def __init__(self, program: ProgramData, on: date) -> None:
        self._program = program
        self._on = on
        self.read: list[DatedValue] = []

    def get(self, key: str) -> Any:
        entry = self._program.value(key, self._on)
        self.read.append(entry)
        return entry.value

    def unsure(self) -> bool:
        """Whether anything read could not be confirmed: marked unsure, or no value on the date."""
        return any(e.confidence == "unsure" or e.value is None for e in self.read)


class Context:
    """Date-dependent parts of an assessment, for one program and one date."""

    def __init__(self, program: ProgramData, texts: Texts, on: date) -> None:
        self.program = program
        self.texts = texts
        self.on = on
        self.source = program.source
        self.cap = program.cap_for(on)

        checked = [self.cap.last_checked]
        self.outcomes: set[tuple[str, str]] = set()  # (rule id, outcome) the data makes possible on this date
        lookups: list[tuple[Getter, dict[Any, Criterion]]] = []
        self._statuses: dict[str, dict[Any, str]] = {}
        for rule in RULES:
            table = self._rule_table(rule)
            lookups.append((_getter(rule.fields), table))
            self._statuses[rule.id] = {k: c.status for k, c in table.items()}
            checked += [s.last_checked for c in table.values() for s in c.sources]
        self.rule_lookups: tuple[tuple[Getter, dict[Any, Criterion]], ...] = tuple(lookups)
        self.base_checked: date = min(checked)
        self.block_lookups: tuple[tuple[bool, Getter, dict[Any, BlockEntry]], ...] = tuple(
            (block.kind == "hard", _getter(block.fields),
             {_key(k): v for k, v in analyse_block(block, self._complete_status).items()})
            for block in BLOCKS
        )
        self._outlooks: dict[tuple[Any, ...], tuple[frozenset[str], str | None]] = {}
        self._in_force: dict[str, bool] = {}
        self._notes: dict[tuple[str, str], Note | None] = {}

    # -- criteria ----------------------------------------------------------------------------------

    def _rule_table(self, rule: Rule) -> dict[Any, Criterion]:
        """Every combination of a rule's answers (unknown included) -> its Criterion on this date."""
        rule_entry = self.program.value(rule.source_key, self.on)
        table: dict[Any, Criterion] = {}
        built: dict[tuple[str, tuple[str, ...]], Criterion] = {}
        for combo in itertools.product(*(domain(f) for f in rule.fields)):
            facts = FactReader(self.program, self.on)
            outcome = rule.decide(dict(zip(rule.fields, combo, strict=False)), facts)
            status = status_of(outcome)
            if status in ("met", "unmet") and facts.unsure():
                outcome, status = with_status(outcome, "unsure"), "unsure"
            self.outcomes.add((rule.id, outcome))
            deciding = tuple(facts.read) + (rule_entry,)
            cache_key = (outcome, tuple(e.key for e in deciding))
            if cache_key not in built:
                where = f"criteria.{rule.id}.{outcome}"
                wording = self.texts.criteria[rule.id].get(outcome)
                if wording is None:
                    raise DataFileError(self.texts.path, where, f"missing: this outcome occurs on {self.on}")
                reason, used = self._worded(wording, where)
                sources = _unique(source_of(e) for e in deciding + used)
                built[cache_key] = Criterion(
                    id=rule.id, kind=rule.kind, status=status, reason=reason,
                    reference=sources[0].reference, fields=rule.fields, sources=sources,
                )
            table[_key(combo)] = built[cache_key]
        return table

    def _complete_status(self, rule: Rule, answers: dict[str, Any]) -> str:
        return self._statuses[rule.id][_key(tuple(answers[f] for f in rule.fields))]

    # -- questions ---------------------------------------------------------------------------------

    def outlook(self, answers: dict[str, Any]) -> tuple[frozenset[str], str | None]:
        """The unknown fields whose answer can still change the verdict (see eligibility.questions), and,
        when there are none, the verdict every way of answering the rest agrees on.

        The result depends only on the answers' per-block keys, so it is memoised on them (bounded).
        """
        keys = tuple([get(answers) for _, get, _ in self.block_lookups])
        found = self._outlooks.get(keys)
        if found is None:
            if len(self._outlooks) >= MAX_OUTLOOKS:
                self._outlooks.clear()
            found = self._outlooks[keys] = self._outlook(keys)
        return found

    def _outlook(self, keys: tuple[Any, ...]) -> tuple[frozenset[str], str | None]:
        hard: list[BlockEntry] = []
        steps: list[BlockEntry] = []
        for (is_hard, _, table), key in zip(self.block_lookups, keys, strict=True):
            (hard if is_hard else steps).append(table[key])
        all_hard, hard_except = _folds([reach for reach, _ in hard])
        all_steps, steps_except = _folds([reach for reach, _ in steps])
        found: frozenset[str] = frozenset()
        for (_, deciding), others in zip(hard, hard_except, strict=True):
            if deciding is not None:
                found = found | deciding[others << 3 | all_steps]
        for (_, deciding), others in zip(steps, steps_except, strict=True):
            if deciding is not None:
                found = found | deciding[all_hard << 3 | others]
        if found:
            return found, None
        # Nothing can change the verdict: any way of answering the rest gives it.
        return found, final_verdict(some_summary(all_hard), some_summary(all_steps))

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
        variant = self._variant(spec.wording)
        entry = self.program.value(spec.sources[variant], self.on)
        if entry.value is None:
            return None
        text, used = self._worded(spec.wording, f"{group}.{spec.id}")
        sources = _unique(source_of(e) for e in (entry, *used))
        return Note(
            id=spec.id,
            text=text,
            reference=entry.reference,
            confidence=entry.confidence,
            last_checked=entry.last_checked,
            sources=sources,
        )

    # -- wording -----------------------------------------------------------------------------------

    def _variant(self, wording: Wording) -> str:
        if wording.switch is None:
            return "text"
        day = self.program.event_date(wording.switch, self.on)
        return "after" if day is not None and self.on >= day else "before"

    def _worded(self, wording: Wording, where: str) -> tuple[Text, tuple[DatedValue, ...]]:
        """The text for this date with its {placeholders} filled, and the program entries it used."""
        variant = self._variant(wording)
        text = wording.texts[variant]
        used = tuple(self.program.value(key, self.on) for key, _ in placeholders(text.en))
        return self._word(text, f"{where}.{variant}" if wording.switch else where), used

    def _word(self, text: Text, where: str) -> Text:
        """Fill a text's {placeholders} with program values in force on this date."""
        return Text(**{lang: fill(text.in_(lang), self._lookup(where, lang)) for lang in SUPPORTED})

    def word(self, template: str, lang: str, where: str) -> tuple[str, tuple[Source, ...]]:
        """One language's text with its {placeholders} filled for this date, and the facts it used."""
        used = _unique(source_of(self.program.value(key, self.on)) for key, _ in placeholders(template))
        return fill(template, self._lookup(where, lang)), used

    def _lookup(self, where: str, lang: str) -> Lookup:
        def lookup(key: str, attr: str | None) -> str:
            if key not in self.program:
                raise DataFileError(self.texts.path, where, f"{{{key}}} names no program key")
            entry = self.program.value(key, self.on)
            if attr in ("effective", "until"):
                day = getattr(entry, attr)
                if entry.value is None or day is None:
                    raise DataFileError(self.texts.path, where, f"{{{key}.{attr}}} has no date on {self.on}")
                return format_date(day, lang)
            if attr == "year":
                return str(entry.effective.year)
            if attr in ("first", "first_year"):
                first = self.program.history(key)[0]
                return str(first.effective.year) if attr == "first_year" else format_value(first.value, lang)
            if attr == "last_checked":
                return format_date(entry.last_checked, lang)
            if attr == "note":
                if entry.note is None:
                    problem = f"{{{key}.note}}: the value has no note on {self.on}"
                    raise DataFileError(self.texts.path, where, problem)
                return entry.note.in_(lang)
            kind = self.program.type_of(key)
            value = self.program.event_date(key, self.on) if kind in ("date", "event") else entry.value
            if value is None:
                raise DataFileError(self.texts.path, where, f"{{{key}}} has no value on {self.on}")
            return format_value(value, lang)

        return lookup


def _folds(reaches: list[int]) -> tuple[int, list[int]]:
    """What a group of blocks reaches together, and what it reaches without each one of them."""
    n = len(reaches)
    before = [NOTHING_ELSE] * (n + 1)
    after = [NOTHING_ELSE] * (n + 1)
    for i in range(n):
        before[i + 1] = FOLDS[before[i] << 3 | reaches[i]]
        after[n - 1 - i] = FOLDS[after[n - i] << 3 | reaches[n - 1 - i]]
    return before[n], [FOLDS[before[i] << 3 | after[i + 1]] for i in range(n)]


def _unique(sources: Any) -> tuple[Source, ...]:
    """Sources in order, each program key once."""
    seen: dict[str, Source] = {}
    for source in sources:
        seen.setdefault(source.key, source)
    return tuple(seen.values())


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
