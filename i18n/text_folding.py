"""The project's one accent folding: case- and accent-insensitive, remembering where characters came from.

Used by the residence extractor (nlu_components), the place index (places) and the booking's readers
(leads), so that a name folds the same way wherever it is looked up.

Matching runs on a folded copy of the user's text (lower case, accents removed, markup tags
blanked, every run of punctuation, symbols, emoji or whitespace collapsed to one space) so
that "Trois-Rivières", "trois rivieres" and "TROIS RIVIERES" are the same three tokens. The
folded copy keeps, for each of its characters, the index of the original character it came
from, so a match can be reported with offsets into the text the user actually typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters that NFD does not decompose into a base letter plus marks.
_SPECIAL: dict[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ı": "i",
    "þ": "th",
    "ŀ": "l",
}


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Fold one character: a folded letter/digit string, "" for a combining mark, " " otherwise."""
    if unicodedata.combining(ch):
        return ""
    out: list[str] = []
    for low in ch.lower():
        if low in _SPECIAL:
            out.append(_SPECIAL[low])
            continue
        for part in unicodedata.normalize("NFD", low):
            if not unicodedata.combining(part):
                out.append(part)
    folded = "".join(out)
    return folded if folded.isalnum() else " "


@dataclass(frozen=True)
class FoldedText:
    """A folded copy of `original` with `index[i]` = original index of folded character i."""

    original: str
    text: str
    index: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded [start, end) character span back to the original text."""
        if end <= start:
            pos = self.index[start] if start < len(self.index) else len(self.original)
            return pos, pos
        o_start = self.index[start]
        o_end = self.index[end - 1] + 1
        # Keep trailing combining marks (decomposed accents) inside the span.
        while o_end < len(self.original) and unicodedata.combining(self.original[o_end]):
            o_end += 1
        return o_start, o_end


# HTML/XML tags and character entities are blanked (same length, so offsets do not move):
# "<i>CSQ</i>" must not leave a stray "i" token between "a" and "CSQ".
_MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,300}>|&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")


def _blank_markup(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    return _MARKUP.sub(lambda m: " " * len(m.group(0)), text)


def fold_with_index(text: str) -> FoldedText:
    """Fold `text`, keeping a per-character map back to the original offsets."""
    chars: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, ch in enumerate(_blank_markup(text)):
        folded = fold_char(ch)
        if folded == "":
            continue
        if folded == " ":
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            index.append(i - 1)
            pending_space = False
        for part in folded:
            chars.append(part)
            index.append(i)
    return FoldedText(original=text, text="".join(chars), index=tuple(index))


def fold(text: str) -> str:
    """Fold `text` the same way as `fold_with_index` (for building patterns and lookup keys)."""
    return fold_with_index(text).text
