"""Settings of the running servers: the environment over config/defaults.env (where defaults live)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from leads.config import read_env_file

DEFAULTS_FILE = Path(__file__).resolve().parent / "config" / "defaults.env"


@cache
def defaults() -> dict[str, str]:
    return read_env_file(DEFAULTS_FILE)


def current_settings(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """config/defaults.env with `env` (default: os.environ) over it; a variable set empty stays empty."""
    return {**defaults(), **(os.environ if env is None else env)}


def setting(name: str) -> str:
    """The value of `name`, its default when unset or empty; a name missing from config/defaults.env is a
    programming error (KeyError)."""
    value = os.environ.get(name, "").strip()
    return value or defaults()[name]


def number_setting(name: str) -> float:
    """A positive number setting; a wrong value falls back to the default rather than stopping the server."""
    try:
        value = float(setting(name))
    except ValueError:
        value = float(defaults()[name])
    return value if value > 0 else float(defaults()[name])


def action_timeout() -> float:
    """ACTION_TIMEOUT_SECONDS, kept below the lock lifetime whatever the settings say.

    Read by the action server (every action is bounded by it) and by the Rasa server (which waits a little
    longer), so it lives here rather than in either.
    """
    return min(number_setting("ACTION_TIMEOUT_SECONDS"), number_setting("TICKET_LOCK_LIFETIME") * 0.75)
