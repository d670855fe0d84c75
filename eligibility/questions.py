"""Which question to ask next: the first field, in a fixed order, whose answer can still change the verdict.

A field "can change the verdict" when some answers to it and to the other unknown fields give
different final verdicts. Fields that no shared rule links fall into independent blocks. Once every
answer is known, a block is summed up by its worst criterion status (met < unsure < unmet), and the
final verdict depends only on the worst hard status and the worst step status (rules.final_verdict).

So, for each block and each partial answer to its fields, the engine keeps:
- the block summaries its completions can reach (a bit mask over met / unsure / unmet);
- for each unknown field, which pairs of summaries flipping that field alone can produce;
and, from those, which of its fields decide the verdict for every possible mask of what the OTHER hard
blocks and the other step blocks can still reach (7 x 7 cases). An assessment then costs a few table
lookups; nothing about a person is cached.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .fields import ASK_ONLY_IF, FIELD_VALUES, PROFILE_FIELDS, QUESTION_ORDER, domain
from .rules import RULES, SEVERITY, Rule, final_verdict

SUMMARIES: tuple[str, ...] = ("met", "unsure", "unmet")
BIT: dict[str, int] = {s: 1 << i for i, s in enumerate(SUMMARIES)}
MASKS: tuple[int, ...] = tuple(range(1, 1 << len(SUMMARIES)))  # every non-empty set of summaries


def some_summary(mask: int) -> str:
    """One summary a mask holds (the mildest): when every way of answering agrees, any one will do."""
    return next(s for s in SUMMARIES if mask & BIT[s])


def worse(a: str, b: str) -> str:
    return a if SEVERITY[a] >= SEVERITY[b] else b


def _members(mask: int) -> tuple[str, ...]:
    return tuple(s for s in SUMMARIES if mask & BIT[s])


def _fold_table() -> dict[tuple[int, int], int]:
    """(mask a, mask b) -> the mask of worst(x, y) for x in a, y in b: what two groups reach together."""
    table = {}
    for a, b in itertools.product(MASKS, MASKS):
        mask = 0
        for x, y in itertools.product(_members(a), _members(b)):
            mask |= BIT[worse(x, y)]
        table[(a, b)] = mask
    return table


FOLD: dict[tuple[int, int], int] = _fold_table()
NOTHING_ELSE = BIT["met"]  # no other block: as if every other criterion were met
# The same table flattened for speed: FOLDS[a << 3 | b].
FOLDS: tuple[int, ...] = tuple(FOLD.get((a, b), 0) for a in range(8) for b in range(8))


@dataclass(frozen=True)
class Block:
    """Fields linked by shared rules, with those rules; a block holds hard rules only or steps only."""

    kind: str
    fields: tuple[str, ...]
    rules: tuple[Rule, ...]


def _blocks(rules: Iterable[Rule]) -> tuple[Block, ...]:
    """Group fields into connected components of the rule/field graph."""
    groups: list[tuple[set, list[Rule]]] = []
    for rule in rules:
        touching = [g for g in groups if g[0] & set(rule.fields)]
        merged_fields = set(rule.fields).union(*(g[0] for g in touching))
        merged_rules = [r for g in touching for r in g[1]] + [rule]
        groups = [g for g in groups if g not in touching] + [(merged_fields, merged_rules)]
    blocks = []
    for fields, members in groups:
        kinds = {r.kind for r in members}
        if len(kinds) != 1:
            raise AssertionError(f"rules {[r.id for r in members]} mix hard rules and steps")
        ordered = tuple(f for f in PROFILE_FIELDS if f in fields)
        blocks.append(Block(kinds.pop(), ordered, tuple(members)))
    return tuple(sorted(blocks, key=lambda b: PROFILE_FIELDS.index(b.fields[0])))


BLOCKS: tuple[Block, ...] = _blocks(RULES)

# Given a rule and complete answers to its fields: its final status (met / unsure / unmet) on the date.
StatusOf = Callable[[Rule, dict[str, object]], str]
# For one partial answer: (the summaries it can reach as a mask, and the fields of this block that decide
# the verdict, indexed by other hard mask << 3 | other step mask; None when no field of the block is unknown).
BlockEntry = tuple[int, "tuple[frozenset[str], ...] | None"]


def _verdict(kind: str, own: str, hard_others: str, step_others: str) -> str:
    if kind == "hard":
        return final_verdict(worse(own, hard_others), step_others)
    return final_verdict(hard_others, worse(own, step_others))


def analyse_block(block: Block, status_of: StatusOf) -> dict[tuple[object, ...], BlockEntry]:
    """For every partial answer to the block's fields: what it can reach and which fields decide."""
    table: dict[tuple[object, ...], BlockEntry] = {}
    for partial in itertools.product(*(domain(f) for f in block.fields)):
        known = dict(zip(block.fields, partial, strict=False))
        unknown = [f for f in block.fields if known[f] is None]
        summary: dict[tuple[object, ...], str] = {}
        for completion in itertools.product(*(FIELD_VALUES[f] for f in unknown)):
            answers = dict(known, **dict(zip(unknown, completion, strict=False)))
            worst = "met"
            for rule in block.rules:
                worst = worse(worst, status_of(rule, answers))
            summary[completion] = worst
        reach = 0
        for value in summary.values():
            reach |= BIT[value]
        flips: dict[str, set[tuple[str, str]]] = {}
        for i, name in enumerate(unknown):
            pairs = flips.setdefault(name, set())
            for completion, value in summary.items():
                for other in FIELD_VALUES[name]:
                    flipped = summary[completion[:i] + (other,) + completion[i + 1:]]
                    if flipped != value:
                        pairs.add((value, flipped))
        deciding: list[frozenset[str]] = [frozenset()] * 64
        for hard_mask, step_mask in itertools.product(MASKS, MASKS):
            fields = set()
            for name, pairs in flips.items():
                for (a, b), h, s in itertools.product(pairs, _members(hard_mask), _members(step_mask)):
                    if _verdict(block.kind, a, h, s) != _verdict(block.kind, b, h, s):
                        fields.add(name)
                        break
            deciding[hard_mask << 3 | step_mask] = frozenset(fields)
        table[partial] = (reach, tuple(deciding) if unknown else None)
    return table


def may_ask(name: str, answers: dict[str, object]) -> bool:
    """Follow-up questions only once the earlier answers make them relevant."""
    return all(answers[field] == value for field, value in ASK_ONLY_IF.get(name, ()))


def next_question(deciding: frozenset[str], answers: dict[str, object], skip: frozenset[str]) -> str | None:
    """The first field in QUESTION_ORDER that can change the verdict, was not skipped and may be asked."""
    if not deciding:
        return None
    for name in QUESTION_ORDER:
        if name in deciding and name not in skip and may_ask(name, answers):
            return name
    return None
