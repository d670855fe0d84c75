"""Zone names: case-insensitive, old names renamed, unknown ones refused."""

from __future__ import annotations

from places.gazetteer import PROVINCE_ZONES
from places.iana_zones import canonical_zone, links


def test_canonical_zone() -> None:
    assert canonical_zone("europe/paris") == "Europe/Paris"
    assert canonical_zone("US/Eastern") == "America/New_York"
    assert canonical_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert canonical_zone("Etc/Nowhere") is None


def test_every_zone_in_the_data_exists() -> None:
    for zone in [*links().values(), *PROVINCE_ZONES.values()]:
        assert canonical_zone(zone) == zone
