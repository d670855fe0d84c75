"""What the shell gets: ``python -m project_settings --export`` lines, eval'ed by scripts/load_env.sh."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from project_settings import NAMES, ROOT, export_lines

CLEAN_ENV = {name: value for name, value in os.environ.items() if name not in NAMES}


def exported(lines: list[str]) -> dict[str, str]:
    values = {}
    for line in lines:
        export, assignment = shlex.split(line)
        assert export == "export"
        name, value = assignment.split("=", 1)
        values[name] = value
    return values


def test_export_gives_every_setting_with_a_value_shell_quoted() -> None:
    env = {"CONSULTANCY_NAME": "O'Brien & Fils $HOME", "LOG_LEVEL": ""}
    values = exported(export_lines("scale-out", env))
    assert values["RASA_PORTS"] == "5005,5006" and values["LOCK_STORE_TYPE"] == "stores.AtomicRedisLockStore"
    assert values["CONSULTANCY_NAME"] == "O'Brien & Fils $HOME"  # the environment wins, quoted as given
    assert values["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"  # the derived default
    assert values["RASA_CORS_ORIGINS"] == "" and values["LOG_LEVEL"] == ""  # set, even empty: exported
    assert "IMPPLUS_TODAY" not in exported(export_lines(env={}))  # no value anywhere: left unset


def shell(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = ["bash", "-c", f"set -euo pipefail; source scripts/load_env.sh; {script}"]
    return subprocess.run(command, cwd=ROOT, env={**CLEAN_ENV, "PY": sys.executable, **env},
                          capture_output=True, text=True, timeout=60, check=False)


def test_load_env_exports_the_settings_with_the_environment_winning() -> None:
    script = 'load_settings scale-out; echo "$RASA_PORTS|$TRACKER_DB_URL|$ACTION_ENDPOINT_URL|$PYTHONPATH"'
    done = shell(script, TRACKER_DB_URL="sqlite:///var/x.db")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"5005,5006|sqlite:///var/x.db|http://127.0.0.1:5055/webhook|{ROOT}"


def test_load_env_stops_on_a_wrong_setting_or_profile_with_one_line() -> None:
    done = shell("load_settings; echo started", FLOOD_MAX_MESSAGES="lots")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "FLOOD_MAX_MESSAGES must be a number, not 'lots'.\n"
    done = shell("load_settings nope; echo started")
    assert done.returncode == 1 and done.stderr == "Unknown profile 'nope' (no config/nope.env).\n"
