"""Settings: config/defaults.env, then a profile's file, then the environment; one rule for empty values;
typed values; one-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from project_settings import (
    DEFAULTS_FILE,
    ROOT,
    SettingsError,
    config_files,
    get_settings,
    load_settings,
    read_env_file,
    safe_url,
)


def test_defaults_match_the_embedded_ones() -> None:
    settings = load_settings({})
    assert settings.leads_database_url == f"sqlite:///{ROOT / 'var' / 'leads.db'}"  # relative to the repo
    defaults = read_env_file(DEFAULTS_FILE)
    assert settings.tracker_database_url == (
        f"sqlite:///{ROOT / defaults['TRACKER_DB_URL'].removeprefix('sqlite:///')}")
    assert settings.leads_retention_days == 365 and settings.leads_webhook_url is None
    assert settings.leads_webhook_timeout == 5 and settings.leads_webhook_retries == 2


def test_sqlite_paths_are_relative_to_the_repository_not_the_current_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).leads_database_url == f"sqlite:///{ROOT / 'var' / 'leads.db'}"


def test_layers(tmp_path: Path) -> None:
    profile = tmp_path / "profile.env"
    profile.write_text("# comment\nLEADS_RETENTION_DAYS=30\nTRACKER_DB_URL=sqlite:///var/other.db\nUNRELATED=1\n\n")
    files = [DEFAULTS_FILE, profile]
    settings = load_settings({"LEADS_WEBHOOK_URL": "https://crm.example.com/hook"}, files)
    assert settings.leads_retention_days == 30 and settings.tracker_database_url == f"sqlite:///{ROOT}/var/other.db"
    assert settings.leads_webhook_url == "https://crm.example.com/hook"
    env = {"LEADS_RETENTION_DAYS": "90", "TRACKER_DB_URL": "postgres://u:pw@db/rasa"}
    settings = load_settings(env, files)
    assert settings.leads_retention_days == 90 and settings.tracker_database_url == "postgresql://u:pw@db/rasa"
    assert read_env_file(tmp_path / "missing.env") == {}


def test_the_scale_out_profile_and_an_unknown_one() -> None:
    settings = load_settings({}, config_files("scale-out"))
    assert settings.rasa_ports == [5005, 5006] and settings.lock_store_type == "stores.AtomicRedisLockStore"
    assert load_settings({}).rasa_ports == [5005]
    with pytest.raises(SettingsError, match=r"^Unknown profile 'nope' \(no config/nope.env\)$"):
        config_files("nope")


def test_values_are_typed() -> None:
    settings = load_settings({"RASA_ENABLE_API": " Yes ", "IMPPLUS_TODAY": "2026-11-29"})
    assert settings.rasa_enable_api is True and settings.impplus_today == dt.date(2026, 11, 29)
    assert settings.action_port == 5055 and settings.flood_max_messages == 30
    assert settings.flood_window_seconds == 30.0 and settings.ticket_lock_lifetime == 60
    assert settings.web_allowed_origins == ["http://localhost:8080", "http://127.0.0.1:8080"]
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"  # derived from ACTION_PORT
    assert load_settings({"ACTION_PORT": "6000"}).action_endpoint_url == "http://127.0.0.1:6000/webhook"
    assert load_settings({"ACTION_ENDPOINT_URL": "http://actions:5055/webhook"}).action_endpoint_url == (
        "http://actions:5055/webhook")


def test_a_set_variable_wins_even_empty_and_empty_means_none(tmp_path: Path) -> None:
    profile = tmp_path / "profile.env"
    profile.write_text("RASA_CORS_ORIGINS=https://shop.example\nLEADS_WEBHOOK_RECIPIENT=Acme CRM\n"
                       "RASA_ENABLE_API=true\nRASA_API_TOKEN=" + "a" * 32 + "\n")
    files = [DEFAULTS_FILE, profile]
    assert load_settings({}, files).rasa_cors_origins == ["https://shop.example"]
    settings = load_settings({"RASA_CORS_ORIGINS": "", "LEADS_WEBHOOK_RECIPIENT": "  ", "RASA_ENABLE_API": "",
                              "RASA_API_TOKEN": "", "TRACKER_DB_URL": "", "ACTION_ENDPOINT_URL": ""}, files)
    assert settings.rasa_cors_origins == []  # no origins
    assert settings.leads_webhook_recipient is None and settings.rasa_api_token is None  # no value
    assert settings.rasa_enable_api is False  # off
    assert settings.tracker_database_url is None  # no SQL tracker store
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"  # none given: the derived one


def test_tracker_url_variants() -> None:
    assert load_settings({"TRACKER_DB_URL": ""}).tracker_database_url is None
    env = {"TRACKER_DB_URL": "postgresql:///rasa", "POSTGRESQL_SCHEMA": "bot"}
    url = load_settings(env).tracker_database_url
    assert url == "postgresql:///rasa?options=-csearch_path%3Dbot"  # Rasa's POSTGRESQL_SCHEMA followed
    assert load_settings({"TRACKER_DB_URL": "sqlite:////tmp/t.db"}).tracker_database_url == "sqlite:////tmp/t.db"


@pytest.mark.parametrize(("env", "message"), [
    ({"LEADS_RETENTION_DAYS": "a year"}, "LEADS_RETENTION_DAYS must be a number"),
    ({"LEADS_RETENTION_DAYS": "0"}, "LEADS_RETENTION_DAYS must be at least 1"),
    ({"LEADS_WEBHOOK_TIMEOUT": "0"}, "LEADS_WEBHOOK_TIMEOUT must be at least"),
    ({"LEADS_WEBHOOK_RETRIES": "-1"}, "LEADS_WEBHOOK_RETRIES must be at least 0"),
    ({"LEADS_WEBHOOK_URL": "crm.example.com"}, "LEADS_WEBHOOK_URL must start with http"),
    ({"LEADS_DB_URL": "leads.db"}, "LEADS_DB_URL is not a database URL"),
    ({"RASA_ENABLE_API": "maybe"}, "RASA_ENABLE_API must be true or false, not 'maybe'"),
    ({"ACTION_TIMEOUT_SECONDS": "0"}, "ACTION_TIMEOUT_SECONDS must be more than 0"),
    ({"ACTION_PORT": "70000"}, "ACTION_PORT must be at most 65535"),
    ({"RASA_PORTS": "5005,x"}, "RASA_PORTS must be a number, not 'x'"),
    ({"RASA_PORTS": " , "}, "RASA_PORTS needs at least one port"),
    ({"FLOOD_MAX_MESSAGES": ""}, "FLOOD_MAX_MESSAGES is empty but needs a value"),
    ({"CONSULTANCY_NAME": " "}, "CONSULTANCY_NAME is empty but needs a value"),
    ({"IMPPLUS_TODAY": "tomorrow"}, "IMPPLUS_TODAY must be a date like 2026-01-31, not 'tomorrow'"),
])
def test_bad_values(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_errors_are_one_line_naming_every_wrong_setting(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"FLOOD_MAX_MESSAGES": "many", "WEB_PORT": "0"})
    assert "\n" not in str(caught.value)
    message = str(caught.value)
    assert "FLOOD_MAX_MESSAGES must be a number" in message and "WEB_PORT must be at least 1" in message
    with pytest.raises(SettingsError, match="^SHELL_PORT has no value"):
        empty = tmp_path / "empty.env"
        empty.write_text("")
        load_settings({name: value for name, value in read_env_file(DEFAULTS_FILE).items()
                       if name != "SHELL_PORT"}, [empty])


def test_get_settings_follows_this_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOOD_MAX_MESSAGES", "7")
    monkeypatch.setenv("IMPPLUS_TODAY", "2022-06-01")
    assert get_settings().flood_max_messages == 7 and get_settings().impplus_today == dt.date(2022, 6, 1)
    monkeypatch.delenv("FLOOD_MAX_MESSAGES")
    monkeypatch.delenv("IMPPLUS_TODAY")
    assert get_settings().flood_max_messages == 30 and get_settings().impplus_today is None


def test_safe_url_hides_the_password() -> None:
    assert safe_url("postgresql://leads:s3cret@db.example.com/leads") == "postgresql://leads:***@db.example.com/leads"
