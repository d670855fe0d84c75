"""What one message says about the person's profile: pure functions, no Rasa.

Facts come from the rule-based extractor's entities (several per message), from button payloads, and from
a plain yes / no / "I don't know" to the question that was asked. Facts stated in words win over a bare
yes or no, and a few implications fill the obvious gaps (a CSQ program means a CSQ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eligibility.fields import BOOL_FIELDS, FIELD_VALUES, PROFILE_FIELDS

# Intents whose entities are taken as statements about the person. Entities in a question ("does a
# PSTQ CSQ count?") are not, unless they answer the question that was asked.
STATEMENT_INTENTS = frozenset({"inform", "affirm", "deny", "dont_know", "check_eligibility", "nlu_fallback"})

# What a bare "yes" or "no" answers to a question whose answer is not yes or no.
AFFIRM_MEANS: dict[str, str] = {"status_in_canada": "work_or_study_permit"}
DENY_MEANS: dict[str, str] = {"pr_decision": "none", "status_in_canada": "none"}

_TRUE = {"true", "yes", "1", "oui"}
_FALSE = {"false", "no", "0", "non"}


@dataclass(frozen=True)
class MessageReading:
    """The profile changes a message brings."""

    updates: dict[str, Any] = field(default_factory=dict)
    place: str | None = None
    dont_know: str | None = None


MAX_PLACE_CHARS = 80
_PLACE_NAME = re.compile(r"^(?:[^\W\d_]|[ ,.'’-])+$")


def coerce(field_name: str, value: Any) -> Any:
    """A profile value from an entity value ("true", True, "abroad"), or None when it isn't one."""
    if field_name in BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else None
    allowed = FIELD_VALUES.get(field_name, ())
    return value if value in allowed else None


def is_place_name(value: Any) -> bool:
    """Whether `value` can be shown as a place ("Lyon, France", "Trois-Rivières"): letters, spaces and
    `,.'’-` only, so a typed `/inform{"place": "<img …>"}` never reaches a verdict, a lead or the widget."""
    return isinstance(value, str) and 0 < len(value) <= MAX_PLACE_CHARS and bool(_PLACE_NAME.match(value))


def _stated_facts(entities: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], str | None]:
    facts: dict[str, Any] = {}
    place = None
    for entity in entities:
        name = entity.get("entity")
        if name == "place" and is_place_name(entity.get("value")):
            place = str(entity["value"])
        elif name in PROFILE_FIELDS:
            value = coerce(name, entity.get("value"))
            if value is not None:
                facts[name] = value
    return facts, place


def _implied(facts: dict[str, Any]) -> dict[str, Any]:
    """Fill what a stated fact makes certain, without overriding anything stated."""
    implied = dict(facts)
    if "has_csq" not in implied and ("csq_program" in implied or "csq_valid" in implied):
        implied["has_csq"] = True
    if "pr_applied" not in implied and ("pr_decision" in implied or "pr_filed_while_csq_valid" in implied):
        implied["pr_applied"] = True
    return implied


def read_message(
    intent: str | None,
    entities: Iterable[Mapping[str, Any]],
    requested: str | None,
) -> MessageReading:
    """The profile changes in one message; `requested` is the field the assistant just asked about."""
    facts, place = _stated_facts(entities)
    if intent not in STATEMENT_INTENTS and (requested is None or requested not in facts):
        return MessageReading()
    updates = _implied(facts)
    if requested and requested not in updates:
        if intent == "dont_know":
            return MessageReading(updates, place, dont_know=requested)
        if intent in ("affirm", "deny"):
            if requested in BOOL_FIELDS:
                updates[requested] = intent == "affirm"
            elif requested in DENY_MEANS and intent == "deny":
                updates[requested] = DENY_MEANS[requested]
            elif requested in AFFIRM_MEANS and intent == "affirm":
                updates[requested] = AFFIRM_MEANS[requested]
            updates = _implied(updates)
    return MessageReading(updates, place)
