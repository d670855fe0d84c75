"""Checks untrusted profile input (JSON, chat slots) and says in one line what is wrong with it.

pydantic's own messages list every error over several lines; the CLI and the assistant need one short
sentence naming the field and the allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._pydantic import ValidationError
from .assessment_models import Profile
from .engine_errors import ProfileError
from .fields import FIELD_VALUES


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return repr(value) if not isinstance(value, (dict, list)) else type(value).__name__


def allowed(field: str) -> str:
    """The allowed values of a field as the person would type them."""
    return ", ".join(_show(v) if isinstance(v, bool) else str(v) for v in FIELD_VALUES[field])


def parse_profile(data: Any) -> Profile:
    """A Profile from a mapping; an unknown field, or a value the Profile model rejects, raises ProfileError
    naming the first bad field in declaration order."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"profile must be an object, got {type(data).__name__}")
    for name in data:
        if name not in FIELD_VALUES:
            raise ProfileError(f"unknown field {name!r}", str(name))
    try:
        return Profile(**dict(data))
    except ValidationError as exc:
        name = str(exc.errors()[0]["loc"][0])
        raise ProfileError(f"{name}: {_show(data[name])} is not one of {allowed(name)}", name) from None


def check_skip(skip: Iterable[str]) -> frozenset:
    """The fields the person said they don't know, as a set; a name that is no profile field raises."""
    names = frozenset(skip)
    for name in names:
        if name not in FIELD_VALUES:
            raise ProfileError(f"skip: unknown field {name!r}", str(name))
    return names
