"""When to call: keep what the person wrote, and find an IANA zone in it when one can be derived.

"weekday mornings, Paris time" → Europe/Paris; "après-midi heure de Montréal" → America/Toronto;
"EST" → America/Toronto; "UTC+1" → Etc/GMT-1; "heure de l'Est" → America/Toronto; "le soir" → None.
Clues are tried from the most explicit to the least: an IANA name, a UTC/GMT offset, an abbreviation,
a phrase (data/timezones.yml), then a place of the shared place index (places/) named in a pattern such as
"X time", "heure de X" or "in X", alone in a part of the answer, or capitalised anywhere. When the answer
names no zone, the zone of where the person lives (the extractor's place, given by the caller) is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from i18n.text_folding import fold
from places.gazetteer import Place
from places.iana_zones import canonical_zone
from places.lookup import find_place

from .datafiles import load_data
from .lead_errors import LeadInputError
from .typed_text import clean

MAX_LENGTH = 200
MAX_PLACE_WORDS = 4

_IANA = re.compile(r"\b[A-Za-z]+(?:/[A-Za-z0-9_+\-]+){1,2}\b")
_OFFSET = re.compile(r"\b(?:UTC|GMT|UT|TU)\s*(?:([+-])\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?)?(?![\w+-])",
                     re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLOCK_BEFORE = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)\s*$", re.IGNORECASE)
_SEGMENTS = re.compile(r"[,;()\[\]\n/]|\s-\s|\bor\b|\bou\b")
# "X time", "X timezone", "heure X" (French puts the adjective after: "heure marocaine").
_MORE = MAX_PLACE_WORDS - 1
_BEFORE = re.compile(rf"(?:^|\s)((?:\S+\s){{0,{_MORE}}}?\S+)\s+(?:time|timezone|time zone)\b")
_AFTER = re.compile(r"\b(?:heure|heures|fuseau horaire|fuseau|time in|time at|time of|timezone of|"
                    r"in|at|a|en|au|aux|dans|from|de|du|des|d)\s+(?:de la |de |du |des |d |l |la |le |les )?"
                    rf"(\S+(?:\s\S+){{0,{_MORE}}})")


@dataclass(frozen=True)
class PreferredTime:
    """What the person said (``text``) and the zone found in it (``zone``, None when none can be).

    ``matched`` is the part of the answer that gave the zone, so the assistant can say back "Paris time";
    ``source`` says how: "iana", "offset", "abbreviation", "phrase", "place" or "residence".
    """

    text: str
    zone: str | None
    matched: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class _Found:
    zone: str  # "" when the clue is explicit but gives no zone ("UTC+15", "IST"): stop looking
    matched: str
    source: str


@lru_cache(maxsize=1)
def time_words() -> frozenset[str]:
    """Folded words about when, not where (data/timezones.yml); never place names."""
    words = load_data("timezones.yml")["time_words"]
    return frozenset(w for text in words.values() for w in fold(text).split())


def parse_preferred_time(text: str, home: Place | None = None) -> PreferredTime:
    """The preferred time as typed plus its zone; ``home`` (where they live) gives the fallback zone.

    Raises LeadInputError ``time_empty`` or ``time_too_long``; an answer with no zone is not an error.
    """
    typed = clean(text or "")
    if not typed:
        raise LeadInputError("preferred_time", "time_empty")
    if len(typed) > MAX_LENGTH:
        raise LeadInputError("preferred_time", "time_too_long")
    found = find_zone(typed)
    if found is None and home is not None and home.timezone:
        found = _Found(home.timezone, home.display, "residence")
    if found is None:
        return PreferredTime(typed, None)
    return PreferredTime(typed, found.zone, found.matched, found.source)


def find_zone(text: str) -> _Found | None:
    """The first zone the clues give, most explicit first."""
    finders: tuple[Callable[[str], _Found | None], ...] = (
        _iana, _offset, _abbreviation, _phrase, _place_in_pattern, _place_alone, _capitalised_place)
    for finder in finders:
        found = finder(text)
        if found is not None:
            return found if found.zone else None
    return None


def _iana(text: str) -> _Found | None:
    for match in _IANA.finditer(text):
        zone = canonical_zone(match.group(0))
        if zone is not None:
            return _Found(zone, match.group(0), "iana")
    return None


def _offset(text: str) -> _Found | None:
    for match in _OFFSET.finditer(text):
        label = match.group(0).strip()
        if label.lower() in ("ut", "tu") and not label.isupper():
            continue  # "tu" is French for "you"
        sign, hours, minutes = match.groups()
        if sign is None:
            return _Found("UTC", label, "offset")
        zone = offset_zone(sign, int(hours), int(minutes or 0))
        return _Found(zone or "", label, "offset")
    return None


def offset_zone(sign: str, hours: int, minutes: int = 0) -> str | None:
    """The IANA zone for a fixed UTC offset; note Etc/GMT signs are inverted (UTC+1 is Etc/GMT-1)."""
    if minutes == 0:
        if hours == 0:
            return "UTC"
        if (sign == "+" and hours <= 14) or (sign == "-" and hours <= 12):
            return canonical_zone(f"Etc/GMT{'-' if sign == '+' else '+'}{hours}")
        return None
    fractional = _tables().fractional
    return fractional.get(f"{sign}{hours:02d}:{minutes:02d}")


@dataclass(frozen=True)
class _Tables:
    abbreviations: dict[str, str]  # "" for the ambiguous ones
    phrases: re.Pattern[str]
    phrase_zones: dict[str, tuple[str, str]]  # folded phrase → (zone, phrase as written in the file)
    fractional: dict[str, str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = load_data("timezones.yml")
    abbreviations = {a.upper(): zone for zone, names in data["abbreviations"].items() for a in names}
    abbreviations |= {a.upper(): "" for names in data["ambiguous"].values() for a in names}
    phrase_zones = {fold(p): (zone, p) for zone, phrases in data["phrases"].items() for p in phrases}
    keys = sorted(phrase_zones, key=len, reverse=True)  # longest first: "heure normale de l est"
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
    fractional = {str(k): v for k, v in data["fractional_offsets"].items()}
    return _Tables(abbreviations, pattern, phrase_zones, fractional)


def _abbreviation(text: str) -> _Found | None:
    table = _tables().abbreviations
    whole = re.sub(r"[^\w]", "", text).upper()
    for match in re.finditer(r"\b[A-Za-z]{2,5}\b", text):
        word = match.group(0)
        upper = word.upper()
        if upper not in table:
            continue
        if word.isupper() or upper == whole or _CLOCK_BEFORE.search(text[:match.start()]):
            zone = canonical_zone(table[upper]) if table[upper] else None  # ambiguous ones: stop, no zone
            return _Found(zone or "", word, "abbreviation")
    return None


def _phrase(text: str) -> _Found | None:
    tables = _tables()
    match = tables.phrases.search(fold(text))
    if match is None:
        return None
    zone, phrase = tables.phrase_zones[match.group(0)]
    return _Found(canonical_zone(zone) or "", phrase, "phrase")


def _segments(text: str) -> Iterator[str]:
    for part in _SEGMENTS.split(text):
        if part and part.strip():
            yield part.strip()


def _place_in_pattern(text: str) -> _Found | None:
    """A place right before "time" or right after "heure de", "in", "à"... (longest name first)."""
    for segment in _segments(text):
        folded = fold(segment)
        for match in _BEFORE.finditer(folded):
            words = match.group(1).split()
            for start in range(len(words)):
                found = _zone_of(" ".join(words[start:]))
                if found:
                    return found
        for match in _AFTER.finditer(folded):
            words = match.group(1).split()
            for end in range(len(words), 0, -1):
                found = _zone_of(" ".join(words[:end]))
                if found:
                    return found
    return None


def _place_alone(text: str) -> _Found | None:
    """A part of the answer that is only a place once words about when are left out: "lundi, Dakar"."""
    skip = time_words()
    for segment in _segments(text):
        words = [w for w in fold(segment).split() if w not in skip and not re.search(r"\d", w)]
        if words and len(words) <= MAX_PLACE_WORDS:
            found = _zone_of(" ".join(words))
            if found:
                return found
    return None


def _capitalised_place(text: str) -> _Found | None:
    """A capitalised name anywhere ("call me after 6pm Montreal"), longest run of words first."""
    words = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
    for size in range(MAX_PLACE_WORDS, 0, -1):
        for i in range(len(words) - size + 1):
            run = words[i:i + size]
            if not run[0][0][0].isupper() or not run[-1][0][0].isupper():
                continue
            found = _zone_of(text[run[0][1]:run[-1][1] + len(run[-1][0])])
            if found:
                return found
    return None


def _zone_of(name: str) -> _Found | None:
    """The zone of a place named ``name`` as a whole, in the shared index (never a word about when)."""
    if fold(name) in time_words():
        return None
    place = find_place(name)
    if place is None or place.timezone is None:
        return None
    return _Found(place.timezone, place.display.split(",")[0], "place")  # "Paris, France" → Paris
