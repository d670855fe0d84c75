"""The place index: what it knows, each place's country, province and time zone, built once per process."""

from __future__ import annotations

import pycountry
import yaml

from places import gazetteer
from places.gazetteer import get_gazetteer


def test_gazetteer_content() -> None:
    """The gazetteer knows the places of the brief and none of the blocked words."""
    gaz = get_gazetteer()
    assert len(gaz) > 15_000
    for key in ("gatineau", "sherbrooke", "laval", "mtl", "trois rivieres", "colombie britannique", "bc",
                "ottawa", "moncton", "algerie", "tunisie", "maroc", "etats unis", "usa", "royaume uni",
                "alger", "casablanca", "dakar", "lyon", "a l etranger", "une autre province"):
        assert key in gaz.entries, key
    for key in ("of", "is", "permit", "pilot", "regular", "program", "status", "letter", "bonjour", "merci",
                "ville", "mont", "cap", "gap", "police", "canada"):
        assert key not in gaz.entries or gaz.entries[key][0].kind == "canada", key
    for key in ("nice", "mobile", "split", "reading", "orange", "tours", "sale", "male", "praia", "victoria"):
        assert key in gaz.gated, key


def test_quebec_is_admin1_10() -> None:
    """geonames' Quebec cities (admin1 "10") resolve to quebec, Ontario's to other_province."""
    gaz = get_gazetteer()
    assert gaz.entries["gatineau"][0].residence == "quebec"
    assert gaz.entries["ottawa"][0].residence == "other_province"
    assert gaz.entries["lyon"][0].residence == "abroad"


def test_index_is_built_once_per_process() -> None:
    """Every caller (extractor, booking) shares one index."""
    assert get_gazetteer() is get_gazetteer()
    gazetteer.preload()
    assert gazetteer.get_gazetteer() is get_gazetteer()


def test_places_carry_country_province_and_zone() -> None:
    """What the booking needs comes with each place: no second parse of its name."""
    gaz = get_gazetteer()
    gatineau = gaz.entries["gatineau"][0]
    assert (gatineau.country, gatineau.admin, gatineau.timezone) == ("CA", "QC", "America/Toronto")
    assert gaz.entries["lyon"][0].timezone == "Europe/Paris"
    assert gaz.entries["saskatchewan"][0].timezone == "America/Regina"  # provinces: their main zone
    assert gaz.entries["maroc"][0].timezone == "Africa/Casablanca"  # one-zone countries: that zone
    assert gaz.entries["etats unis"][0].timezone is None  # several zones: none guessed
    assert gaz.entries["canada"][0].timezone is None


def test_display_names_and_countries_are_keys() -> None:
    gaz = get_gazetteer()
    assert gaz.by_display["Sherbrooke, Québec"].country == "CA"
    assert gaz.by_display["London, Ontario"].timezone == "America/Toronto"
    assert gaz.countries["DZ"].display == "Algeria"
    assert gaz.countries["CA"].kind == "canada"


def test_lookup_only_names_are_never_residence_keys() -> None:
    """ "I'm French" says nothing about where someone lives: demonyms are only looked up whole."""
    gaz = get_gazetteer()
    assert gaz.lookup_names["moroccan"].country == "MA"
    for key in ("french", "moroccan", "marocaine", "algerian"):
        assert key not in gaz.entries, key


def test_details_round_trip_through_an_entity() -> None:
    """What the extractor puts on an entity is what the booking reads back."""
    place = get_gazetteer().entries["lyon"][0]
    details = place.details()
    assert details == {"name": "Lyon, France", "kind": "city", "country": "FR", "region": details["region"],
                       "timezone": "Europe/Paris"}
    back = gazetteer.Place.from_details(details)
    assert (back.display, back.country, back.timezone) == ("Lyon, France", "FR", "Europe/Paris")


def test_every_code_of_the_lookup_names_exists() -> None:
    names = yaml.safe_load((gazetteer.DATA_DIR / "lookup_names.yml").read_text(encoding="utf-8"))
    for code in [*names["countries"].values(), *names["demonyms"].values()]:
        assert pycountry.countries.get(alpha_2=code) is not None, code
