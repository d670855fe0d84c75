"""The place search finds exactly what a spaCy PhraseMatcher over the place index finds (every key, overlaps
included), on every training message and on made-up ones, without keeping the keys as spaCy documents."""

from __future__ import annotations

import re

import pytest
import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from i18n.text_folding import fold_with_index
from nlu_components.nlp import get_nlp, make_doc
from nlu_components.residence import place_spans
from places.gazetteer import get_gazetteer
from tests.servers import ROOT

MADE_UP = [
    "I live in New York City but my CSQ is from Quebec City",
    "j'habite à Trois-Rivières pis avant à Saint-Jean-sur-Richelieu",
    "London ON or London UK, then Paris Texas", "new new york york", "", "rio de janeiro de janeiro",
]


def training_messages() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            texts += [line.strip()[2:] for line in str(block.get("examples", "")).splitlines()
                      if line.strip().startswith("- ")]
    return [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text) for text in texts]


@pytest.fixture(scope="module")
def phrase_matcher() -> PhraseMatcher:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    matcher.add("PLACE", [Doc(nlp.vocab, words=key.split(" ")) for key in get_gazetteer().entries])
    return matcher


def test_the_same_spans_as_a_phrase_matcher(phrase_matcher: PhraseMatcher) -> None:
    messages = training_messages() + MADE_UP
    assert len(messages) > 4000
    found = 0
    for message in messages:
        doc = make_doc(fold_with_index(message).text)
        expected = sorted((start, end) for _, start, end in phrase_matcher(doc))
        assert sorted(place_spans([token.text for token in doc])) == expected, message
        found += bool(expected)
    assert found > 500  # the comparison covered many messages with places
