"""A slot copied with the shortcut equals the one copy.copy gives, for every slot of the domain."""

from __future__ import annotations

import copy

from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from tests.servers import ROOT
from trackers import slot_copies


def test_copies_equal_copy_copys_and_stay_independent() -> None:
    domain = Domain.load(ROOT / "domain.yml")
    # What copy.copy does for an object without __copy__: the reduce protocol, then reconstruct.
    plain = {slot.name: copy._reconstruct(slot, None, *slot.__reduce_ex__(4)) for slot in domain.slots}
    slot_copies.install()
    assert Slot.__copy__ is slot_copies.shallow_copy
    for slot in domain.slots:
        copied = copy.copy(slot)
        assert type(copied) is type(slot) and copied.__dict__ == plain[slot.name].__dict__
        assert copied is not slot
        copied.value = "changed"
        assert slot.value != "changed"


def test_trackers_made_with_it_hold_their_own_slots() -> None:
    slot_copies.install()
    domain = Domain.load(ROOT / "domain.yml")
    first = DialogueStateTracker("a", domain.slots)
    second = DialogueStateTracker("b", domain.slots)
    first.slots["language"].value = "fr"
    assert second.get_slot("language") is None
