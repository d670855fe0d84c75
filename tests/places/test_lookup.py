"""Looking a place up by key: ISO code, display name or a short typed name (a phone's country, a time)."""

from __future__ import annotations

import pytest

from places.lookup import country_place, find_place, place_in_text, place_named


@pytest.mark.parametrize(("typed", "country"), [
    ("Paris, France", "FR"),
    ("FR", "FR"),
    ("dz", "DZ"),
    ("DZA", "DZ"),
    ("Algérie", "DZ"),
    ("Algeria", "DZ"),
    ("Alger", "DZ"),
    ("Oran, Algérie", "DZ"),
    ("Tunisie", "TN"),
    ("Tunis", "TN"),
    ("Maroc", "MA"),
    ("Casablanca", "MA"),
    ("Sénégal", "SN"),
    ("Dakar, Senegal", "SN"),
    ("Sherbrooke", "CA"),
    ("Montréal, Québec", "CA"),
    ("London, Ontario", "CA"),
    ("États-Unis", "US"),
    ("Texas", "US"),
    ("UK", "GB"),
    ("Côte d'Ivoire", "CI"),
    ("Paris, Texas", "US"),  # the container decides when the first part lies elsewhere
])
def test_country_of_a_typed_place(typed: str, country: str) -> None:
    found = place_in_text(typed)
    assert found is not None and found.country == country, (typed, found)


@pytest.mark.parametrize("typed", ["Nowhere-sur-Mer", "", "   ", None])
def test_unknown_places(typed: str | None) -> None:
    assert place_in_text(typed) is None


def test_precise_part_keeps_its_zone() -> None:
    """ "Vancouver, Canada": the city (its zone), not the country (several zones)."""
    found = place_in_text("Vancouver, Canada")
    assert found is not None and found.timezone == "America/Vancouver"
    london = place_in_text("London, Canada")
    assert london is not None and london.country == "CA"


def test_whole_name_lookups() -> None:
    assert find_place("New York").timezone == "America/New_York"  # the city, not the state
    assert find_place("heure") is None
    assert find_place("Moroccan").country == "MA"  # demonyms are looked up whole
    assert find_place("Georgia").kind == "country"
    assert country_place("CAN").kind == "canada"
    assert country_place("XX") is None


def test_display_names_are_keys() -> None:
    assert place_named("Paris, France").timezone == "Europe/Paris"
    assert place_named("Québec").kind == "province"
    assert place_named("Paris") is None  # a display name, not a name to parse
    assert place_named(None) is None
