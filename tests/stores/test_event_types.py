"""Rasa's events resolved by name from the table give the classes Rasa's own search gives."""

from __future__ import annotations

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import Event, SlotSet, UserUttered

from stores import event_types


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    event_types.install()


def every_event_name() -> list[str]:
    return sorted({cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)})


def rasa_search(type_name: str) -> type:
    return next(cls for cls in rasa.shared.utils.common.all_subclasses(Event) if cls.type_name == type_name)


def test_every_event_name_gives_rasas_class() -> None:
    names = every_event_name()
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is rasa_search(name), name


def test_names_outside_the_table_are_answered_as_rasa_does() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="no_such_event"):
        Event.resolve_by_type("no_such_event")


def test_a_class_defined_after_the_table_is_still_found() -> None:
    Event.resolve_by_type("user")  # the table exists

    class LateEvent(UserUttered):
        type_name = "late_event_for_test"

    assert Event.resolve_by_type("late_event_for_test") is LateEvent


def test_stored_events_read_back_as_the_same_events() -> None:
    events = [SlotSet("language", "fr"), UserUttered("bonjour", {"name": "greet", "confidence": 1.0})]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events
