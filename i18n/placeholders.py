"""The one placeholder syntax of every text: `{name}`, or `{name.attribute}`.

The reply catalog fills `{name}` from values an action gives ("{reference}", "{days}"); the engine fills
`{key}` and `{key.attribute}` with program facts in force on a date ("{cap.first_year}"). Both go through
`fill`, so a text can be moved from one to the other without changing how it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z_]+))?\}")

Lookup = Callable[[str, "str | None"], str]


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """The (name, attribute) pairs a text refers to, in order."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def stray_braces(text: str) -> bool:
    """True when braces remain that are no valid placeholder (a typo a loader should report)."""
    rest = PLACEHOLDER.sub("", text)
    return "{" in rest or "}" in rest


def fill(text: str, lookup: Lookup) -> str:
    """Every placeholder replaced with lookup(name, attribute)."""
    return PLACEHOLDER.sub(lambda m: lookup(m.group(1), m.group(2)), text)


def fill_values(text: str, values: Mapping[str, Any], *, keep_others: bool = False) -> str:
    """Every `{name}` replaced with str(values[name]); extra values are ignored. A placeholder with no
    value (or with an attribute, which no value given here has) raises KeyError, or is left as written
    with `keep_others` (for filling in a first layer of values, e.g. the catalog's terms)."""

    def value(match: re.Match[str]) -> str:
        name, attribute = match.group(1), match.group(2)
        if attribute is None and name in values:
            return str(values[name])
        if keep_others:
            return match.group(0)
        raise KeyError(match.group(0))

    return PLACEHOLDER.sub(value, text)
