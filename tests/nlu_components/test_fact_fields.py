"""The extractor's fields and values follow the eligibility engine's profile (eligibility/fields.py)."""

from __future__ import annotations

from pathlib import Path

from eligibility.fields import FIELD_VALUES
from nlu_components import facts


def _profile_field_values() -> dict[str, tuple]:
    return FIELD_VALUES


def _as_entity_value(value: object) -> str:
    return {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else str(value)


def test_extractor_values_match_profile_fields() -> None:
    """Every profile field has the same values in the extractor, as entity strings ("true"/"false")."""
    profile = _profile_field_values()
    assert set(facts.FIELD_VALUES) == set(profile)
    for name, values in profile.items():
        assert facts.FIELD_VALUES[name] == tuple(_as_entity_value(v) for v in values), name


def test_extractor_fields_are_profile_fields_plus_place() -> None:
    """FIELDS lists the profile fields and the display-only "place"."""
    assert set(facts.FIELDS) == set(_profile_field_values()) | {"place"}


def test_every_profile_field_and_value_has_a_pattern() -> None:
    """Each value a field can take is produced by at least one pattern group (residence: residence.py)."""
    _, _, groups = facts._load_groups()
    produced: dict[str, set[str]] = {}
    for group, _patterns in groups:
        values = {group.value, group.if_negated, *(v for _, v in group.inherit_as)}
        produced.setdefault(group.field, set()).update(v for v in values if v)
    for name, values in facts.FIELD_VALUES.items():
        if name != "residence":
            assert set(values) <= produced.get(name, set()), (name, set(values) - produced.get(name, set()))


def test_no_pattern_names_a_removed_field() -> None:
    """has_status_in_canada was replaced by status_in_canada."""
    text = facts.PATTERN_FILE.read_text(encoding="utf-8")
    assert "has_status_in_canada" not in text
    assert "has_status_in_canada" not in Path(facts.__file__).read_text(encoding="utf-8")
