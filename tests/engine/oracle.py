"""An independent, deliberately plain statement of the IMP+ rules, used to check the engine.

It restates /work/shared/FACTS.md criterion by criterion as truth tables and brute force, with no
code shared with eligibility.rules or eligibility.questions, so a bug in the engine's tables or in
its block analysis shows up as a disagreement.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

FIELDS = {
    "residence": ("quebec", "other_province", "abroad"),
    "has_status_in_canada": (True, False),
    "has_csq": (True, False),
    "csq_program": ("regular_skilled_worker", "ai_it_vfx_pilot", "other"),
    "csq_valid": (True, False),
    "pr_applied": (True, False),
    "pr_decision": ("none", "approved", "refused"),
    "has_invitation": (True, False),
    "application_complete": (True, False),
}
ORDER = tuple(FIELDS)
ACCEPTED_PROGRAMS = {"regular_skilled_worker", "ai_it_vfx_pilot"}  # FACTS.md: PRTQ or the AI/IT/VFX pilot
STEPS = {"invitation", "complete_application"}
FOLLOW_UPS = {"has_status_in_canada": ("residence", "other_province"), "csq_program": ("has_csq", True),
              "csq_valid": ("has_csq", True), "pr_decision": ("pr_applied", True)}

OK, NO, UNKNOWN = "met", "unmet", "unknown"

# Each criterion for a person who answered everything, as FACTS.md states it: (fields read, test).
CRITERIA = {
    "outside_quebec": (("residence",), lambda a: a["residence"] != "quebec"),
    "has_csq": (("has_csq",), lambda a: a["has_csq"]),
    "eligible_program": (("csq_program",), lambda a: a["csq_program"] in ACCEPTED_PROGRAMS),
    # A valid CSQ; or an expired one with a PR application (filed while valid) still in process.
    "csq_valid": (("csq_valid", "pr_applied", "pr_decision"),
                  lambda a: a["csq_valid"] or (a["pr_applied"] and a["pr_decision"] == "none")),
    "invitation": (("has_invitation",), lambda a: a["has_invitation"]),
    "complete_application": (("application_complete",), lambda a: a["application_complete"]),
    # No PR application, or one IRCC has neither approved nor refused.
    "no_pr_decision": (("pr_applied", "pr_decision"),
                       lambda a: not a["pr_applied"] or a["pr_decision"] == "none"),
    # Only people in another province must be able to apply from inside Canada.
    "can_apply_from_canada": (("residence", "has_status_in_canada"),
                              lambda a: a["residence"] != "other_province" or a["has_status_in_canada"]),
}


def statuses(p: Mapping[str, object]) -> dict[str, str]:
    """Criterion id -> met / unmet / unknown: met if every way to answer its unknown fields meets it."""
    found = {}
    for name, (fields, test) in CRITERIA.items():
        unknown = [f for f in fields if p.get(f) is None]
        outcomes = set()
        for values in itertools.product(*(FIELDS[f] for f in unknown)):
            answers = {**{f: p.get(f) for f in fields}, **dict(zip(unknown, values, strict=True))}
            outcomes.add(bool(test(answers)))
        found[name] = UNKNOWN if len(outcomes) == 2 else (OK if outcomes == {True} else NO)
    return found


def final_verdict(p: Mapping[str, object]) -> str:
    """The verdict for a profile with every field answered."""
    s = statuses(p)
    hard = [v for k, v in s.items() if k not in STEPS]
    steps = [v for k, v in s.items() if k in STEPS]
    assert UNKNOWN not in s.values(), (p, s)
    if NO in hard:
        return "not_eligible"
    return "not_yet" if NO in steps else "eligible"


def verdict(p: Mapping[str, object]) -> str:
    """The verdict as the brief states it, from statuses."""
    s = statuses(p)
    hard = {v for k, v in s.items() if k not in STEPS}
    steps = {v for k, v in s.items() if k in STEPS}
    if NO in hard:
        return "not_eligible"
    if UNKNOWN in hard:
        return "need_more_info"
    if NO in steps:
        return "not_yet"  # the other step, even unknown, cannot change this
    return "need_more_info" if UNKNOWN in steps else "eligible"


def completions(p: Mapping[str, object]) -> Iterable[dict[str, object]]:
    """Every way to answer the fields still unknown."""
    unknown = [f for f in ORDER if p.get(f) is None]
    for values in itertools.product(*(FIELDS[f] for f in unknown)):
        yield {**{f: p.get(f) for f in ORDER}, **dict(zip(unknown, values, strict=True))}


def verdict_by_completion(p: Mapping[str, object]) -> str:
    """The verdict if every completion agrees on one, else need_more_info."""
    seen = {final_verdict(c) for c in completions(p)}
    return seen.pop() if len(seen) == 1 else "need_more_info"


def can_change_verdict(p: Mapping[str, object]) -> set[str]:
    """Unknown fields for which two answers (with the same answers elsewhere) give different verdicts."""
    unknown = [f for f in ORDER if p.get(f) is None]
    table = {tuple(c[f] for f in unknown): final_verdict(c) for c in completions(p)}
    found = set()
    for i, name in enumerate(unknown):
        for key, result in table.items():
            if any(table[key[:i] + (v,) + key[i + 1:]] != result for v in FIELDS[name]):
                found.add(name)
                break
    return found


def expected_question(p: Mapping[str, object], skip: Iterable[str] = ()) -> str | None:
    """The first field in the fixed order that can change the verdict, was not skipped, and may be asked."""
    if verdict(p) == "not_eligible":
        return None
    changing = can_change_verdict(p)
    skipped = set(skip)
    for name in ORDER:
        if name in changing and name not in skipped:
            follow = FOLLOW_UPS.get(name)
            if follow is None or p.get(follow[0]) == follow[1]:
                return name
    return None
