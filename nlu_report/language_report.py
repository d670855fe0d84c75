"""Writes the report files: per language a JSON and a confusion-matrix PNG, then summary.json and .md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlu_report.intents import confused_pairs, intent_scores, label_order
from nlu_report.plot import plot_confusion

ENTITY_NOTE = (
    "The held-out sets carry no entity annotations, so entity F1 is measured on the extractor's "
    "fact-annotated cases (CASES of tests/nlu_components/test_fact_cases.py, and NO_PLACE_MESSAGES of "
    "test_fact_no_false_places.py, which must give no residence nor place), parsed through the trained "
    "model and split by language with i18n.languages.detect_language (\"neutral\": no clear language, "
    "e.g. \"QC\"). These cases were written with the extractor's rules and are enforced by its unit "
    "tests, so this is a regression score, not a held-out one: below 1.0 means those tests fail. Only the "
    "fields a case names (expected or forbidden) are judged; a wrong value counts as a false positive and "
    "a miss. The facts found in the held-out sentences are listed, unscored, in each language's report.json."
)


def build_language_report(
    lang: str,
    texts: list[str],
    gold: list[str],
    predicted: list[str],
    out_dir: Path,
    entities: dict[str, Any] | None = None,
    top: int = 10,
    facts: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Scores one language, draws its matrix to out_dir/<lang>/ and writes the full details there.

    `facts[i]` (optional) are the facts extracted from `texts[i]`: listed for reading, not scored.
    Returns the summary entry for the language (the details file keeps every error and per-intent score).
    """
    scores = intent_scores(gold, predicted)
    pairs = confused_pairs(texts, gold, predicted, top=top)
    lang_dir = out_dir / lang
    png = plot_confusion(
        gold, predicted, label_order(gold, predicted),
        f"Intent confusion, held-out {lang} ({scores['examples']} sentences, "
        f"weighted F1 {scores['weighted_f1']:.3f})",
        lang_dir / "intent_confusion_matrix.png",
    )
    errors = [{"text": t, "gold": g, "predicted": p} for t, g, p in zip(texts, gold, predicted, strict=True)
              if g != p]
    found = [{"text": t, "intent": g, "facts": f}
             for t, g, f in zip(texts, gold, facts or [], strict=False) if f]
    details = {"intent": scores, "confused_pairs": pairs, "errors": errors, "entity": entities,
               "heldout_facts_unscored": found}
    (lang_dir / "report.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    summary: dict[str, Any] = {
        "intent": {key: scores[key] for key in ("examples", "errors", "accuracy", "macro_f1", "weighted_f1")},
        "confused_pairs": [{key: pair[key] for key in ("gold", "predicted", "count", "example")}
                           for pair in pairs],
        "confusion_png": str(png.relative_to(out_dir)),
        "details": str((lang_dir / "report.json").relative_to(out_dir)),
    }
    if entities is not None:
        summary["entity"] = _entity_summary(entities)
    if facts is not None:
        summary["heldout_sentences_with_facts"] = len(found)
    return summary


def _entity_summary(entities: dict[str, Any]) -> dict[str, Any]:
    keys = ("cases", "micro_f1", "micro_precision", "micro_recall", "macro_f1")
    return {key: entities[key] for key in keys} | {"failed_cases": len(entities["failures"])}


def write_summary(
    out_dir: Path, languages: dict[str, dict[str, Any]], meta: dict[str, Any]
) -> dict[str, Any]:
    """summary.json (everything in the per-language summaries plus meta) and a readable summary.md."""
    summary = {**meta, "entity_note": ENTITY_NOTE, "languages": languages}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")
    return summary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: dict[str, Any]) -> str:
    """The short human version of summary.json."""
    languages: dict[str, dict[str, Any]] = summary["languages"]
    lines = ["# NLU report", ""]
    if summary.get("model"):
        lines += [f"Model `{summary['model']}`, generated {summary.get('generated', '')}.", ""]
    lines += ["| language | sentences | intent macro F1 | intent weighted F1 | errors | entity micro F1 | "
              "entity cases |", "|---|---|---|---|---|---|---|"]
    for lang, entry in languages.items():
        intent, entity = entry["intent"], entry.get("entity")
        entity_cells = f"{entity['micro_f1']:.3f} | {entity['cases']}" if entity else "– | –"
        lines.append(f"| {lang} | {intent['examples']} | {intent['macro_f1']:.3f} | "
                     f"{intent['weighted_f1']:.3f} | {intent['errors']} | {entity_cells} |")
    for name, entity in summary.get("entity_extra", {}).items():
        lines.append(f"| {name} (entities only) | – | – | – | – | {entity['micro_f1']:.3f} | "
                     f"{entity['cases']} |")
    lines += ["", "Intent F1 is on the held-out sets (tests/nlu/heldout_*.yml, never trained on), "
              "predictions as the assistant sees them (after the FallbackClassifier, so `nlu_fallback` "
              "can appear).", "",
              f"Entities: {ENTITY_NOTE}", ""]
    for lang, entry in languages.items():
        lines += [f"## {lang}: most confused intent pairs", "",
                  f"Confusion matrix: [{entry['confusion_png']}]({entry['confusion_png']}); every error: "
                  f"[{entry['details']}]({entry['details']}).", ""]
        if not entry["confused_pairs"]:
            lines += ["No intent errors.", ""]
            continue
        lines += ["| gold → predicted | count | example |", "|---|---|---|"]
        lines += [f"| {p['gold']} → {p['predicted']} | {p['count']} | {_cell(p['example'])} |"
                  for p in entry["confused_pairs"]]
        lines.append("")
    return "\n".join(lines)
