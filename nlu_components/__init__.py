"""Rule-based EN/FR extraction of IMP+ pre-screening facts (no trained model, no download).

Pure-Python API: `from nlu_components.facts import extract_facts, Fact`.
Rasa 3.6 component: `nlu_components.rasa_extractor.ProfileFactExtractor`.
"""
