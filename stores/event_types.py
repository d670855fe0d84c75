"""Rasa's event classes found by name through a table, instead of a walk of every Event subclass.

Rasa 3.6 turns each stored or received event into its class with ``Event.resolve_by_type``, which lists
every (non-abstract) subclass of ``Event`` anew and compares names, for every event: rebuilding a
conversation of 40 events walked the class tree 40 times. The profile put it at 6 % of the Rasa server's
CPU per message. The table is built on first use in the same order Rasa searches, so the first class with
a name still wins; a name it does not hold (a class defined later, "topic", an unknown name) goes to
Rasa's own method, which then answers as before. Installed on the Rasa server by launch/rasa_patches.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rasa.shared.utils.common
from rasa.shared.core.events import Event

from launch.rasa_replacements import original, replace

_by_name: dict[str, type] = {}


def event_class_table(event: type, subclasses: Callable[[type], list[type]]) -> dict[str, type]:
    """Each event name to the first class carrying it, in Rasa's search order."""
    table: dict[str, type] = {}
    for cls in subclasses(event):
        table.setdefault(cls.type_name, cls)
    return table


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Replaces ``Event.resolve_by_type``: the class from the table, else Rasa's own answer."""
    if not _by_name:
        _by_name.update(event_class_table(Event, rasa.shared.utils.common.all_subclasses))
    found = _by_name.get(type_name)
    return found if found is not None else original(Event, "resolve_by_type")(type_name, default)


def install() -> None:
    """``Event.resolve_by_type`` answers from the table; idempotent."""
    replace(Event, "resolve_by_type", staticmethod(resolve_by_type))
