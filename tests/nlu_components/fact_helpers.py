"""Shared helpers for the fact extractor tests."""

from __future__ import annotations

from nlu_components.facts import Fact, extract_facts


def facts_by_field(text: str) -> dict[str, str]:
    """field -> value of the facts found in `text`."""
    return {fact.field: fact.value for fact in extract_facts(text)}


def fact_for(text: str, field: str) -> Fact | None:
    """The fact of `field` found in `text`, if any."""
    return next((f for f in extract_facts(text) if f.field == field), None)
