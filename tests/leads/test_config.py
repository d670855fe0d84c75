"""Settings: config/defaults.env, then an optional env file, then the environment; one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from leads import ConfigError, LeadStore, load_settings
from leads.config import ROOT, read_env_file, safe_url
from tests.leads.conftest import new_lead


def test_defaults_match_the_embedded_ones() -> None:
    settings = load_settings({})
    assert settings.db_url == f"sqlite:///{ROOT / 'var' / 'leads.db'}"  # relative to the repo, not the cwd
    defaults = read_env_file(ROOT / "config" / "defaults.env")
    assert settings.tracker_db_url == f"sqlite:///{ROOT / defaults['TRACKER_DB_URL'].removeprefix('sqlite:///')}"
    assert settings.retention_days == 365 and settings.webhook_url is None
    assert settings.webhook_timeout == 5 and settings.webhook_retries == 2


def test_layers(tmp_path: Path) -> None:
    env_file = tmp_path / "defaults.env"
    env_file.write_text("# comment\nLEADS_RETENTION_DAYS=30\nTRACKER_DB_URL=sqlite:///var/other.db\nUNRELATED=1\n\n")
    settings = load_settings({"LEADS_WEBHOOK_URL": "https://crm.example.com/hook"}, env_file, root=tmp_path)
    assert settings.retention_days == 30 and settings.tracker_db_url == f"sqlite:///{tmp_path}/var/other.db"
    assert settings.webhook_url == "https://crm.example.com/hook"
    settings = load_settings({"LEADS_RETENTION_DAYS": "90", "TRACKER_DB_URL": "postgres://u:pw@db/rasa"},
                             env_file, root=tmp_path)
    assert settings.retention_days == 90 and settings.tracker_db_url == "postgresql://u:pw@db/rasa"
    assert read_env_file(tmp_path / "missing.env") == {}


def test_tracker_url_variants() -> None:
    assert load_settings({"TRACKER_DB_URL": ""}).tracker_db_url is None
    url = load_settings({"TRACKER_DB_URL": "postgresql:///rasa", "POSTGRESQL_SCHEMA": "bot"}).tracker_db_url
    assert url == "postgresql:///rasa?options=-csearch_path%3Dbot"  # Rasa's POSTGRESQL_SCHEMA followed
    assert load_settings({"TRACKER_DB_URL": "sqlite:////tmp/t.db"}).tracker_db_url == "sqlite:////tmp/t.db"


@pytest.mark.parametrize(("env", "message"), [
    ({"LEADS_RETENTION_DAYS": "a year"}, "LEADS_RETENTION_DAYS must be a number"),
    ({"LEADS_RETENTION_DAYS": "0"}, "LEADS_RETENTION_DAYS must be at least 1"),
    ({"LEADS_WEBHOOK_TIMEOUT": "0"}, "LEADS_WEBHOOK_TIMEOUT must be at least"),
    ({"LEADS_WEBHOOK_RETRIES": "-1"}, "LEADS_WEBHOOK_RETRIES must be at least 0"),
    ({"LEADS_WEBHOOK_URL": "crm.example.com"}, "LEADS_WEBHOOK_URL must start with http"),
    ({"LEADS_DB_URL": "leads.db"}, "LEADS_DB_URL is not a database URL"),
])
def test_bad_values(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_safe_url_hides_the_password() -> None:
    assert safe_url("postgresql://leads:s3cret@db.example.com/leads") == "postgresql://leads:***@db.example.com/leads"


def test_leads_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'leads.db'}"  # the folder is created
    with LeadStore(url) as store:
        reference = store.save(new_lead()).reference
    with LeadStore(url) as store:
        assert store.get(reference) is not None
