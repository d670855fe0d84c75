"""The linear intent model on its own (no Rasa): what it learns, how sure it says it is, what it saves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from nlu_components.linear_intents import LinearIntents, design_matrix

# Two feature blocks (as two featurizers give): "words" and "letters", with very different scales.
WORDS = sp.csr_matrix([[3, 0, 0], [2, 0, 0], [0, 4, 0], [0, 3, 0], [0, 0, 5], [0, 0, 2]], dtype=float)
LETTERS = sp.csr_matrix([[40, 0], [30, 0], [0, 50], [0, 20], [10, 10], [12, 9]], dtype=float)
INTENTS = ["greet", "greet", "ask_fees", "ask_fees", "stop", "stop"]


def trained(temperature: float = 4.0) -> LinearIntents:
    return LinearIntents.train([WORDS, LETTERS], INTENTS, c=1.0, temperature=temperature, seed=1)


def test_each_block_is_scaled_to_unit_length_so_neither_drowns_the_other() -> None:
    design = design_matrix([WORDS, LETTERS]).toarray()
    assert np.allclose(np.linalg.norm(design[:, :3], axis=1), 1.0)
    assert np.allclose(np.linalg.norm(design[:, 3:], axis=1), 1.0)


def test_it_learns_the_training_intents_with_confident_rankings() -> None:
    model = trained()
    rankings = [model.ranked(row, 2) for row in model.confidences([WORDS, LETTERS])]
    assert [ranking[0][0] for ranking in rankings] == INTENTS
    assert all(ranking[0][1] > 0.5 and len(ranking) == 2 for ranking in rankings)


def test_a_message_with_no_known_feature_prefers_no_intent() -> None:
    nothing = [sp.csr_matrix((1, 3)), sp.csr_matrix((1, 2))]
    confidences = trained().confidences(nothing)[0]
    assert np.allclose(confidences, 1 / 3)


def test_a_lower_temperature_is_less_sure() -> None:
    sure, unsure = trained(8.0).confidences([WORDS, LETTERS]), trained(1.0).confidences([WORDS, LETTERS])
    assert (sure.max(axis=1) > unsure.max(axis=1)).all()
    assert np.allclose(sure.sum(axis=1), 1.0) and np.allclose(unsure.sum(axis=1), 1.0)


def test_two_intents_get_one_weight_row_each() -> None:
    model = LinearIntents.train([WORDS[:4], LETTERS[:4]], INTENTS[:4], c=1.0, temperature=4.0, seed=1)
    assert model.weights.shape[0] == 2
    rankings = [model.ranked(row, 1) for row in model.confidences([WORDS[:4], LETTERS[:4]])]
    assert [ranking[0][0] for ranking in rankings] == INTENTS[:4]


def test_saved_and_loaded_it_scores_the_same(tmp_path: Path) -> None:
    model = trained()
    model.save(tmp_path)
    loaded = LinearIntents.load(tmp_path)
    assert loaded.intents == model.intents and loaded.temperature == model.temperature
    assert np.allclose(loaded.confidences([WORDS, LETTERS]), model.confidences([WORDS, LETTERS]))


def test_one_message_scored_from_its_columns_as_in_a_matrix() -> None:
    model = trained()
    matrices = model.confidences([WORDS, LETTERS])
    for index in range(WORDS.shape[0]):
        rows = [(block[index].indices, block[index].data) for block in (WORDS, LETTERS)]
        assert np.allclose(model.message_confidences(rows), matrices[index])
    empty = (np.empty(0, dtype=int), np.empty(0))
    assert np.allclose(model.message_confidences([empty, empty]), 1 / 3)
