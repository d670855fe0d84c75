"""Every setting of the leads package, read from the environment with the project's embedded defaults.

Layers, lowest first: the defaults below, then ``config/defaults.env`` (the file scripts/run.sh reads, so
the command line finds the same tracker store as the running assistant), then the environment.
Relative SQLite paths are resolved against the repository root, not the current directory, so
``python -m leads`` run from anywhere opens the database the assistant writes to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS_FILE = ROOT / "config" / "defaults.env"

DEFAULTS: dict[str, str] = {
    "LEADS_DB_URL": "sqlite:///var/leads.db",
    "LEADS_RETENTION_DAYS": "365",
    "LEADS_WEBHOOK_URL": "",
    "LEADS_WEBHOOK_TIMEOUT": "5",
    "LEADS_WEBHOOK_RETRIES": "2",
    "TRACKER_DB_URL": "",
    "TRACKER_DB_DIALECT": "sqlite",
    "TRACKER_DB": "var/tracker.db",
    "POSTGRESQL_SCHEMA": "",  # Rasa's own variable: the schema its PostgreSQL tracker store uses
}


@dataclass(frozen=True)
class Settings:
    """The resolved settings; ``tracker_db_url`` is None when no SQL tracker store is configured."""

    db_url: str
    tracker_db_url: str | None
    retention_days: int
    webhook_url: str | None
    webhook_timeout: float
    webhook_retries: int


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


def load_settings(env: Mapping[str, str] | None = None, defaults_file: Path | None = DEFAULTS_FILE,
                  root: Path = ROOT) -> Settings:
    """Settings from ``env`` (default: os.environ) over defaults.env over the built-in defaults."""
    values = dict(DEFAULTS)
    if defaults_file is not None:
        values.update({k: v for k, v in read_env_file(defaults_file).items() if k in DEFAULTS})
    values.update({k: v for k, v in (os.environ if env is None else env).items() if k in DEFAULTS})
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
    """The tracker store as endpoints.yml builds it: TRACKER_DB_URL, else TRACKER_DB_DIALECT + TRACKER_DB.

    With Rasa's POSTGRESQL_SCHEMA set, a PostgreSQL URL gets the same search_path Rasa connects with.
    """
    if values.get("TRACKER_DB_URL", "").strip():
        url = database_url(values["TRACKER_DB_URL"], "TRACKER_DB_URL", root)
    else:
        dialect = values.get("TRACKER_DB_DIALECT", "").strip()
        db = values.get("TRACKER_DB", "").strip()
        if not dialect or not db:
            return None
        if dialect.startswith("sqlite"):
            return database_url(f"{dialect}:///{db}", "TRACKER_DB", root)
        url = database_url(URL.create(dialect, database=db).render_as_string(hide_password=False),
                           "TRACKER_DB_DIALECT", root)
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
