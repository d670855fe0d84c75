"""Entity (fact) scores: each judged field of a case is a true positive, a miss or a false alarm.

The case table is partial: it names the fields a message must give and the ones it must not give,
and says nothing about the others ("je vis à montreal" expects residence=quebec; place is not judged).
So only judged fields count, which makes precision an estimate over the fields the table cares about.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from nlu_report.examples import EntityCase


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn,
            "tp": tp, "fp": fp, "fn": fn}


def entity_scores(cases: list[EntityCase], found: list[dict[str, str]]) -> dict[str, Any]:
    """Micro and macro F1 over (field, value), per field, and the failing cases.

    `found[i]` is field -> value extracted from `cases[i]` (the last entity of a field wins, as in
    the extractor's own tests). A wrong value is both a false positive and a miss.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for case, got in zip(cases, found, strict=True):
        wrong: dict[str, Any] = {}
        for name, value in case.expected.items():
            if got.get(name) == value:
                tp[name] += 1
                continue
            fn[name] += 1
            if name in got:
                fp[name] += 1
            wrong[name] = {"expected": value, "got": got.get(name)}
        for name in case.absent - case.expected.keys():
            if name in got:
                fp[name] += 1
                wrong[name] = {"expected": None, "got": got[name]}
        if wrong:
            failures.append({"text": case.text, "wrong": wrong})
    fields = sorted(set(tp) | set(fp) | set(fn))
    per_field = {name: _prf(tp[name], fp[name], fn[name]) for name in fields}
    scored = [scores for scores in per_field.values() if scores["support"]]
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "cases": len(cases),
        "micro_f1": micro["f1"],
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "macro_f1": sum(s["f1"] for s in scored) / len(scored) if scored else 0.0,
        "per_field": per_field,
        "failures": failures,
    }
