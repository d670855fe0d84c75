"""The applicant profile's fields, declared once: name, allowed values, when it may be asked, and order.

Everything else about a field is derived from this declaration (the `Profile` model, the rules' fact keys,
the question logic, the extractor's entity values, the screening form's ask actions) or checked against
it by a test (domain.yml: tests/actions/test_domain_matches_engine.py). No pydantic here: the NLU
extractor reads these constants too.
"""

from __future__ import annotations

from dataclasses import dataclass

BOOL: tuple[bool, bool] = (True, False)


@dataclass(frozen=True)
class ProfileField:
    """One question the assistant may ask.

    ``values`` are the answers it accepts (``BOOL`` for a yes / no question). ``ask_only_if`` makes it a
    follow-up: every (earlier field, value) pair must hold before it is asked.
    """

    name: str
    values: tuple
    ask_only_if: tuple[tuple[str, object], ...] = ()


# In the order the questions are asked: where the person lives first, because living in Quebec ends the
# screening.
FIELD_SPECS: tuple[ProfileField, ...] = (
    ProfileField("residence", ("quebec", "other_province", "abroad")),
    # Asked only of people in another province: what lets them stay in Canada.
    ProfileField(
        "status_in_canada", ("work_or_study_permit", "visitor", "none"), (("residence", "other_province"),)
    ),
    ProfileField("has_csq", BOOL),
    # The Quebec program that issued the CSQ; each has a `csq_program_<value>` fact in data/program.yaml.
    ProfileField(
        "csq_program",
        ("regular_skilled_worker", "pstq", "ai_it_vfx_pilot", "peq", "other"),
        (("has_csq", True),),
    ),
    ProfileField("csq_valid", BOOL, (("has_csq", True),)),
    ProfileField("pr_applied", BOOL),
    ProfileField("pr_decision", ("none", "approved", "refused"), (("pr_applied", True),)),
    # Asked only when the CSQ has expired and a PR application was filed: was it filed while the CSQ was
    # still valid?
    ProfileField("pr_filed_while_csq_valid", BOOL, (("csq_valid", False), ("pr_applied", True))),
    ProfileField("has_invitation", BOOL),
    ProfileField("application_complete", BOOL),
)

PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELD_SPECS)
FIELD_VALUES: dict[str, tuple] = {f.name: f.values for f in FIELD_SPECS}
# The order questions are asked in.
QUESTION_ORDER: tuple[str, ...] = PROFILE_FIELDS
# Follow-up questions: field -> every (field, value) that must hold.
ASK_ONLY_IF: dict[str, tuple[tuple[str, object], ...]] = {
    f.name: f.ask_only_if for f in FIELD_SPECS if f.ask_only_if
}
BOOL_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELD_SPECS if f.values == BOOL)


def domain(field: str) -> tuple[object | None, ...]:
    """Every value a field can hold, None (unknown) included."""
    return (None,) + tuple(FIELD_VALUES[field])


def _check_fields() -> None:
    """Fail at import on a declaration the rest cannot derive from: a duplicate name, a value of a mixed
    type, or a follow-up on a later or unknown field or on a value that field cannot take."""
    seen: list[str] = []
    for spec in FIELD_SPECS:
        assert spec.name not in seen and spec.values, spec
        assert spec.values == BOOL or all(isinstance(v, str) for v in spec.values), spec
        for name, value in spec.ask_only_if:
            assert name in seen and value in FIELD_VALUES[name], (spec.name, name, value)
        seen.append(spec.name)


_check_fields()
