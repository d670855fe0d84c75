"""Rasa 3.6 wrapper: adds the facts of `nlu_components.facts` to each message's entities.

Kept thin on purpose: all the logic is in the pure-Python modules, which test without Rasa.
Referenced in config.yml as `- name: nlu_components.rasa_extractor.ProfileFactExtractor`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.facts import extract_facts, warm_up

EXTRACTOR_NAME = "ProfileFactExtractor"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ProfileFactExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based EN/FR extractor of IMP+ profile facts (residence, CSQ, invitation, PR...)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`warm_up`: build the gazetteer when the component is created, not on the first message."""
        return {"warm_up": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        if self._config.get("warm_up", True):
            warm_up()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProfileFactExtractor:
        """Creates the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Append one entity per fact to each message, keeping entities already there.

        The `residence` and `place` entities also carry `"place": {"name", "kind", "country", "region",
        "timezone"}` from the place index, so the booking reads the country and zone without parsing the
        place's name again (Rasa keeps extra keys of an entity in the tracker's events).
        """
        for message in messages:
            text = message.get(TEXT) or ""
            entities = [
                {
                    "entity": fact.field,
                    "value": fact.value,
                    "start": fact.start,
                    "end": fact.end,
                    "confidence_entity": 1.0,
                    "extractor": EXTRACTOR_NAME,
                    **({"place": fact.place.details()} if fact.place is not None else {}),
                }
                for fact in extract_facts(text)
            ]
            message.set(ENTITIES, (message.get(ENTITIES) or []) + entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        """Training data passes through unchanged (the rules need no training)."""
        return training_data
