"""The shared blank spaCy pipeline (no trained model) used to tokenise folded text.

Folded text (see `i18n.text_folding`) is lower case with single spaces between words, so a
whitespace tokenizer is exact and predictable: patterns and messages are tokenised the same
way, and no language-specific rule can split a place name differently in the two.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc


@cache
def get_nlp() -> Language:
    """Return the process-wide blank multi-language pipeline with a whitespace tokenizer."""
    nlp = spacy.blank("xx")
    nlp.tokenizer = Tokenizer(nlp.vocab)
    return nlp


def make_doc(folded_text: str) -> Doc:
    """Tokenise already-folded text."""
    return get_nlp().make_doc(folded_text)
