"""Replacing one attribute of Rasa (a method, a function, a constant) with this project's version.

Every performance patch of the Rasa server does the same three things: replace the attribute once (a
second install changes nothing), keep Rasa's own version so the replacement can fall back to it, and let
the tests call Rasa's version to compare the two. This module does them in one place; the patches
themselves are listed in launch/rasa_patches.py.
"""

from __future__ import annotations

from typing import Any

_originals: dict[tuple[Any, str], Any] = {}  # (owner, name) -> Rasa's own, as looked up on owner


def replace(owner: Any, name: str, replacement: Any) -> None:
    """Sets `owner.name` to `replacement`, keeping Rasa's own; idempotent (the first replacement stays)."""
    if (owner, name) not in _originals:
        _originals[(owner, name)] = getattr(owner, name, None)
        setattr(owner, name, replacement)


def original(owner: Any, name: str) -> Any:
    """Rasa's own `owner.name` (a static method as its function), replaced or not; None if Rasa has none."""
    return _originals[(owner, name)] if (owner, name) in _originals else getattr(owner, name, None)
