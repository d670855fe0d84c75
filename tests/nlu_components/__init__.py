"""Tests of the rule-based profile fact extractor (nlu_components)."""
