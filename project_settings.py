"""Every setting of the assistant, read and checked in one place: ``get_settings()`` for this process.

Layers, lowest first: ``config/defaults.env`` (the one place default values are written), then
``config/<profile>.env`` when a profile is named (``scale-out``), then the environment. The servers,
``python -m leads``, the scripts and the test harness all read settings here; the start scripts take them
from ``python -m project_settings --profile P --export`` (``export NAME='value'`` lines for the shell).

Empty values follow one rule: **a variable that is set wins over the files even when it is empty, and
empty means "none"** (after surrounding spaces are dropped): no value (``None``) for an optional setting,
no items for a list (``RASA_CORS_ORIGINS=`` is "no origins"), off for a yes/no setting. A setting that
needs a value (a number, a port, a host, a database URL, a name the consent says) refuses an empty one,
as it refuses any wrong value: ``SettingsError``, whose message is one line naming the variable.
A setting with no value in any layer (``LOG_LEVEL``, ``IMPPLUS_TODAY``...) is not exported, so that Rasa's
own default applies.

Relative SQLite paths in the database URLs are resolved against the repository root, not the current
directory, so ``python -m leads`` run from anywhere opens the database the assistant writes to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, confloat, conint, validator
from pydantic.fields import SHAPE_LIST, ModelField

ROOT = Path(__file__).resolve().parent
CONFIG_DIR = ROOT / "config"
DEFAULTS_FILE = CONFIG_DIR / "defaults.env"
EMBEDDED = "embedded"  # the profile with no file of its own: config/defaults.env alone

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
Port = conint(ge=1, le=65535)
Positive = confloat(gt=0)


class SettingsError(Exception):
    """A setting that would start a server in an unsafe or broken way; the message is one line."""


class ProjectSettings(BaseModel):
    """The checked settings; each field is the lower-case name of its environment variable."""

    # Rasa servers: one per port; the HTTP API, its authentication and CORS (see launch/rasa_server.py).
    rasa_ports: list[Port]
    rasa_host: str
    rasa_enable_api: bool
    rasa_api_token: str | None = None
    rasa_jwt_secret: str | None = None
    rasa_jwt_method: str
    rasa_cors_origins: list[str]
    log_level: str | None = None  # Rasa's own variable
    rasa_extra_args: str | None = None  # scripts/run.sh only
    # The action server, and where Rasa calls it (derived from ACTION_PORT when not given).
    action_host: str
    action_port: Port
    action_endpoint_url: str | None = None
    action_timeout_seconds: Positive
    # Conversations: tracker store (None: no SQL tracker store), lock store, flood limit.
    tracker_db_url: str | None = None
    postgresql_schema: str | None = None  # Rasa's own variable
    tracker_retention_days: conint(ge=1)
    lock_store_type: str
    lock_store_host: str
    lock_store_port: Port
    lock_store_db: conint(ge=0)
    lock_store_password: str | None = None
    lock_store_key_prefix: str
    ticket_lock_lifetime: conint(ge=1)  # Rasa's own variable (whole seconds)
    flood_max_messages: conint(ge=1)
    flood_window_seconds: Positive
    # Website and Telegram channels (Rasa reads these through credentials.yml).
    web_port: Port
    web_allowed_origins: list[str]
    telegram_token: str | None = None
    telegram_bot_name: str | None = None
    telegram_webhook_url: str | None = None
    telegram_api_base_url: str
    telegram_webhook_secret: str | None = None  # Telegram's secret_token; empty: derived from the bot token
    # "Book a call" leads, and what the consent names.
    leads_db_url: str
    leads_retention_days: conint(ge=1)
    leads_webhook_url: str | None = None
    leads_webhook_timeout: confloat(ge=0.01)
    leads_webhook_retries: conint(ge=0)
    consultancy_name: str
    privacy_contact_email: str
    leads_storage_location: str
    leads_webhook_recipient: str | None = None
    leads_webhook_secret: str | None = None  # signs each webhook body (HMAC-SHA256); environment only
    # Notifications of each lead (leads/delivery.py): email through SMTP (none when SMTP_HOST is empty).
    leads_notify_email: str | None = None
    smtp_host: str | None = None
    smtp_port: Port
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool
    smtp_timeout: Positive
    mail_from: str
    notify_max_attempts: conint(ge=1)
    notify_retry_seconds: Positive
    # Appointment slots: the consultancy's weekly hours, slot length, closed days (a YAML file).
    availability_file: str
    # The consultants' desk (desk/): its own port; password hash from `python -m desk hash-password`.
    desk_host: str
    desk_port: Port
    desk_public_url: str
    desk_password_hash: str | None = None
    desk_secret_key: str | None = None
    desk_cookie_secure: bool
    desk_login_attempts: conint(ge=1)
    desk_login_window_seconds: Positive
    # Answers, the terminal chat, and the date the actions take as today (tests, replays).
    facts_stale_after_days: conint(ge=1)
    shell_port: Port
    impplus_today: dt.date | None = None
    # Supervision (launch/supervisor.py): a server that crashes is restarted with back-off, at most
    # SUPERVISE_MAX_RESTARTS times within SUPERVISE_WINDOW_SECONDS; the next crash gives it up.
    supervise_max_restarts: conint(ge=1)
    supervise_window_seconds: Positive
    # Health and metrics: GET /health/live, /health/ready and /metrics on every server. /metrics answers
    # without a token only on loopback; elsewhere only with METRICS_TOKEN (Bearer), and is off without one.
    metrics_enabled: bool
    metrics_token: str | None = None

    class Config:
        frozen = True
        extra = "forbid"

    @validator("*", pre=True)
    def _from_text(cls, value: Any, field: ModelField) -> Any:
        return parse_text(value, field) if isinstance(value, str) else value

    @validator("leads_db_url", "tracker_db_url")
    def _database_url(cls, value: str | None, field: ModelField) -> str | None:
        if value is not None:
            database_url(value, field.name.upper())
        return value

    @validator("leads_webhook_url")
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("LEADS_WEBHOOK_URL must start with http:// or https://")
        return value

    @validator("action_endpoint_url", always=True)
    def _action_endpoint(cls, value: str | None, values: dict[str, Any]) -> str | None:
        if value is None and "action_port" in values:
            return f"http://127.0.0.1:{values['action_port']}/webhook"
        return value

    @property
    def availability_path(self) -> Path:
        """AVAILABILITY_FILE, a relative path read from the repository root."""
        path = Path(self.availability_file)
        return path if path.is_absolute() else ROOT / path

    @property
    def leads_database_url(self) -> str:
        """LEADS_DB_URL to connect with: a relative SQLite file under the repository root."""
        return database_url(self.leads_db_url, "LEADS_DB_URL")

    @property
    def tracker_database_url(self) -> str | None:
        """The tracker store endpoints.yml connects to, or None when there is none.

        With Rasa's POSTGRESQL_SCHEMA set, a PostgreSQL URL gets the same search_path Rasa connects with.
        """
        if self.tracker_db_url is None:
            return None
        from sqlalchemy.engine import make_url

        url = make_url(database_url(self.tracker_db_url, "TRACKER_DB_URL"))
        if self.postgresql_schema and url.get_backend_name() == "postgresql" and "options" not in url.query:
            url = url.update_query_dict({"options": f"-csearch_path={self.postgresql_schema}"})
        return url.render_as_string(hide_password=False)


NAMES: tuple[str, ...] = tuple(name.upper() for name in ProjectSettings.__fields__)


def parse_text(text: str, field: ModelField) -> Any:
    """One setting's text as its field's type, by the module's rule for empty values; ValueError if wrong."""
    name, text = field.name.upper(), text.strip()
    if field.shape == SHAPE_LIST:
        items = [_scalar(name, item.strip(), field.type_) for item in text.split(",") if item.strip()]
        if not items and name == "RASA_PORTS":
            raise ValueError("RASA_PORTS needs at least one port")
        return items
    if not text:
        if field.type_ is bool:
            return False
        if field.allow_none:
            return None
        raise ValueError(f"{name} is empty but needs a value")
    return _scalar(name, text, field.type_)


