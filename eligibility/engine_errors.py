"""Exceptions with messages a person can act on, so callers never need to show a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class DataFileError(ValueError):
    """A program or text data file is malformed; the message names the file, the key and the problem."""

    def __init__(self, path: str | Path, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.path}: {key}: {problem}")


def reject_unknown(
    path: str | Path, where: str, names: Iterable[object], allowed: tuple[str, ...], what: str = "field"
) -> None:
    """DataFileError naming the first of `names` not in `allowed`: a misspelt key in a data file is an
    error, never silently ignored. `what` says what the names are (field, part, language)."""
    unknown = sorted(str(name) for name in names if name not in allowed)
    if unknown:
        expected = ", ".join(allowed)
        raise DataFileError(path, f"{where}.{unknown[0]}", f"unknown {what}; expected one of {expected}")


class ProfileError(ValueError):
    """An applicant profile has an unknown field or a value outside the allowed ones."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class UnknownKeyError(KeyError):
    """A program value was asked for by a key the data file does not define."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the plain message
        return str(self.args[0]) if self.args else "unknown key"
