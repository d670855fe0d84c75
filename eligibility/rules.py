"""The eligibility rules, one pure function per criterion (see FACTS.md beside the repository, "Eligibility").

Each function reads only its own profile fields, plus any program facts it needs through `facts.get(key)`,
and returns an outcome name: "met", "unmet" or "unknown", optionally followed by "_<detail>" (e.g.
"met_pr_filed"). The prefix is the criterion's status; the whole name picks the reason text in
data/texts.yaml. None always means "unknown".

A rule never looks at how sure a fact is. The engine does (eligibility.dated_context): when a met or unmet
outcome rests on a fact the data marks `confidence: unsure`, the status becomes "unsure" ("met_pstq"
becomes "unsure_pstq"), whatever the criterion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .fields import FIELD_VALUES

Values = Mapping[str, object | None]

STATUSES: tuple[str, ...] = ("met", "unmet", "unknown", "unsure")


class Facts(Protocol):
    """The program facts in force on the assessment date, as a rule reads them."""

    def get(self, key: str) -> Any:
        """The value of a program key on the date, or None when nothing is in force."""


def outside_quebec(v: Values, facts: Facts) -> str:
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


def has_csq(v: Values, facts: Facts) -> str:
    """Applicants must hold a Quebec Selection Certificate."""
    return _yes_no(v["has_csq"])


def eligible_program(v: Values, facts: Facts) -> str:
    """The CSQ must come from a program whose CSQ counts for IMP+ (the `csq_program_<code>` fact says)."""
    program = v["csq_program"]
    if program is None:
        return "unknown"
    fact = facts.get(f"csq_program_{program}")
    counts = fact is not None and fact.counts
    return f"{'met' if counts else 'unmet'}_{program}"


def csq_valid(v: Values, facts: Facts) -> str:
    """A valid CSQ, or an expired one with a PR application filed while it was valid and still in process."""
    valid, applied = v["csq_valid"], v["pr_applied"]
    decision, filed_in_time = v["pr_decision"], v["pr_filed_while_csq_valid"]
    pending_in_time = applied is True and decision == "none" and filed_in_time is True
    if valid:
        return "met"
    if valid is None:
        return "met_pr_pending" if pending_in_time else "unknown"  # it counts whether valid or not
    if applied is False:
        return "unmet_no_pr"
    if decision in ("approved", "refused"):
        return "unmet_pr_decided"  # with or without a known application, none is in process
    if filed_in_time is False:
        return "unmet_pr_filed_late"  # the only application was filed after the CSQ expired
    if pending_in_time:
        return "met_pr_filed"
    if applied is None or decision is None:
        return "unknown_pr"
    return "unknown_filed_in_time"


def invitation(v: Values, facts: Facts) -> str:
    """MIFI's letter of invitation: a step the person can still take."""
    return _yes_no(v["has_invitation"])


def complete_application(v: Values, facts: Facts) -> str:
    """A complete work permit application: a step the person can still take."""
    return _yes_no(v["application_complete"])


def no_pr_decision(v: Values, facts: Facts) -> str:
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


def can_apply_from_canada(v: Values, facts: Facts) -> str:
    """Someone in another province must be allowed to apply from inside Canada; the
    `apply_from_within_canada_<status>` fact says whether their status allows it."""
    residence, status = v["residence"], v["status_in_canada"]
    if residence is None:
        if status is not None and facts.get(f"apply_from_within_canada_{status}"):
            return "met_has_status"  # wherever they live, this point is met
        return "unknown"
    if residence == "abroad":
        return "met_abroad"
    if residence == "quebec":
        return "met_quebec"  # outside_quebec already fails; this one does not apply
    if status is None:
        return "unknown_status"
    allowed = facts.get(f"apply_from_within_canada_{status}")
    return f"{'met' if allowed else 'unmet'}_{status}"


