"""Intent scores from gold and predicted labels: F1, per-intent report and the most confused pairs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sklearn.metrics import classification_report, f1_score


def label_order(gold: list[str], predicted: list[str]) -> list[str]:
    """Gold intents sorted, then labels only ever predicted (e.g. nlu_fallback): the matrix axes."""
    gold_labels = sorted(set(gold))
    return gold_labels + sorted(set(predicted) - set(gold_labels))


def intent_scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Macro and weighted F1 over the gold intents, accuracy, and sklearn's per-intent report."""
    labels = sorted(set(gold))
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "examples": len(gold),
        "errors": len(gold) - right,
        "accuracy": right / len(gold) if gold else 0.0,
        "macro_f1": float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(gold, predicted, labels=labels, average="weighted", zero_division=0)),
        "per_intent": classification_report(gold, predicted, labels=labels, output_dict=True,
                                            zero_division=0),
    }


def confused_pairs(
    texts: list[str], gold: list[str], predicted: list[str], top: int = 10
) -> list[dict[str, Any]]:
    """The `top` (gold -> predicted) mistakes by count, most frequent first, each with its sentences.

    Directional on purpose: "affirm read as inform" and "inform read as affirm" need different fixes.
    """
    counts: Counter[tuple[str, str]] = Counter()
    sentences: dict[tuple[str, str], list[str]] = {}
    for text, want, got in zip(texts, gold, predicted, strict=True):
        if want != got:
            counts[(want, got)] += 1
            sentences.setdefault((want, got), []).append(text)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [
        {"gold": want, "predicted": got, "count": count, "example": sentences[(want, got)][0],
         "examples": sentences[(want, got)]}
        for (want, got), count in ranked
    ]
