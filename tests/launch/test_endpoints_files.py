"""endpoints.yml and credentials.yml (plain Rasa commands) are the embedded settings files written out."""

from __future__ import annotations

import shlex
from pathlib import Path
from string import Template

import yaml

from project_settings import config_files, export_lines
from tests.servers import ROOT


def embedded_exports() -> dict[str, str]:
    """The embedded profile's settings as scripts/load_env.sh exports them, from the files alone."""
    lines = export_lines("embedded", env={})
    return dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in lines)


def load(path: Path, values: dict[str, str] | None = None) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(Template(text).substitute(values) if values is not None else text)


def test_plain_endpoints_are_the_embedded_settings_written_out() -> None:
    assert config_files("embedded") == [ROOT / "config" / "defaults.env"]
    settings = load(ROOT / "endpoints.settings.yml", embedded_exports())
    plain = load(ROOT / "endpoints.yml")
    assert plain["action_endpoint"] == settings["action_endpoint"]
    assert plain["tracker_store"] == settings["tracker_store"]
    assert settings["lock_store"]["type"] == plain["lock_store"]["type"] == "in_memory"


def test_plain_endpoints_need_no_environment_variables() -> None:
    assert "$" not in (ROOT / "endpoints.yml").read_text(encoding="utf-8")


def test_plain_credentials_are_the_default_settings_written_out() -> None:
    settings = load(ROOT / "credentials.settings.yml", embedded_exports())
    plain = load(ROOT / "credentials.yml")
    assert "$" not in (ROOT / "credentials.yml").read_text(encoding="utf-8")
    assert plain == {name: block for name, block in settings.items() if "telegram" not in name}
