"""Rasa 3.6 wrapper of `nlu_components.linear_intents`: the assistant's intent classifier.

Referenced in config.yml as `- name: nlu_components.rasa_intent_classifier.LinearIntentClassifier`, after
the featurizers. It reads each featurizer's sparse sentence vector (the blocks, in the order and widths
seen in training), and sets `intent` and `intent_ranking` as Rasa's own classifiers do, so the
FallbackClassifier that follows works unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_intents import LinearIntents, SparseRow

BLOCKS_FILE = "feature_blocks.json"


def sentence_blocks(message: Message) -> dict[str, sp.spmatrix]:
    """Each featurizer's sparse sentence vector of the message's text, by featurizer."""
    return {
        features.origin: features.features
        for features in message.features
        if features.attribute == TEXT and features.type == FEATURE_TYPE_SENTENCE and features.is_sparse()
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Linear SVM over unit-scaled word and character n-gram counts, with softmax confidences."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`c`: the SVM's regularisation (higher fits the training data more closely); `temperature`: how
        sharply the scores turn into confidences; `ranking_length`: intents kept in `intent_ranking`."""
        return {"c": 1.0, "temperature": 4.0, "ranking_length": 10, "random_seed": 1}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LinearIntents | None = None, blocks: list[tuple[str, int]] | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._blocks = blocks or []  # (featurizer, width) in training order

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _matrices(self, messages: list[Message]) -> list[sp.spmatrix]:
        """One matrix per featurizer block, one row per message (zeros where a message has no vector)."""
        found = [sentence_blocks(message) for message in messages]
        return [
            sp.vstack([vectors.get(origin, sp.csr_matrix((1, width))) for vectors in found], format="csr")
            for origin, width in self._blocks
        ]

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples
                    if example.get(INTENT) and example.get(TEXT)]
        if not examples:
            return self._resource
        self._blocks = sorted((origin, vector.shape[1])
                              for origin, vector in sentence_blocks(examples[0]).items())
        self._model = LinearIntents.train(
            self._matrices(examples), [example.get(INTENT) for example in examples],
            c=self._config["c"], temperature=self._config["temperature"], seed=self._config["random_seed"])
        with self._storage.write_to(self._resource) as folder:
            self._model.save(folder)
            (folder / BLOCKS_FILE).write_text(json.dumps(self._blocks), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as folder:
                model = LinearIntents.load(folder)
                blocks = [tuple(block) for block in json.loads((folder / BLOCKS_FILE).read_text("utf-8"))]
        except (ValueError, FileNotFoundError):
            return cls.create(config, model_storage, resource, execution_context)  # nothing was trained
        return cls(config, model_storage, resource, model, blocks)  # type: ignore[arg-type]

    def _rows(self, message: Message) -> list[SparseRow]:
        """The message's (columns, values) in each block, in training order (empty where it has none)."""
        vectors = sentence_blocks(message)
        rows = []
        for origin, _ in self._blocks:
            vector = vectors.get(origin)
            if vector is None:
                rows.append((np.empty(0, dtype=np.int64), np.empty(0)))
                continue
            vector = sp.csr_matrix(vector)  # duplicate entries summed, as the matrices would
            rows.append((vector.indices, vector.data))
        return rows

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            ranking = self._model.ranked(self._model.message_confidences(self._rows(message)),
                                         self._config["ranking_length"])
            ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
