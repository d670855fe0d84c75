"""The intent confusion matrix as a PNG: correct counts in green, mistakes in red, every count written."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix

with warnings.catch_warnings():  # matplotlib 3.5 calls pyparsing names that pyparsing 3.1+ deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    import matplotlib

    matplotlib.use("Agg")  # files only, no display; must precede pyplot
    import matplotlib.pyplot as plt


def plot_confusion(gold: list[str], predicted: list[str], labels: list[str], title: str, path: Path) -> Path:
    """Draws rows = gold, columns = predicted; two colour maps so a single error is as visible as a hit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # pyparsing, from matplotlib's font lookup
        return _draw(gold, predicted, labels, title, path)


def _draw(gold: list[str], predicted: list[str], labels: list[str], title: str, path: Path) -> Path:
    matrix = confusion_matrix(gold, predicted, labels=labels)
    size = max(6.0, 0.38 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    diagonal = np.eye(len(labels), dtype=bool)
    hits = np.ma.masked_where(~diagonal | (matrix == 0), matrix)
    misses = np.ma.masked_where(diagonal | (matrix == 0), matrix)
    top = max(int(matrix.max()), 1)
    ax.imshow(hits, cmap="Greens", vmin=0, vmax=top * 1.4)
    worst_miss = int(misses.max()) if misses.count() else 1
    ax.imshow(misses, cmap="Reds", vmin=0, vmax=worst_miss * 1.3)
    for row, col in zip(*np.nonzero(matrix), strict=True):
        ax.text(col, row, str(matrix[row, col]), ha="center", va="center", fontsize=8,
                color="black", fontweight="bold" if row != col else "normal")
    ax.set_xticks(range(len(labels)))
    ax.set_yticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=9)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("gold intent")
    ax.set_xticks(np.arange(-0.5, len(labels)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