@dataclass(frozen=True)
class Rule:
    """One criterion: its id, whether it is a hard rule or a step still to take, the fields it reads,
    the function deciding it, the program key citing it (a text), and the program keys it may read, each
    with its type in data/program.yaml (templates filled with a field's values, e.g.
    "csq_program_{csq_program}")."""

    id: str
    kind: str
    fields: tuple[str, ...]
    decide: Callable[[Values, Facts], str]
    source_key: str
    fact_keys: tuple[tuple[str, str], ...] = ()


RULES: tuple[Rule, ...] = (
    Rule("outside_quebec", "hard", ("residence",), outside_quebec, "rule_outside_quebec"),
    Rule("has_csq", "hard", ("has_csq",), has_csq, "rule_has_csq"),
    Rule("eligible_program", "hard", ("csq_program",), eligible_program, "rule_csq_program",
         (("csq_program_{csq_program}", "csq_program"),)),
    Rule("csq_valid", "hard", ("csq_valid", "pr_applied", "pr_decision", "pr_filed_while_csq_valid"),
         csq_valid, "rule_csq_valid"),
    Rule("invitation", "step", ("has_invitation",), invitation, "rule_invitation"),
    Rule("complete_application", "step", ("application_complete",), complete_application,
         "rule_complete_application"),
    Rule("no_pr_decision", "hard", ("pr_applied", "pr_decision"), no_pr_decision, "rule_no_pr_decision"),
    Rule("can_apply_from_canada", "hard", ("residence", "status_in_canada"), can_apply_from_canada,
         "rule_can_apply_from_canada", (("apply_from_within_canada_{status_in_canada}", "flag"),)),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
STEP_IDS: tuple[str, ...] = tuple(r.id for r in RULES if r.kind == "step")


def status_of(outcome: str) -> str:
    """'met_pr_filed' -> 'met': the status is the outcome's first word."""
    return outcome.split("_", 1)[0]


def with_status(outcome: str, status: str) -> str:
    """'met_pstq' with status 'unsure' -> 'unsure_pstq'."""
    _, _, detail = outcome.partition("_")
    return f"{status}_{detail}" if detail else status


def _template_field(template: str) -> str:
    """'csq_program_{csq_program}' -> 'csq_program'."""
    return template[template.index("{") + 1:template.index("}")]


def required_keys() -> dict[str, str]:
    """Every program key a rule reads, with the type data/program.yaml must give it: each rule's source
    (a text) and one fact per value of the fields its templates name (for the data file check)."""
    keys: dict[str, str] = {rule.source_key: "text" for rule in RULES}
    for rule in RULES:
        for template, kind in rule.fact_keys:
            field = _template_field(template)
            for value in FIELD_VALUES[field]:
                keys[template.format(**{field: value})] = kind
    return keys


# The worst status of a group of criteria decides it: met < unsure < unmet.
SEVERITY: dict[str, int] = {"met": 0, "unsure": 1, "unmet": 2}


def final_verdict(hard: str, steps: str) -> str:
    """The verdict once every answer is known, from the worst hard status and the worst step status.

    A hard rule unmet: not_eligible. Else anything unsure: unconfirmed (never eligible, never refused on a
    rule nobody could confirm). Else a step unmet: not_yet. Else eligible. With answers missing, the
    verdict is the one every way of answering them agrees on, or need_more_info (eligibility.engine).
    """
    if hard == "unmet":
        return "not_eligible"
    if hard == "unsure" or steps == "unsure":
        return "unconfirmed"
    if steps == "unmet":
        return "not_yet"
    return "eligible"


def _check_rules() -> None:
    """Fail at import if a rule names a field that does not exist or a fact template without a field."""
    for rule in RULES:
        assert rule.kind in ("hard", "step"), rule
        for name in rule.fields:
            assert name in FIELD_VALUES, (rule.id, name)
        for template, _kind in rule.fact_keys:
            assert _template_field(template) in rule.fields, (rule.id, template)


_check_rules()
