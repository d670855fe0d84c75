"""The eligibility rules, one pure function per criterion (see /work/shared/FACTS.md, "Eligibility").

Each function reads only its own profile fields and returns an outcome name: "met", "unmet" or
"unknown", optionally followed by "_<detail>" (e.g. "met_pr_filed"). The prefix is the criterion's
status; the whole name picks the reason text in data/texts.yaml. None always means "unknown".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .fields import FIELD_VALUES

Values = Mapping[str, object | None]
Accepted = frozenset[str]  # CSQ program codes IMP+ accepts on the assessment date


def outside_quebec(v: Values, accepted: Accepted) -> str:
    """Applicants must live abroad or in another province when they apply."""
    residence = v["residence"]
    if residence is None:
        return "unknown"
    return "unmet" if residence == "quebec" else "met"


def _yes_no(answer: bool | None) -> str:
    """A criterion that is simply the person's yes or no: met, unmet, or unknown until they say."""
    if answer is None:
        return "unknown"
    return "met" if answer else "unmet"


def has_csq(v: Values, accepted: Accepted) -> str:
    """Applicants must hold a Quebec Selection Certificate."""
    return _yes_no(v["has_csq"])


def eligible_program(v: Values, accepted: Accepted) -> str:
    """The CSQ must come from a program IMP+ accepts (PRTQ->PSTQ and the pilot's closing are caveats)."""
    program = v["csq_program"]
    if program is None:
        return "unknown"
    return "met" if program in accepted else "unmet"


def csq_valid(v: Values, accepted: Accepted) -> str:
    """A valid CSQ, or an expired one with a PR application (assumed filed while valid) still in process."""
    valid, applied, decision = v["csq_valid"], v["pr_applied"], v["pr_decision"]
    pending = applied is True and decision == "none"
    if valid:
        return "met"
    if valid is None:
        return "met_pr_pending" if pending else "unknown"  # pending: the CSQ counts either way
    if pending:
        return "met_pr_filed"
    if applied is False:
        return "unmet_no_pr"
    if decision in ("approved", "refused"):
        return "unmet_pr_decided"  # with or without a known application, none is in process
    return "unknown_pr"


def invitation(v: Values, accepted: Accepted) -> str:
    """MIFI's letter of invitation: a step the person can still take."""
    return _yes_no(v["has_invitation"])


def complete_application(v: Values, accepted: Accepted) -> str:
    """A complete work permit application: a step the person can still take."""
    return _yes_no(v["application_complete"])


def no_pr_decision(v: Values, accepted: Accepted) -> str:
    """IMP+ is for people still waiting: an approved or refused PR application rules it out.

    No PR application means no decision, whatever pr_decision says; a decision implies an application.
    """
    applied, decision = v["pr_applied"], v["pr_decision"]
    if applied is False:
        return "met_no_application"
    if decision == "none":
        return "met_pending"
    if applied is None:
        return "unknown"  # even a decision counts only once we know there was an application
    if decision == "approved":
        return "unmet_approved"
    if decision == "refused":
        return "unmet_refused"
    return "unknown_decision"


def can_apply_from_canada(v: Values, accepted: Accepted) -> str:
    """Someone in another province must be able to apply from inside Canada (we ask about status)."""
    residence, status = v["residence"], v["has_status_in_canada"]
    if residence is None:
        return "met_has_status" if status else "unknown"  # with status, every residence passes
    if residence == "abroad":
        return "met_abroad"
    if residence == "quebec":
        return "met_quebec"  # outside_quebec already fails; this one does not apply
    if status is None:
        return "unknown_status"
    return "met_status" if status else "unmet"


@dataclass(frozen=True)
class Rule:
    """One criterion: its id, whether it is a hard rule or a step still to take, the fields it reads,
    the function deciding it, the outcomes that function can return and the program key citing it."""

    id: str
    kind: str
    fields: tuple[str, ...]
    decide: Callable[[Values, Accepted], str]
    outcomes: tuple[str, ...]
    source_key: str


RULES: tuple[Rule, ...] = (
    Rule("outside_quebec", "hard", ("residence",), outside_quebec,
         ("met", "unmet", "unknown"), "rule_outside_quebec"),
    Rule("has_csq", "hard", ("has_csq",), has_csq,
         ("met", "unmet", "unknown"), "rule_has_csq"),
    Rule("eligible_program", "hard", ("csq_program",), eligible_program,
         ("met", "unmet", "unknown"), "eligible_csq_programs"),
    Rule("csq_valid", "hard", ("csq_valid", "pr_applied", "pr_decision"), csq_valid,
         ("met", "met_pr_filed", "met_pr_pending", "unmet_no_pr", "unmet_pr_decided",
          "unknown", "unknown_pr"),
         "rule_csq_valid"),
    Rule("invitation", "step", ("has_invitation",), invitation,
         ("met", "unmet", "unknown"), "rule_invitation"),
    Rule("complete_application", "step", ("application_complete",), complete_application,
         ("met", "unmet", "unknown"), "rule_complete_application"),
    Rule("no_pr_decision", "hard", ("pr_applied", "pr_decision"), no_pr_decision,
         ("met_no_application", "met_pending", "unmet_approved", "unmet_refused",
          "unknown", "unknown_decision"),
         "rule_no_pr_decision"),
    Rule("can_apply_from_canada", "hard", ("residence", "has_status_in_canada"), can_apply_from_canada,
         ("met_status", "met_has_status", "met_abroad", "met_quebec", "unmet", "unknown_status", "unknown"),
         "rule_can_apply_from_canada"),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
STEP_IDS: tuple[str, ...] = tuple(r.id for r in RULES if r.kind == "step")


def status_of(outcome: str) -> str:
    """'met_pr_filed' -> 'met': the status is the outcome's first word."""
    return outcome.split("_", 1)[0]


def verdict_of(statuses: Mapping[str, str], kinds: Mapping[str, str]) -> str:
    """The verdict from criterion statuses.

    Any hard rule unmet: not_eligible (nothing left can change that). Any hard rule unknown:
    need_more_info. All hard rules met and a step unmet: not_yet (an unknown other step cannot change
    that). Otherwise a step unknown: need_more_info; everything met: eligible.
    """
    hard = [s for i, s in statuses.items() if kinds[i] == "hard"]
    steps = [s for i, s in statuses.items() if kinds[i] == "step"]
    if "unmet" in hard:
        return "not_eligible"
    if "unknown" in hard:
        return "need_more_info"
    if "unmet" in steps:
        return "not_yet"
    if "unknown" in steps:
        return "need_more_info"
    return "eligible"


def _check_rules() -> None:
    """Fail at import if a rule names a field that does not exist or an outcome without a status."""
    for rule in RULES:
        assert rule.kind in ("hard", "step"), rule
        for name in rule.fields:
            assert name in FIELD_VALUES, (rule.id, name)
        for outcome in rule.outcomes:
            assert status_of(outcome) in ("met", "unmet", "unknown"), (rule.id, outcome)


_check_rules()
