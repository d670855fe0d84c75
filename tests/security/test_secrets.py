"""Secrets come from the environment only: every setting is documented in .env.example, no committed
file holds a secret value, and no local database, model, key or .env file is tracked by git."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml

from project_settings import read_env_file

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILES = sorted((ROOT / "config").glob("*.env"))
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD")
SECRET_KEY = re.compile(r"token|secret|password|api_key", re.IGNORECASE)
ENV_REFERENCE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*\}$")
_DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def documented() -> dict[str, tuple[bool, str]]:
    """.env.example's variables: name → (commented out, value)."""
    found = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = _DOCUMENTED.match(line.strip())
        if match:
            found[match.group(1)] = (line.lstrip().startswith("#"), match.group(2).strip())
    return found


def config_settings() -> dict[Path, dict[str, str]]:
    return {path: read_env_file(path) for path in CONFIG_FILES}


def test_every_setting_of_the_config_files_is_in_env_example() -> None:
    names = {name for settings in config_settings().values() for name in settings}
    assert names, "no settings found in config/*.env"
    assert sorted(names - set(documented())) == []


def test_secrets_are_empty_in_every_committed_settings_file() -> None:
    for path, settings in config_settings().items():
        secrets = {name: value for name, value in settings.items() if SECRET_NAME.search(name)}
        assert all(value == "" for value in secrets.values()), f"{path.name}: {secrets}"
    example = {name: entry for name, entry in documented().items() if SECRET_NAME.search(name)}
    assert {"RASA_API_TOKEN", "RASA_JWT_SECRET", "TELEGRAM_TOKEN", "LOCK_STORE_PASSWORD"} <= set(example)
    assert all(value == "" for _, value in example.values()), example


def test_urls_in_committed_files_carry_no_password() -> None:
    for path, settings in config_settings().items():
        for name, value in settings.items():
            urls = [item.strip() for item in value.split(",") if "://" in item]
            assert not any(urlsplit(url).password for url in urls), f"{path.name}: {name} has a password"


def yaml_values(node: object, key: str = "") -> list[tuple[str, object]]:
    """Every (key, value) leaf of a YAML document."""
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in yaml_values(v, str(k))]
    if isinstance(node, list):
        return [leaf for item in node for leaf in yaml_values(item, key)]
    return [(key, node)]


@pytest.mark.parametrize(
    "name", ["credentials.yml", "credentials.settings.yml", "endpoints.yml", "endpoints.settings.yml"]
)
def test_rasa_files_reference_secrets_as_environment_variables(name: str) -> None:
    leaves = yaml_values(yaml.safe_load((ROOT / name).read_text(encoding="utf-8")))
    secrets = [(key, value) for key, value in leaves if SECRET_KEY.search(key)]
    assert all(isinstance(value, str) and ENV_REFERENCE.match(value) for _, value in secrets), secrets


def test_no_local_secrets_databases_or_models_are_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split("\0")
    forbidden = [path for path in filter(None, tracked) if is_forbidden(PurePosixPath(path))]
    assert forbidden == []


def is_forbidden(path: PurePosixPath) -> bool:
    """.env files (not .env.example), databases, trained models, private keys and certificates."""
    env_file = path.name == ".env" or (path.name.startswith(".env.") and path.name != ".env.example")
    return (env_file or path.suffix in (".db", ".sqlite", ".sqlite3", ".pem", ".key", ".p12", ".pfx")
            or path.parts[0] == "models")


def test_the_forbidden_file_check_itself() -> None:
    assert all(is_forbidden(PurePosixPath(p)) for p in (
        ".env", "deploy/.env.production", "var/leads.db", "models/impplus-x.tar.gz", "tls/server.key",
        "tls/cert.pem"))
    assert not any(is_forbidden(PurePosixPath(p)) for p in (".env.example", "config/defaults.env",
                                                               "leads/lead_tables.py"))
