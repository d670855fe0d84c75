"""A slot on a chat button: the person's day and time, the consultancy's time and city beside it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from i18n.formatting import format_slot, zone_city

NNBSP = "\u202f"  # babel's narrow no-break space before AM/PM
MONTREAL = "America/Montreal"
DEC_1_9AM_MONTREAL = datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)
JUNE_1_9AM_MONTREAL = datetime(2027, 6, 1, 13, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "person_zone, en, fr",
    [
        ("Europe/Paris", f"Tue, Dec 1, 3:00{NNBSP}PM your time (9:00{NNBSP}AM in Montreal)",
         "mar. 1er déc., 15 h 00, votre heure (9 h 00 à Montréal)"),
        ("America/Vancouver", f"Tue, Dec 1, 6:00{NNBSP}AM your time (9:00{NNBSP}AM in Montreal)",
         "mar. 1er déc., 6 h 00, votre heure (9 h 00 à Montréal)"),
        (None, f"Tue, Dec 1, 9:00{NNBSP}AM Montreal time", "mar. 1er déc., 9 h 00, heure de Montréal"),
        (MONTREAL, f"Tue, Dec 1, 9:00{NNBSP}AM Montreal time", "mar. 1er déc., 9 h 00, heure de Montréal"),
        # Toronto's clock shows Montreal's time: saying it twice would only clutter the button.
        ("America/Toronto", f"Tue, Dec 1, 9:00{NNBSP}AM Montreal time",
         "mar. 1er déc., 9 h 00, heure de Montréal"),
    ],
)
def test_a_slot_in_the_persons_zone_and_the_consultancys(person_zone: str | None, en: str, fr: str) -> None:
    assert format_slot(DEC_1_9AM_MONTREAL, person_zone, MONTREAL, "en") == en
    assert format_slot(DEC_1_9AM_MONTREAL, person_zone, MONTREAL, "fr") == fr


def test_daylight_saving_is_each_zones_own() -> None:
    # In June Montreal is UTC-4 and Paris UTC+2: still six hours apart, at 13:00 UTC.
    assert format_slot(JUNE_1_9AM_MONTREAL, "Europe/Paris", MONTREAL, "fr") == \
        "mar. 1er juin, 15 h 00, votre heure (9 h 00 à Montréal)"
    # Phoenix keeps standard time: 6:00 AM there in June, 7:00 AM in December, for 9:00 AM in Montreal.
    assert format_slot(JUNE_1_9AM_MONTREAL, "America/Phoenix", MONTREAL, "en").startswith(
        f"Tue, Jun 1, 6:00{NNBSP}AM your time")
    assert format_slot(DEC_1_9AM_MONTREAL, "America/Phoenix", MONTREAL, "en").startswith(
        f"Tue, Dec 1, 7:00{NNBSP}AM your time")


def test_the_consultancys_weekday_is_named_when_its_day_is_another() -> None:
    afternoon = datetime(2026, 12, 3, 21, 0, tzinfo=timezone.utc)  # Thursday 4:00 PM in Montreal
    assert format_slot(afternoon, "Asia/Tokyo", MONTREAL, "en") == \
        f"Fri, Dec 4, 6:00{NNBSP}AM your time (Thu 4:00{NNBSP}PM in Montreal)"
    assert format_slot(afternoon, "Asia/Tokyo", MONTREAL, "fr") == \
        "ven. 4 déc., 6 h 00, votre heure (jeu. 16 h 00 à Montréal)"


def test_city_names_come_from_babel_in_each_language() -> None:
    assert zone_city("Europe/Vienna", "en") == "Vienna" and zone_city("Europe/Vienna", "fr") == "Vienne"
    # CLDR files America/Montreal under Toronto: the catalog names it.
    assert zone_city(MONTREAL, "en") == "Montreal" and zone_city(MONTREAL, "fr") == "Montréal"


def test_french_elides_before_a_vowel() -> None:
    assert format_slot(DEC_1_9AM_MONTREAL, None, "America/Edmonton", "fr") == \
        "mar. 1er déc., 7 h 00, heure d'Edmonton"
    assert format_slot(DEC_1_9AM_MONTREAL, None, "America/Edmonton", "en") == \
        f"Tue, Dec 1, 7:00{NNBSP}AM Edmonton time"