def _scalar(name: str, text: str, kind: type) -> Any:
    if kind is bool:
        if text.lower() not in _TRUE + _FALSE:
            raise ValueError(f"{name} must be true or false, not {text!r}")
        return text.lower() in _TRUE
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{name} must be a date like 2026-01-31, not {text!r}") from None
    if issubclass(kind, (int, float)):
        return _number(name, text, int if issubclass(kind, int) else float, kind)
    return text


def _number(name: str, text: str, number_type: type, bounds: type) -> int | float:
    try:
        number = number_type(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None
    ge, gt, le = (getattr(bounds, key, None) for key in ("ge", "gt", "le"))
    if ge is not None and number < ge:
        raise ValueError(f"{name} must be at least {ge}, not {text!r}")
    if gt is not None and number <= gt:
        raise ValueError(f"{name} must be more than {gt}, not {text!r}")
    if le is not None and number > le:
        raise ValueError(f"{name} must be at most {le}, not {text!r}")
    return number


def database_url(text: str, name: str, root: Path = ROOT) -> str:
    """A checked SQLAlchemy URL; relative SQLite files are made absolute under ``root``."""
    from sqlalchemy.engine import make_url  # only where a URL is read: the shell's --export stays light
    from sqlalchemy.exc import ArgumentError

    if text.startswith("postgres://"):  # the Heroku-style scheme SQLAlchemy 1.4 no longer accepts
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(f"{name} is not a database URL (e.g. sqlite:///var/leads.db)") from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            url = url.set(database=str(root / path))
    return url.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """A database URL fit for messages: the password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an env file (comments and blank lines skipped, spaces around both dropped)."""
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


def config_files(profile: str = EMBEDDED) -> list[Path]:
    """config/defaults.env, then config/<profile>.env for a named profile."""
    if profile == EMBEDDED:
        return [DEFAULTS_FILE]
    path = CONFIG_DIR / f"{profile}.env"
    if not path.is_file():
        raise SettingsError(f"Unknown profile '{profile}' (no config/{profile}.env)")
    return [DEFAULTS_FILE, path]


def given_values(env: Mapping[str, str] | None = None, files: Sequence[Path] | None = None) -> dict[str, str]:
    """The text of every setting some layer gives: ``files`` (default: config/defaults.env) in order, then
    ``env`` (default: os.environ) over them, even where empty. Other names are ignored."""
    values: dict[str, str] = {}
    layers = [*(read_env_file(path) for path in (config_files() if files is None else files)),
              os.environ if env is None else env]
    for layer in layers:
        values.update({name: value.strip() for name, value in layer.items() if name in NAMES})
    return values


def load_settings(env: Mapping[str, str] | None = None,
                  files: Sequence[Path] | None = None) -> ProjectSettings:
    """The checked settings of ``files`` with ``env`` over them (see given_values); SettingsError if wrong."""
    values = given_values(env, files)
    missing = [name for name, field in ProjectSettings.__fields__.items()
               if field.required and name.upper() not in values]
    if missing:
        raise SettingsError(f"{missing[0].upper()} has no value (config/defaults.env gives every default)")
    try:
        return ProjectSettings(**{name.lower(): value for name, value in values.items()})
    except ValidationError as exc:
        raise SettingsError("; ".join(error["msg"] for error in exc.errors())) from None


def get_settings() -> ProjectSettings:
    """This process's settings: its environment over config/defaults.env (checked once per environment)."""
    return _settings_for(tuple((name, os.environ[name]) for name in NAMES if name in os.environ))


@lru_cache(maxsize=8)
def _settings_for(environment: tuple[tuple[str, str], ...]) -> ProjectSettings:
    return load_settings(dict(environment))


def action_timeout() -> float:
    """ACTION_TIMEOUT_SECONDS, kept below the lock lifetime whatever the settings say.

    Read by the action server (every action is bounded by it) and by the Rasa server (which waits a little
    longer), so it lives here rather than in either.
    """
    settings = get_settings()
    return min(settings.action_timeout_seconds, settings.ticket_lock_lifetime * 0.75)


def export_lines(profile: str = EMBEDDED, env: Mapping[str, str] | None = None) -> list[str]:
    """``export NAME='value'`` for every setting some layer gives (checked first), for the shell's ``eval``.

    The texts are exported as given (Rasa reads several of them itself), with ACTION_ENDPOINT_URL's derived
    default filled in.
    """
    files = config_files(profile)
    settings = load_settings(env, files)
    values = {**given_values(env, files), "ACTION_ENDPOINT_URL": str(settings.action_endpoint_url)}
    return [f"export {name}={shlex.quote(values[name])}" for name in NAMES if name in values]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m project_settings [--profile P] [--export]``: check the settings (exit status 1 and one
    line on stderr when one is wrong); with --export, print them for the shell."""
    parser = argparse.ArgumentParser(prog="python -m project_settings", description=main.__doc__)
    parser.add_argument("--profile", default=EMBEDDED, help="a config/<profile>.env over the defaults")
    parser.add_argument("--export", action="store_true", help="print export lines for the shell's eval")
    args = parser.parse_args(argv)
    try:
        lines = export_lines(args.profile)
    except SettingsError as exc:
        print(f"{exc}.", file=sys.stderr)
        return 1
    if args.export:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
