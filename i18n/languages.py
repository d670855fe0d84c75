"""The assistant's languages, which one a person writes in, and which one a conversation is in.

The assistant answers in the person's language and keeps it across short replies ("ok", "oui", "3"): only
an explicit request ("in English please", "en français svp") or a message with a clear majority of French
or English marker words changes it. Every part that must answer in the person's language (the actions,
the channels' apologies, the action server's fault guard) goes through `conversation_language`, so they
all follow one order.
"""

from __future__ import annotations

import re
import unicodedata

SUPPORTED: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"

# Function words and frequent words that are distinctive of one language. Words shared by both
# (e.g. "a", "on", "plus", "pas" in "pas de deux") are left out or kept only on the side they signal best.
_EN_MARKERS = frozenset(
    """the you your yours is are was were am and to of for with can could would should have has had
    not this that it be will do does did don't didn't doesn't isn't aren't if or what which when where
    who how please thanks thank hello hi hey yes yeah yep nope no i i'm i've i'd my me we our they
    there here about from live living lived in an at get got any some much many still yet just
    want need apply applied eligible work permit
    hear know sure okay right would much long years year""".split()
)
_FR_MARKERS = frozenset(
    """le la les des vous votre vos est et pour avec pas une un de du dans que qui au aux sur ce cette
    êtes avez pouvez bonjour merci oui non il elle nous je j' suis ai mon ma mes sont été être avoir
    quoi quel quelle quels quelles comment combien pourquoi où habite habitez vis vit reste demande
    permis travail encore aussi mais donc bien très peut peux puis veux voudrais salut allo ouais
    c'est n'ai n'est ça est-ce qu'est-ce admissible déposé reçu valide ans année années svp
    chu pis pantoute tsé""".split()
)
_WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœæ]+(?:'[a-zàâäçéèêëîïôöûùüÿœæ]+)?", re.I)

# A language named in words, in either language. A bare code ("fr", "en") counts only when no language
# is named, since "en" is also the French for "in" ("en français" asks for French).
_NAMES = {
    "fr": re.compile(r"\b(fran[cç]ais|french)\b", re.I),
    "en": re.compile(r"\b(english|anglais)\b", re.I),
}
_CODES = {lang: re.compile(rf"\b{lang}\b", re.I) for lang in SUPPORTED}


def supported(code: object) -> str | None:
    """The supported language a code stands for ("fr", "fr-CA", "FR"), or None."""
    lang = str(code or "")[:2].lower()
    return lang if lang in SUPPORTED else None


def _words(text: str) -> list[str]:
    words: list[str] = []
    for match in _WORD.finditer(unicodedata.normalize("NFC", text.lower().replace("’", "'"))):
        word = match.group(0)
        if "'" in word:
            head, tail = word.split("'", 1)
            words.extend([head + "'", tail, word])
        else:
            words.append(word)
    return words


def language_scores(text: str) -> tuple[int, int]:
    """Counts English and French marker words in `text`."""
    words = _words(text)
    en = sum(w in _EN_MARKERS for w in words)
    fr = sum(w in _FR_MARKERS for w in words)
    if re.search(r"[éèêàçùâîôû]", text.lower()):
        fr += 1
    return en, fr


def detect_language(text: str, current: str | None = None) -> str | None:
    """The language `text` is written in, or None when it is too short or mixed to tell.

    With a language already set, one marker word is not enough to switch: it takes a margin of two,
    so "ok", "oui" or a city name keep the conversation where it is.
    """
    en, fr = language_scores(text)
    margin = 1 if current is None else 2
    if fr - en >= margin:
        return "fr"
    if en - fr >= margin:
        return "en"
    return None


def named_language(text: str) -> str | None:
    """The one language a message names ("in English please", "en français", "fr"), or None when it names
    none or both. Reads both a request to switch and the answer to "which language for the call?"."""
    for patterns in (_NAMES, _CODES):
        named = [lang for lang, pattern in patterns.items() if pattern.search(text)]
        if named:
            return named[0] if len(named) == 1 else None
    return None


def requested_language(text: str, current: str | None) -> str:
    """The language asked for by a "switch language" request; without a name, the other one."""
    return named_language(text) or ("en" if current == "fr" else "fr")


def turn_language(
    message: str, current: str | None, *, requested: str | None = None, channel: str | None = None
) -> str | None:
    """The conversation's language once `message` is read, or None when nothing tells.

    In this order: a language the person asked for, the language the message is clearly written in
    (a margin of two marker words against `current`), the conversation's `current` language, the
    language the channel reports (a website page's, a Telegram account's).
    """
    for lang in (requested, detect_language(message, supported(current)), current, channel):
        found = supported(lang)
        if found:
            return found
    return None


def conversation_language(stored: str | None, message: str = "", *, channel: str | None = None) -> str:
    """The language to answer in: the one the conversation stored for this turn, else what the message
    and the channel tell (`turn_language`, for a turn whose language was never stored), else the default."""
    return supported(stored) or turn_language(message, None, channel=channel) or DEFAULT_LANGUAGE
