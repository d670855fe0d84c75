"""domain.yml follows the engine's profile fields (eligibility/fields.py) and the booking's details.

domain.yml is not generated (a change retrains the model), so this test is what keeps it in step: a new
profile field without its domain entries fails here with a message that says what to add.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.booking import ASK_DETAIL_ACTIONS, LEAD_FIELDS
from actions.call_change import ASK_CALL_ACTIONS, CALL_FIELDS
from actions.screening import ASK_ACTIONS
from eligibility.fields import PROFILE_FIELDS

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"
READ_BY = "action_read_message"  # the custom slot mapping that fills every profile slot


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_every_profile_field_is_an_entity_and_a_slot_filled_by_read_message(
    field: str, domain: dict[str, Any]
) -> None:
    assert field in domain["entities"], f"domain.yml: add '- {field}' under entities:"
    wanted = (
        f"domain.yml: add under slots:\n  {field}:\n    type: any\n    influence_conversation: false\n"
        f"    mappings:\n      - type: custom\n        action: {READ_BY}"
    )
    slot = domain["slots"].get(field)
    assert slot is not None, wanted
    assert slot.get("type") == "any" and slot.get("influence_conversation") is False, wanted
    assert slot.get("mappings") == [{"type": "custom", "action": READ_BY}], wanted


@pytest.mark.parametrize(
    ("form", "slots"),
    [("screening_form", PROFILE_FIELDS), ("booking_form", LEAD_FIELDS), ("call_change_form", CALL_FIELDS)],
)
def test_form_asks_for_every_field_in_order(
    form: str, slots: tuple[str, ...], domain: dict[str, Any]
) -> None:
    required = domain["forms"][form]["required_slots"]
    listing = "\n".join(f"      - {name}" for name in slots)
    assert required == list(slots), f"domain.yml: forms: {form}: required_slots must be, in order:\n{listing}"


def test_every_question_has_its_ask_action_in_the_domain_and_the_server(domain: dict[str, Any]) -> None:
    declared = set(domain["actions"])
    served = {action().name(): slot for actions in (ASK_ACTIONS, ASK_DETAIL_ACTIONS, ASK_CALL_ACTIONS)
              for slot, action in actions.items()}
    for slot in (*PROFILE_FIELDS, *LEAD_FIELDS, *CALL_FIELDS):
        assert f"action_ask_{slot}" in declared, f"domain.yml: add '- action_ask_{slot}' under actions:"
        assert f"action_ask_{slot}" in served, slot
    asks = {name for name in declared if name.startswith("action_ask_")}
    assert asks == set(served), f"no ask action serves {sorted(asks - set(served))}"
