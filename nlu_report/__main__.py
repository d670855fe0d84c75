"""`python -m nlu_report [--model M] [--out reports/nlu]`: the whole report, loading the model once."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

from i18n.languages import SUPPORTED
from nlu_report.entities import entity_scores
from nlu_report.examples import HELDOUT, ROOT, case_language, entity_cases, heldout_examples
from nlu_report.language_report import build_language_report, write_summary


def current_model() -> Path:
    """The model for the current config and data, named as `make train` names it."""
    fingerprint = subprocess.run([str(ROOT / "scripts" / "model_is_current.sh"), "--print"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    return ROOT / "models" / f"impplus-{fingerprint}.tar.gz"


def main(argv: list[str] | None = None) -> int:
    """Parses the held-out sets and the fact cases with the model, then writes reports/nlu/."""
    parser = argparse.ArgumentParser(prog="python -m nlu_report", description=__doc__)
    parser.add_argument("--model", type=Path, default=None, help="model archive (default: the current one)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "nlu")
    parser.add_argument("--top", type=int, default=10, help="confused intent pairs to list per language")
    args = parser.parse_args(argv)
    model = args.model or current_model()
    if not model.exists():
        print(f"no model {model}: run 'make train'", file=sys.stderr)
        return 1

    from nlu_report.predict import load_agent, parse_all

    agent = load_agent(model)
    cases = entity_cases()
    case_parses = parse_all(agent, [case.text for case in cases])
    by_language: dict[str, list[int]] = {}
    for index, case in enumerate(cases):
        by_language.setdefault(case_language(case.text), []).append(index)

    def entities_for(indices: list[int]) -> dict[str, Any]:
        return entity_scores([cases[i] for i in indices], [case_parses[i].facts for i in indices])

    languages: dict[str, dict[str, Any]] = {}
    for lang in SUPPORTED:
        pairs = heldout_examples(HELDOUT[lang])
        texts = [text for text, _ in pairs]
        parses = parse_all(agent, texts)
        languages[lang] = build_language_report(
            lang, texts, [intent for _, intent in pairs], [parse.intent for parse in parses], args.out,
            entities_for(by_language.get(lang, [])), args.top, [parse.facts for parse in parses],
        )
    extra = {"neutral": entities_for(by_language.get("neutral", [])),
             "all": entities_for(list(range(len(cases))))}
    meta = {
        "model": str(model.relative_to(ROOT)) if model.is_relative_to(ROOT) else str(model),
        "generated": dt.datetime.now().isoformat(timespec="seconds"),
        "intent_data": {lang: str(HELDOUT[lang].relative_to(ROOT)) for lang in SUPPORTED},
        "entity_data": "tests/nlu_components/test_fact_cases.py (CASES)",
        "entity_extra": {name: {k: v for k, v in scores.items() if k not in ("per_field", "failures")}
                         | {"failed_cases": len(scores["failures"])} for name, scores in extra.items()},
        "entity_per_field_all": extra["all"]["per_field"],
        "entity_failures_all": extra["all"]["failures"],
    }
    write_summary(args.out, languages, meta)
    for lang, entry in languages.items():
        intent, entity = entry["intent"], entry["entity"]
        print(f"{lang}: intent macro F1 {intent['macro_f1']:.3f}, weighted F1 {intent['weighted_f1']:.3f} "
              f"({intent['errors']}/{intent['examples']} errors); entity micro F1 {entity['micro_f1']:.3f} "
              f"over {entity['cases']} cases")
    print(f"report: {args.out / 'summary.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
