"""The Rasa 3.6 wrapper: registration, graph validation and `process` on real Messages."""

from __future__ import annotations

from rasa.engine import validation
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from nlu_components.rasa_extractor import ProfileFactExtractor

COMPONENT = "nlu_components.rasa_extractor.ProfileFactExtractor"


def _extractor() -> ProfileFactExtractor:
    return ProfileFactExtractor.create({}, None, None, None)  # type: ignore[arg-type]


def test_process_appends_entities_and_keeps_existing_ones() -> None:
    """Facts become entities after the ones already on the message."""
    existing = {"entity": "other", "value": "x", "start": 0, "end": 1, "extractor": "RegexEntityExtractor"}
    message = Message(data={"text": "I live in Gatineau and I have a CSQ", "entities": [existing]})
    (out,) = _extractor().process([message])
    entities = out.get("entities")
    assert entities[0] == existing
    added = {e["entity"]: e for e in entities[1:]}
    assert added["residence"]["value"] == "quebec"
    assert added["place"]["value"] == "Gatineau, Québec"
    assert added["has_csq"]["value"] == "true"
    for entity in entities[1:]:
        assert entity["extractor"] == "ProfileFactExtractor"
        assert entity["confidence_entity"] == 1.0
        assert message.get("text")[entity["start"]:entity["end"]]


def test_place_entities_carry_country_region_and_zone() -> None:
    """The residence and the place come with the place index's details: the booking reads them as they are."""
    (out,) = _extractor().process([Message(data={"text": "I live in Gatineau and I have a CSQ"})])
    added = {e["entity"]: e for e in out.get("entities")}
    details = {"name": "Gatineau, Québec", "kind": "city", "country": "CA", "region": "QC",
               "timezone": "America/Toronto"}
    assert added["place"]["place"] == details
    assert added["residence"]["place"] == details
    assert "place" not in added["has_csq"]
    (abroad,) = _extractor().process([Message(data={"text": "J'habite à Alger"})])
    place = next(e for e in abroad.get("entities") if e["entity"] == "place")["place"]
    assert (place["country"], place["timezone"]) == ("DZ", "Africa/Algiers")


def test_process_without_entities_or_text() -> None:
    """A message with no entities key, or no text, is handled."""
    extractor = _extractor()
    (out,) = extractor.process([Message(data={"text": "je vis à Lyon"})])
    assert [e["value"] for e in out.get("entities")] == ["abroad", "Lyon, France"]
    (empty,) = extractor.process([Message(data={"text": ""})])
    assert empty.get("entities") == []


def test_process_french_multi_fact_message() -> None:
    """Several facts, French, offsets into the original text."""
    text = "J'habite à Alger, j'ai mon CSQ mais pas encore reçu l'invitation"
    (out,) = _extractor().process([Message(data={"text": text})])
    found = {e["entity"]: e["value"] for e in out.get("entities")}
    assert found == {"residence": "abroad", "place": "Algiers, Algeria", "has_csq": "true",
                     "has_invitation": "false"}


def test_component_validates_in_a_rasa_graph() -> None:
    """The dotted name used in config.yml resolves and passes Rasa's graph validation."""
    config = {
        "recipe": "default.v1",
        "language": "xx",
        "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": COMPONENT}],
    }
    model_config = DefaultV1Recipe().graph_config_for_recipe(config, {})
    validation.validate(model_config)
    assert any(COMPONENT in name for name in model_config.predict_schema.nodes)
