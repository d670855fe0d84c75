"""The report's scoring and files on a tiny fixture: two intents, fake predictions, no model load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu_report.entities import entity_scores
from nlu_report.examples import EntityCase, case_language, heldout_examples
from nlu_report.intents import confused_pairs
from nlu_report.language_report import build_language_report, write_summary

TEXTS = ["hi", "hello", "hey there", "bye", "see you", "ciao"]
GOLD = ["greet", "greet", "greet", "goodbye", "goodbye", "goodbye"]
PREDICTED = ["greet", "greet", "goodbye", "goodbye", "greet", "greet"]


def test_confused_pairs_are_directional_and_ranked() -> None:
    """goodbye read as greet twice comes first, with its first sentence; greet read as goodbye once."""
    pairs = confused_pairs(TEXTS, GOLD, PREDICTED)
    assert [(p["gold"], p["predicted"], p["count"], p["example"]) for p in pairs] == [
        ("goodbye", "greet", 2, "see you"),
        ("greet", "goodbye", 1, "hey there"),
    ]
    assert pairs[0]["examples"] == ["see you", "ciao"]
    assert confused_pairs(TEXTS, GOLD, PREDICTED, top=1) == pairs[:1]


def test_language_report_scores_and_writes_png(tmp_path: Path) -> None:
    """F1 by hand: greet P=2/4 R=2/3 F1=4/7, goodbye P=1/2 R=1/3 F1=2/5; both 3 examples."""
    entry = build_language_report("en", TEXTS, GOLD, PREDICTED, tmp_path, top=10,
                                  facts=[{}, {}, {}, {"residence": "quebec"}, {}, {}])
    macro = (4 / 7 + 2 / 5) / 2
    assert entry["intent"]["macro_f1"] == pytest.approx(macro)
    assert entry["intent"]["weighted_f1"] == pytest.approx(macro)  # equal supports
    assert entry["intent"]["errors"] == 3 and entry["intent"]["accuracy"] == pytest.approx(0.5)
    assert entry["confused_pairs"][0] == {"gold": "goodbye", "predicted": "greet", "count": 2,
                                          "example": "see you"}
    assert entry["heldout_sentences_with_facts"] == 1
    png = tmp_path / entry["confusion_png"]
    assert png.name == "intent_confusion_matrix.png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    details = json.loads((tmp_path / entry["details"]).read_text(encoding="utf-8"))
    assert len(details["errors"]) == 3


def test_label_only_predicted_is_in_matrix_but_not_in_f1(tmp_path: Path) -> None:
    """nlu_fallback (never gold) costs recall but is not averaged in as a zero-F1 intent."""
    entry = build_language_report("fr", ["a", "b"], ["greet", "goodbye"], ["greet", "nlu_fallback"], tmp_path)
    assert entry["intent"]["macro_f1"] == pytest.approx(0.5)
    assert (tmp_path / "fr" / "intent_confusion_matrix.png").exists()


def test_entity_scores_judge_only_named_fields() -> None:
    """Right value: TP; wrong value: FP and FN; missing: FN; forbidden field found: FP; others ignored."""
    cases = [
        EntityCase("I live in Gatineau", {"residence": "quebec"}),
        EntityCase("I live in Ottawa", {"residence": "other_province"}),
        EntityCase("I have a CSQ", {"has_csq": "true"}),
        EntityCase("my name is Victoria", {}, frozenset({"residence"})),
    ]
    found = [
        {"residence": "quebec", "place": "Gatineau, Québec"},  # place not judged
        {"residence": "quebec"},
        {},
        {"residence": "other_province"},
    ]
    scores = entity_scores(cases, found)
    residence = scores["per_field"]["residence"]
    assert (residence["tp"], residence["fp"], residence["fn"]) == (1, 2, 1)
    assert scores["per_field"]["has_csq"]["recall"] == 0.0
    assert "place" not in scores["per_field"]
    assert scores["micro_precision"] == pytest.approx(1 / 3)
    assert scores["micro_recall"] == pytest.approx(1 / 3)
    assert len(scores["failures"]) == 3


def test_summary_files(tmp_path: Path) -> None:
    """summary.json and summary.md list each language and its confused pairs."""
    entry = build_language_report("en", TEXTS, GOLD, PREDICTED, tmp_path,
                                  entities=entity_scores([EntityCase("QC", {"residence": "quebec"})],
                                                         [{"residence": "quebec"}]))
    write_summary(tmp_path, {"en": entry}, {"model": "models/x.tar.gz"})
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["languages"]["en"]["entity"]["micro_f1"] == 1.0
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| goodbye → greet | 2 | see you |" in markdown


def test_heldout_files_parse_and_case_language(tmp_path: Path) -> None:
    """The Rasa NLU reader keeps every example; the language split leaves short names neutral."""
    nlu = tmp_path / "nlu.yml"
    nlu.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello there\n',
                   encoding="utf-8")
    assert heldout_examples(nlu) == [("hi", "greet"), ("hello there", "greet")]
    assert case_language("I live in Gatineau") == "en"
    assert case_language("j'habite à Sherbrooke") == "fr"
    assert case_language("QC") == "neutral"
