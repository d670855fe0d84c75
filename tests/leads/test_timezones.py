"""Preferred time: what the person wrote is kept; an IANA zone is derived when the answer names one."""

from __future__ import annotations

import pytest

from leads import LeadInputError, parse_preferred_time
from leads.datafiles import load_data
from leads.timezones import offset_zone
from leads.typed_text import clean
from places.gazetteer import preload
from places.iana_zones import canonical_zone
from places.lookup import place_named


@pytest.mark.parametrize(("typed", "zone"), [
    # English
    ("weekday mornings, Paris time", "Europe/Paris"),
    ("EST", "America/Toronto"),
    ("est", "America/Toronto"),  # the whole answer
    ("Tuesdays 10am est", "America/Toronto"),  # right after a time
    ("afternoons EDT please", "America/Toronto"),
    ("Eastern time", "America/Toronto"),
    ("2pm Pacific time", "America/Vancouver"),
    ("PST", "America/Vancouver"),
    ("mornings, Vancouver time", "America/Vancouver"),
    ("New York time", "America/New_York"),
    ("I live in Ottawa, evenings", "America/Toronto"),
    ("call me after 6pm Montreal", "America/Toronto"),
    ("French time", "Europe/Paris"),
    ("Moroccan time", "Africa/Casablanca"),
    ("time in Algiers", "Africa/Algiers"),
    ("Tuesdays 2pm CET", "Europe/Paris"),
    ("Newfoundland time", "America/St_Johns"),
    ("Saskatchewan", "America/Regina"),
    # French
    ("après-midi heure de Montréal", "America/Toronto"),
    ("heure de l'Est", "America/Toronto"),
    ("heure de l’Est", "America/Toronto"),
    ("le matin, heure normale de l'Est", "America/Toronto"),
    ("le matin, HNE", "America/Toronto"),
    ("heure de Paris", "Europe/Paris"),
    ("heure du Maroc", "Africa/Casablanca"),
    ("heure marocaine", "Africa/Casablanca"),
    ("heure d'Alger", "Africa/Algiers"),
    ("9h-11h heure de Tunis", "Africa/Tunis"),
    ("soirée, heure de Dakar", "Africa/Dakar"),
    ("lundi matin (Casablanca)", "Africa/Casablanca"),
    ("après 17h heure du Québec", "America/Toronto"),
    ("heure du Pacifique", "America/Vancouver"),
    ("heure de Sherbrooke s'il vous plaît", "America/Toronto"),
    ("en soirée, heure de Trois-Rivières", "America/Toronto"),
    ("heure de l'Europe centrale", "Europe/Paris"),
    # Offsets and IANA names
    ("UTC+1", "Etc/GMT-1"),
    ("UTC +01:00", "Etc/GMT-1"),
    ("GMT-5", "Etc/GMT+5"),
    ("UTC−3", "Etc/GMT+3"),  # Unicode minus
    ("UTC", "UTC"),
    ("GMT", "UTC"),
    ("UTC+5:30", "Asia/Kolkata"),
    ("GMT-3h30", "America/St_Johns"),
    ("le matin UTC+0", "UTC"),
    ("Europe/Paris", "Europe/Paris"),
    ("mornings, europe/paris", "Europe/Paris"),
    ("Africa/Algiers afternoons", "Africa/Algiers"),
    ("Asia/Calcutta", "Asia/Kolkata"),  # old name → current
    ("America/Montreal", "America/Toronto"),
])
def test_zone_from_english_and_french_phrases(typed: str, zone: str) -> None:
    when = parse_preferred_time(typed)
    assert when.zone == zone, (typed, when)
    assert when.text == clean(typed)  # as typed, typographic apostrophes and minus signs made plain
    assert when.matched and when.source


@pytest.mark.parametrize("typed", [
    "weekday mornings",
    "in the evening",
    "anytime",
    "Mondays after 6pm",
    "weekends",
    "le matin en semaine",
    "le soir, de préférence",
    "n'importe quand",
    "à partir de 14h",
    "fin de semaine",
    "le matin et le soir",
    "tu peux m'appeler le matin",  # "tu" is not temps universel here
    "9h et 10h",  # "et" is not Eastern Time
    "c'est mieux le soir",  # nor is "est"
    "Canada time",  # several zones: no guess
    "heure du Canada",
    "IST",  # India, Ireland or Israel: no guess
    "GMT+15",  # no such offset
    "Etc/Nowhere",
])
def test_no_zone_when_none_can_be_derived(typed: str) -> None:
    when = parse_preferred_time(typed)
    assert when.zone is None, (typed, when)
    assert when.text == typed


def test_where_they_live_is_the_fallback_zone() -> None:
    paris, canada = place_named("Paris, France"), place_named("Canada")  # as the extractor gives them
    when = parse_preferred_time("le soir", home=paris)
    assert (when.zone, when.source) == ("Europe/Paris", "residence")
    assert parse_preferred_time("EST", home=paris).zone == "America/Toronto"  # what they said wins
    assert parse_preferred_time("le soir", home=canada).zone is None


def test_preload_is_safe_to_call_twice() -> None:
    preload()
    preload()
    assert parse_preferred_time("Dakar").zone == "Africa/Dakar"


def test_text_is_kept_tidied() -> None:
    assert parse_preferred_time("  lundi   matin ").text == "lundi matin"


@pytest.mark.parametrize(("typed", "code"), [
    ("", "time_empty"), ("  ", "time_empty"), ("x" * 201, "time_too_long")])
def test_bad_preferred_time(typed: str, code: str) -> None:
    with pytest.raises(LeadInputError) as caught:
        parse_preferred_time(typed)
    assert caught.value.code == code


def test_offset_zone_signs_are_inverted_as_iana_says() -> None:
    assert offset_zone("+", 1) == "Etc/GMT-1"
    assert offset_zone("-", 12) == "Etc/GMT+12"
    assert offset_zone("+", 14) == "Etc/GMT-14"
    assert offset_zone("-", 13) is None
    assert offset_zone("+", 5, 15) is None


def test_every_zone_and_code_in_the_data_files_exists() -> None:
    zones = load_data("timezones.yml")
    for section in ("abbreviations", "phrases"):
        for zone in zones[section]:
            assert canonical_zone(zone) == zone, (section, zone)
    for zone in zones["fractional_offsets"].values():
        assert canonical_zone(zone) == zone
    abbreviations = [a for names in zones["abbreviations"].values() for a in names]
    ambiguous = [a for names in zones["ambiguous"].values() for a in names]
    assert len(abbreviations) == len(set(abbreviations)) and not set(abbreviations) & set(ambiguous)
