"""Settings for the start-up modules: the environment over config/defaults.env, as scripts/load_env.sh does.

A variable set in the environment wins even when it is empty (that is how load_env.sh treats it too), so
`RASA_CORS_ORIGINS=` really means "no origins".
"""

from __future__ import annotations

from collections.abc import Mapping

from project_settings import current_settings

__all__ = ["SettingsError", "current_settings", "flag", "listing"]

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class SettingsError(Exception):
    """A setting that would start a server in an unsafe or broken way; the message is one line."""


def flag(settings: Mapping[str, str], name: str) -> bool:
    """A yes/no setting; anything but the usual spellings is an error rather than a guess."""
    value = settings.get(name, "").strip().lower()
    if value not in _TRUE + _FALSE:
        raise SettingsError(f"{name} must be true or false, not {settings[name]!r}")
    return value in _TRUE


def listing(settings: Mapping[str, str], name: str) -> list[str]:
    """A comma-separated setting as a list, blanks dropped."""
    return [item.strip() for item in settings.get(name, "").split(",") if item.strip()]
