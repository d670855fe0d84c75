"""Checks untrusted profile input (JSON, chat slots) and says in one line what is wrong with it.

pydantic's own messages list every error over several lines; the CLI and the assistant need one short
sentence naming the field and the allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ProfileError
from .fields import BOOL_FIELDS, FIELD_VALUES, PROFILE_FIELDS
from .models import Profile


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return repr(value) if not isinstance(value, (dict, list)) else type(value).__name__


def allowed(field: str) -> str:
    """The allowed values of a field as the person would type them."""
    return ", ".join(_show(v) if isinstance(v, bool) else str(v) for v in FIELD_VALUES[field])


def check_value(field: str, value: Any) -> None:
    """Raise ProfileError unless value is None or an allowed value (bools must be real bools)."""
    if value is None:
        return
    if field in BOOL_FIELDS:
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str) and value in FIELD_VALUES[field]
    if not ok:
        raise ProfileError(f"{field}: {_show(value)} is not one of {allowed(field)}", field)


def parse_profile(data: Any) -> Profile:
    """A Profile from a mapping; unknown fields and values outside FIELD_VALUES raise ProfileError."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"profile must be an object, got {type(data).__name__}")
    for name in data:
        if name not in FIELD_VALUES:
            raise ProfileError(f"unknown field {name!r}", str(name))
    for name in PROFILE_FIELDS:
        check_value(name, data.get(name))
    return Profile(**dict(data))


def check_skip(skip: Iterable[str]) -> frozenset:
    """The fields the person said they don't know, as a set; a name that is no profile field raises."""
    names = frozenset(skip)
    for name in names:
        if name not in FIELD_VALUES:
            raise ProfileError(f"skip: unknown field {name!r}", str(name))
    return names
