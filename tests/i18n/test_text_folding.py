"""The one accent folding: the extractor, the place index and the booking fold text the same way."""

from __future__ import annotations

import pytest

from i18n.text_folding import fold, fold_with_index


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Trois-Rivières", "trois rivieres"),
        ("MONTRÉAL", "montreal"),
        ("l’étranger", "l etranger"),
        ("Québec!!  QC", "quebec qc"),
        ("Straße Œuvre", "strasse oeuvre"),
        ("<b>Hi</b> &amp; bye", "hi bye"),
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    """Case, accents and punctuation are folded the same way for patterns and messages."""
    assert fold(raw) == folded


def test_fold_index_maps_back() -> None:
    """Every folded character knows its original index."""
    original = "À Lévis, QC"
    result = fold_with_index(original)
    assert result.text == "a levis qc"
    start = result.text.index("levis")
    assert result.original_span(start, start + 5) == (2, 7)


