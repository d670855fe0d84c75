"""Looking places up in the index by key: a display name, an ISO code, or a short typed name.

No free-text search here (that is the residence extractor's job): each function folds the text and
reads the index's tables, so "Algérie", "algerie" and "ALGERIE" are one key.
"""

from __future__ import annotations

import re

import pycountry

from i18n.text_folding import fold
from places.gazetteer import Place, get_gazetteer

# A whole name typed in a preferred time or a phone's country: countries and provinces first ("Georgia" the
# country, not a demonym), then cities ("New York time" is the city's zone, not the state's), then the rest.
_WHOLE_NAME_ORDER = {"canada": 0, "country": 0, "province": 0, "city": 1}
_PARTS = re.compile(r"[,;/()]")


def place_named(display: str | None) -> Place | None:
    """The place the index shows as ``display`` ("Lyon, France", "Sherbrooke, Québec"), if it is one."""
    if not display:
        return None
    return get_gazetteer().by_display.get(display.strip())


def country_place(code: str) -> Place | None:
    """The country of an ISO 3166 alpha-2 or alpha-3 code ("FR", "dza"), if it is one."""
    if not re.fullmatch(r"[A-Za-z]{2,3}", code.strip()):
        return None
    code = code.strip().upper()
    country = pycountry.countries.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    if country is None:
        return None
    return get_gazetteer().countries.get(str(country.alpha_2))


def find_place(name: str, within: str = "") -> Place | None:
    """The place ``name`` names as a whole ("Montréal", "Algérie", "Moroccan"), best candidate first.

    ``within`` (an ISO code) picks a namesake in that country: "London" within "CA" is London, Ontario.
    """
    key = fold(name)
    if not key:
        return None
    gaz = get_gazetteer()
    candidates = gaz.entries.get(key, [])
    if within:
        for cand in candidates:
            if cand.country == within:
                return cand
    # min() keeps the first of equals: within a kind, the index's order (primary names, then population).
    best = min(candidates, key=lambda c: _WHOLE_NAME_ORDER.get(c.kind, 2), default=None)
    if best is not None and _WHOLE_NAME_ORDER.get(best.kind) == 0:
        return best
    return gaz.lookup_names.get(key) or best


def place_in_text(text: str | None) -> Place | None:
    """The place a short typed answer names: "FR", "Paris, France", "Oran, Algérie", "Sherbrooke".

    Tried in order: an ISO code, a display name, the whole text, then its comma-separated parts: the
    first part (the most precise) when it lies in the country the last part names, else the last part
    ("Paris, Texas" is in the United States).
    """
    if not text or not text.strip():
        return None
    text = text.strip()
    found = country_place(text) or place_named(text) or find_place(text)
    if found is not None:
        return found
    parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    container = find_place(parts[-1])
    first = find_place(parts[0], within=container.country if container else "")
    if first is not None and (container is None or first.country == container.country):
        return first
    return container or next((p for p in map(find_place, parts[1:-1]) if p is not None), None)
