"""IANA time-zone names: the ones this machine knows, looked up case-insensitively, old names renamed."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from pathlib import Path

import yaml

LINKS_FILE = Path(__file__).parent / "data" / "zone_links.yml"


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    """Lower-cased name → IANA name, for every zone in the system's (or tzdata's) database."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@lru_cache(maxsize=1)
def links() -> dict[str, str]:
    """Old or alias zone names (data/zone_links.yml) → the current IANA name."""
    data = yaml.safe_load(LINKS_FILE.read_text(encoding="utf-8"))
    return {str(old): str(new) for old, new in data["links"].items()}


@lru_cache(maxsize=1)
def _lowered_links() -> dict[str, str]:
    return {old.lower(): new for old, new in links().items()}


def canonical_zone(name: str) -> str | None:
    """The IANA name for ``name`` ("europe/paris" → "Europe/Paris", "US/Eastern" → "America/New_York"),
    or None when this machine's zone database doesn't have it."""
    key = name.strip().lower()
    key = _lowered_links().get(key, key).lower()
    return _known().get(key)
