"""The applicant profile's fields, their allowed values and the order the assistant asks them in.

Kept apart from the models so the rules, the question logic and the CLI share one definition.
"""

from __future__ import annotations

PROFILE_FIELDS: tuple[str, ...] = (
    "residence",
    "status_in_canada",
    "has_csq",
    "csq_program",
    "csq_valid",
    "pr_applied",
    "pr_decision",
    "pr_filed_while_csq_valid",
    "has_invitation",
    "application_complete",
)

_BOOL: tuple[bool, bool] = (True, False)

FIELD_VALUES: dict[str, tuple] = {
    "residence": ("quebec", "other_province", "abroad"),
    # Asked only of people in another province: what lets them stay in Canada.
    "status_in_canada": ("work_or_study_permit", "visitor", "none"),
    "has_csq": _BOOL,
    # The Quebec program that issued the CSQ; each has a `csq_program_<value>` fact in data/program.yaml.
    "csq_program": ("regular_skilled_worker", "pstq", "ai_it_vfx_pilot", "peq", "other"),
    "csq_valid": _BOOL,
    "pr_applied": _BOOL,
    "pr_decision": ("none", "approved", "refused"),
    # Asked only when the CSQ has expired and a PR application was filed: was it filed while the CSQ was
    # still valid?
    "pr_filed_while_csq_valid": _BOOL,
    "has_invitation": _BOOL,
    "application_complete": _BOOL,
}

# The order questions are asked in: where the person lives first, because living in Quebec ends the screening.
QUESTION_ORDER: tuple[str, ...] = PROFILE_FIELDS

# Follow-up questions, asked only once earlier answers make them relevant: field -> every (field, value)
# that must hold.
ASK_ONLY_IF: dict[str, tuple[tuple[str, object], ...]] = {
    "status_in_canada": (("residence", "other_province"),),
    "csq_program": (("has_csq", True),),
    "csq_valid": (("has_csq", True),),
    "pr_decision": (("pr_applied", True),),
    "pr_filed_while_csq_valid": (("csq_valid", False), ("pr_applied", True)),
}

BOOL_FIELDS: tuple[str, ...] = tuple(f for f, v in FIELD_VALUES.items() if v == _BOOL)


def domain(field: str) -> tuple[object | None, ...]:
    """Every value a field can hold, None (unknown) included."""
    return (None,) + tuple(FIELD_VALUES[field])
