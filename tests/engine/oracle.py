"""An independent, deliberately plain statement of the IMP+ rules, written from the shared FACTS.md.

It restates FACTS.md criterion by criterion as truth tables and brute force, with no code shared with
eligibility.rules, eligibility.questions or the data file, so a bug in the engine's tables, in its block
analysis or in the way a fact's confidence reaches the verdict shows up as a disagreement.

Each criterion, for a person who answered everything, is MET, UNMET or UNSURE. UNSURE is FACTS.md's
"unsure: sources disagree or are silent": the assistant may neither accept nor refuse on it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping

FIELDS = {
    "residence": ("quebec", "other_province", "abroad"),
    "status_in_canada": ("work_or_study_permit", "visitor", "none"),
    "has_csq": (True, False),
    "csq_program": ("regular_skilled_worker", "pstq", "ai_it_vfx_pilot", "peq", "other"),
    "csq_valid": (True, False),
    "pr_applied": (True, False),
    "pr_decision": ("none", "approved", "refused"),
    "pr_filed_while_csq_valid": (True, False),
    "has_invitation": (True, False),
    "application_complete": (True, False),
}
ORDER = tuple(FIELDS)
STEPS = {"invitation", "complete_application"}
FOLLOW_UPS = {
    "status_in_canada": {"residence": "other_province"},
    "csq_program": {"has_csq": True},
    "csq_valid": {"has_csq": True},
    "pr_decision": {"pr_applied": True},
    "pr_filed_while_csq_valid": {"csq_valid": False, "pr_applied": True},
}

MET, UNMET, UNSURE, UNKNOWN = "met", "unmet", "unsure", "unknown"

# FACTS.md, "Eligibility": a CSQ "issued as a skilled worker under the Regular Skilled Worker Program (PRTQ)
# or the Permanent Immigration Pilot Program for workers in AI, IT and VFX". "Status": a CSQ already issued
# under the pilot is still a CSQ of a program the IMP+ instructions name, after the pilot closed; whether a
# PSTQ CSQ counts is unsure (no source either way); the PEQ is not one of the two programs named.
PROGRAM = {
    "regular_skilled_worker": MET, "ai_it_vfx_pilot": MET, "pstq": UNSURE, "peq": UNMET, "other": UNMET,
}
# FACTS.md: someone in another province "must be eligible to apply from inside Canada". IRCC's R199 list
# (persons who may apply from within Canada) names work and study permit holders; it does not name visitors
# or people without status except in cases we do not ask about, so for them it is unsure.
WITHIN_CANADA = {"work_or_study_permit": MET, "visitor": UNSURE, "none": UNSURE}


def _yes(flag: object) -> str:
    return MET if flag else UNMET


# Each criterion for a person who answered everything: (fields read, outcome).
CRITERIA = {
    # Lives outside Quebec when applying.
    "outside_quebec": (("residence",), lambda a: _yes(a["residence"] != "quebec")),
    # Holds a CSQ...
    "has_csq": (("has_csq",), lambda a: _yes(a["has_csq"])),
    # ...from one of the two programs the instructions name.
    "eligible_program": (("csq_program",), lambda a: PROGRAM[a["csq_program"]]),
    # Not eligible if the CSQ has expired and no PR application was filed while it was valid; a PR
    # application filed must have been filed while the CSQ was valid and still be in process.
    "csq_valid": (
        ("csq_valid", "pr_applied", "pr_decision", "pr_filed_while_csq_valid"),
        lambda a: _yes(a["csq_valid"] or (a["pr_applied"] and a["pr_filed_while_csq_valid"]
                                           and a["pr_decision"] == "none")),
    ),
    # A letter of invitation from MIFI; a complete application: steps the person can still take.
    "invitation": (("has_invitation",), lambda a: _yes(a["has_invitation"])),
    "complete_application": (("application_complete",), lambda a: _yes(a["application_complete"])),
    # Not eligible if IRCC has already approved or refused the PR application.
    "no_pr_decision": (
        ("pr_applied", "pr_decision"),
        lambda a: _yes(not (a["pr_applied"] and a["pr_decision"] in ("approved", "refused"))),
    ),
    # Only someone already in Canada outside Quebec must be eligible to apply from inside Canada.
    "can_apply_from_canada": (
        ("residence", "status_in_canada"),
        lambda a: MET if a["residence"] != "other_province" else WITHIN_CANADA[a["status_in_canada"]],
    ),
}


@functools.cache
def _status(name: str, given: tuple[object, ...]) -> str:
    """One criterion's outcome if every way to answer its unknown fields agrees, else unknown (memoised on
    the criterion's own answers, so checking every profile stays fast)."""
    fields, outcome = CRITERIA[name]
    unknown = [f for f, v in zip(fields, given, strict=True) if v is None]
    outcomes = set()
    for values in itertools.product(*(FIELDS[f] for f in unknown)):
        answers = {**dict(zip(fields, given, strict=True)), **dict(zip(unknown, values, strict=True))}
        outcomes.add(outcome(answers))
    return outcomes.pop() if len(outcomes) == 1 else UNKNOWN


def statuses(p: Mapping[str, object]) -> dict[str, str]:
    """Criterion id -> its outcome if every way to answer its unknown fields agrees, else unknown."""
    return {name: _status(name, tuple(p.get(f) for f in fields)) for name, (fields, _) in CRITERIA.items()}


def final_verdict(p: Mapping[str, object]) -> str:
    """The verdict for a profile with every field answered. Never refused on an unsure rule."""
    s = statuses(p)
    assert UNKNOWN not in s.values(), (p, s)
    hard = {v for k, v in s.items() if k not in STEPS}
    steps = {v for k, v in s.items() if k in STEPS}
    if UNMET in hard:
        return "not_eligible"
    if UNSURE in hard | steps:
        return "unconfirmed"
    return "not_yet" if UNMET in steps else "eligible"


def verdict(p: Mapping[str, object]) -> str:
    """The verdict as the brief states it, from statuses."""
    s = statuses(p)
    hard = {v for k, v in s.items() if k not in STEPS}
    steps = {v for k, v in s.items() if k in STEPS}
    if UNMET in hard:
        return "not_eligible"
    if UNKNOWN in hard:
        return "need_more_info"
    if UNSURE in hard | steps:
        return "unconfirmed"
    if UNMET in steps:
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
            if all(p.get(field) == value for field, value in FOLLOW_UPS.get(name, {}).items()):
                return name
    return None
