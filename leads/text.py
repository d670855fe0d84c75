"""Text normalisation shared by the validators: one way to fold accents, case and punctuation."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "’‘ʼ`´"
DASHES = "‐‑‒–—−"
_PLAIN = {ord(c): "'" for c in APOSTROPHES} | {ord(c): "-" for c in DASHES}
_FOLD_PUNCT = re.compile(r"['\-._]")
LATIN_END = 0x2FF  # Latin Extended-B and the spacing modifier letters (ʻ in Hawaiʻi)
LATIN_ADDITIONAL = range(0x1E00, 0x1F00)  # Vietnamese and other stacked accents


def clean(text: str) -> str:
    """NFC, typographic apostrophes and dashes made plain, whitespace collapsed: what we store as typed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_PLAIN).split())


def fold(text: str) -> str:
    """Lower case without accents, apostrophes/hyphens/dots as spaces: "Saint-Jérôme" → "saint jerome"."""
    text = text.translate(_PLAIN)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_FOLD_PUNCT.sub(" ", text.casefold()).split())


def is_latin(text: str) -> bool:
    """True when every letter is Latin (with or without accents): the scripts our folding handles."""
    return text.isascii() or all(ord(c) <= LATIN_END or ord(c) in LATIN_ADDITIONAL for c in text)
