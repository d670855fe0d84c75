"""The one placeholder syntax: `{name}` or `{name.attribute}`, filled by a lookup or from values."""

from __future__ import annotations

import pytest

from i18n.placeholders import fill, fill_values, placeholders, stray_braces


def test_placeholders_are_read_in_order() -> None:
    found = placeholders("{cap} in {cap.first_year}, {a_1}")
    assert found == [("cap", None), ("cap", "first_year"), ("a_1", None)]


@pytest.mark.parametrize("text", ["{Cap}", "{cap", "cap}", "{ cap }", "{cap.}", "{1cap}"])
def test_anything_else_in_braces_is_stray(text: str) -> None:
    assert stray_braces(text)


def test_no_stray_brace_in_valid_text() -> None:
    assert not stray_braces("From {policy.effective} to {policy.until}: {policy}")


def test_fill_asks_the_lookup_for_each_placeholder() -> None:
    assert fill("{a} and {b.c}", lambda name, attr: f"<{name}|{attr}>") == "<a|None> and <b|c>"


def test_fill_values_needs_every_value_and_ignores_extra_ones() -> None:
    assert fill_values("Your reference is {reference}.", {"reference": "AB12", "unused": 1}) == (
        "Your reference is AB12."
    )
    assert fill_values("{days} days", {"days": 30}) == "30 days"  # values are written as given
    with pytest.raises(KeyError):
        fill_values("{reference}", {})
    with pytest.raises(KeyError):
        fill_values("{cap.first}", {"cap": 1})


def test_fill_values_can_leave_other_placeholders_for_later() -> None:
    filled = fill_values("A {advisor}; {cap.first} then {cap}", {"advisor": "lawyer"}, keep_others=True)
    assert filled == "A lawyer; {cap.first} then {cap}"
    payload = '/inform{"residence": "quebec"}'  # a button's payload is no placeholder
    assert fill_values(payload, {}, keep_others=True) == payload
