"""Which language a person writes in, and when a message is clear enough to switch.

The assistant answers in the person's language and keeps it across short replies ("ok", "oui", "3"):
only a message with a clear majority of French or English marker words changes it, or an explicit
request ("in English please", "en français svp").
"""

from __future__ import annotations

import re
import unicodedata

SUPPORTED = ("en", "fr")
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
_SWITCH_TO_FR = re.compile(r"\b(fran[cç]ais|french|francais)\b", re.I)
_SWITCH_TO_EN = re.compile(r"\b(english|anglais)\b", re.I)
_WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœæ]+(?:'[a-zàâäçéèêëîïôöûùüÿœæ]+)?", re.I)


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


def requested_language(text: str, current: str | None) -> str:
    """The language asked for by a "switch language" request; without a name, the other one."""
    wants_fr = bool(_SWITCH_TO_FR.search(text))
    wants_en = bool(_SWITCH_TO_EN.search(text))
    if wants_fr and not wants_en:
        return "fr"
    if wants_en and not wants_fr:
        return "en"
    return "en" if current == "fr" else "fr"


def language_of_call(tracker: dict) -> str:
    """The language to answer in, from the tracker JSON of an action call: the conversation's language,
    else the one its latest message is written in, else the default."""
    current = (tracker.get("slots") or {}).get("language")
    if current in SUPPORTED:
        return str(current)
    latest = str((tracker.get("latest_message") or {}).get("text") or "")
    return detect_language(latest, None) or DEFAULT_LANGUAGE
