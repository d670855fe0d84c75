"""Every setting of the leads package, read from the environment with the project's embedded defaults.

Layers, lowest first: ``config/defaults.env`` (the file scripts/run.sh reads, so the command line finds the
same tracker store as the running assistant; the one place the default values are written), then an
optional second env file, then the environment.
Relative SQLite paths are resolved against the repository root, not the current directory, so
``python -m leads`` run from anywhere opens the database the assistant writes to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS_FILE = ROOT / "config" / "defaults.env"

SETTING_NAMES = (
    "LEADS_DB_URL",
    "LEADS_RETENTION_DAYS",
    "LEADS_WEBHOOK_URL",
    "LEADS_WEBHOOK_TIMEOUT",
    "LEADS_WEBHOOK_RETRIES",
    "TRACKER_DB_URL",
    "TRACKER_RETENTION_DAYS",
    "POSTGRESQL_SCHEMA",  # Rasa's own variable: the schema its PostgreSQL tracker store uses
)


@dataclass(frozen=True)
class Settings:
    """The resolved settings; ``tracker_db_url`` is None when no SQL tracker store is configured.

    ``retention_days`` is for leads; ``tracker_retention_days`` for conversations (after their last message).
    """

    db_url: str
    tracker_db_url: str | None
    retention_days: int
    webhook_url: str | None
    webhook_timeout: float
    webhook_retries: int
    tracker_retention_days: int


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an env file (comments and blank lines skipped), as scripts/run.sh reads them."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip()
    return values


def load_settings(env: Mapping[str, str] | None = None, env_file: Path | None = None,
                  root: Path = ROOT) -> Settings:
    """Settings from ``env`` (default: os.environ) over ``env_file`` over config/defaults.env."""
    values = dict.fromkeys(SETTING_NAMES, "")
    for layer in (read_env_file(DEFAULTS_FILE), read_env_file(env_file) if env_file else {},
                  os.environ if env is None else env):
        values.update({k: v for k, v in layer.items() if k in SETTING_NAMES})
    webhook = values["LEADS_WEBHOOK_URL"].strip()
    if webhook and not webhook.startswith(("http://", "https://")):
        raise ConfigError("LEADS_WEBHOOK_URL must start with http:// or https://")
    return Settings(
        db_url=database_url(values["LEADS_DB_URL"], "LEADS_DB_URL", root),
        tracker_db_url=tracker_url(values, root),
        retention_days=_number(values, "LEADS_RETENTION_DAYS", int, minimum=1),
        webhook_url=webhook or None,
        webhook_timeout=_number(values, "LEADS_WEBHOOK_TIMEOUT", float, minimum=0.01),
        webhook_retries=_number(values, "LEADS_WEBHOOK_RETRIES", int, minimum=0),
        tracker_retention_days=_number(values, "TRACKER_RETENTION_DAYS", int, minimum=1),
    )


def _number(values: Mapping[str, str], key: str, kind: type[int] | type[float],
            minimum: float) -> int | float:
    text = values[key].strip()
    try:
        number = kind(text)
    except ValueError:
        raise ConfigError(f"{key} must be a number, not {text!r}") from None
    if number < minimum:
        raise ConfigError(f"{key} must be at least {minimum}, not {text!r}")
    return number


def tracker_url(values: Mapping[str, str], root: Path = ROOT) -> str | None:
    """The tracker store endpoints.yml connects to (TRACKER_DB_URL), or None when there is none.

    With Rasa's POSTGRESQL_SCHEMA set, a PostgreSQL URL gets the same search_path Rasa connects with.
    """
    if not values.get("TRACKER_DB_URL", "").strip():
        return None
    url = database_url(values["TRACKER_DB_URL"], "TRACKER_DB_URL", root)
    schema = values.get("POSTGRESQL_SCHEMA", "").strip()
    parsed = make_url(url)
    if schema and parsed.get_backend_name() == "postgresql" and "options" not in parsed.query:
        url = parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    return url


def database_url(text: str, key: str, root: Path = ROOT) -> str:
    """A checked SQLAlchemy URL; relative SQLite files are made absolute under ``root``."""
    text = text.strip()
    if text.startswith("postgres://"):  # the Heroku-style scheme SQLAlchemy 1.4 no longer accepts
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
    except ArgumentError:
        raise ConfigError(f"{key} is not a database URL (e.g. sqlite:///var/leads.db)") from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            url = url.set(database=str(root / path))
    return url.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """A database URL fit for messages: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"
