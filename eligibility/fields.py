"""The applicant profile's fields, their allowed values and the order the assistant asks them in.

Kept apart from the models so the rules, the question logic and the CLI share one definition.
"""

from __future__ import annotations

PROFILE_FIELDS: tuple[str, ...] = (
    "residence",
    "has_status_in_canada",
    "has_csq",
    "csq_program",
    "csq_valid",
    "pr_applied",
    "pr_decision",
    "has_invitation",
    "application_complete",
)

_BOOL: tuple[bool, bool] = (True, False)

FIELD_VALUES: dict[str, tuple] = {
    "residence": ("quebec", "other_province", "abroad"),
    "has_status_in_canada": _BOOL,
    "has_csq": _BOOL,
    "csq_program": ("regular_skilled_worker", "ai_it_vfx_pilot", "other"),
    "csq_valid": _BOOL,
    "pr_applied": _BOOL,
    "pr_decision": ("none", "approved", "refused"),
    "has_invitation": _BOOL,
    "application_complete": _BOOL,
}

# The order questions are asked in: where the person lives first, because living in Quebec ends the screening.
QUESTION_ORDER: tuple[str, ...] = PROFILE_FIELDS

# Follow-up questions, asked only once an earlier answer makes them relevant: field -> (field, value).
ASK_ONLY_IF: dict[str, tuple[str, object]] = {
    "has_status_in_canada": ("residence", "other_province"),
    "csq_program": ("has_csq", True),
    "csq_valid": ("has_csq", True),
    "pr_decision": ("pr_applied", True),
}

BOOL_FIELDS: tuple[str, ...] = tuple(f for f, v in FIELD_VALUES.items() if v == _BOOL)


def domain(field: str) -> tuple[object | None, ...]:
    """Every value a field can hold, None (unknown) included."""
    return (None,) + tuple(FIELD_VALUES[field])
