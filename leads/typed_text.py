"""What a person typed, tidied the one way the validators store it (folding: i18n.text_folding)."""

from __future__ import annotations

import unicodedata

APOSTROPHES = "’‘ʼ`´"
DASHES = "‐‑‒–—−"
_PLAIN = {ord(c): "'" for c in APOSTROPHES} | {ord(c): "-" for c in DASHES}


def clean(text: str) -> str:
    """NFC, typographic apostrophes and dashes made plain, whitespace collapsed: what we store as typed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_PLAIN).split())
