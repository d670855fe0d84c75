"""The package's YAML data files, loaded once and checked for shape so a bad edit fails with the file name."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


class DataFileError(ValueError):
    """A data file under leads/data is missing or malformed."""


@cache
def load_data(name: str) -> dict[str, Any]:
    """One data file as a dict of sections (each a mapping)."""
    path = DATA_DIR / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise DataFileError(f"{path}: expected a mapping of sections, each a mapping")
    return data
