"""Which question to ask next: the first field, in a fixed order, whose answer can still change the verdict.

A field "can change the verdict" when some answers to it and to the other unknown fields give
different final verdicts. Fields that no shared rule links fall into independent blocks, and the
final verdict only depends on whether every hard rule is met (H) and whether every step is met (S).
So a field in a hard block matters exactly when every other hard block can still be fully met and
its own block's "all met" depends on it; a step field matters when, in addition, every hard block and
every other step block can still be fully met. Per block, the handful of partial answers is analysed
once (a few dozen cases), which keeps each assessment to a few dictionary lookups.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from .fields import ASK_ONLY_IF, FIELD_VALUES, PROFILE_FIELDS, QUESTION_ORDER, domain
from .rules import RULES, Accepted, Rule, status_of

# For each block of partial answers: can all its rules still be met, and which unknown fields decide it.
BlockTable = dict[tuple[object, ...], tuple[bool, frozenset[str]]]


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


def _all_met(block: Block, answers: dict[str, object], accepted: Accepted) -> bool:
    return all(status_of(rule.decide(answers, accepted)) == "met" for rule in block.rules)


def analyse_block(block: Block, accepted: Accepted) -> BlockTable:
    """For every partial answer to the block's fields: (can all be met, fields that decide it)."""
    table: BlockTable = {}
    for partial in itertools.product(*(domain(f) for f in block.fields)):
        known = dict(zip(block.fields, partial, strict=False))
        unknown = [f for f in block.fields if known[f] is None]
        outcomes: dict[tuple[object, ...], bool] = {}
        for completion in itertools.product(*(FIELD_VALUES[f] for f in unknown)):
            answers = dict(known, **dict(zip(unknown, completion, strict=False)))
            outcomes[completion] = _all_met(block, answers, accepted)
        deciding = set()
        for i, name in enumerate(unknown):
            for completion, met in outcomes.items():
                for other in FIELD_VALUES[name]:
                    flipped = completion[:i] + (other,) + completion[i + 1:]
                    if outcomes[flipped] != met:
                        deciding.add(name)
                        break
                if name in deciding:
                    break
        table[partial] = (any(outcomes.values()), frozenset(deciding))
    return table


def may_ask(name: str, answers: dict[str, object]) -> bool:
    """Follow-up questions only once the earlier answer makes them relevant."""
    condition = ASK_ONLY_IF.get(name)
    return condition is None or answers[condition[0]] == condition[1]


def next_question(deciding: frozenset[str], answers: dict[str, object], skip: frozenset[str]) -> str | None:
    """The first field in QUESTION_ORDER that can change the verdict, was not skipped and may be asked."""
    if not deciding:
        return None
    for name in QUESTION_ORDER:
        if name in deciding and name not in skip and may_ask(name, answers):
            return name
    return None
