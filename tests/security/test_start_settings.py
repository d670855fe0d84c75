"""The start-up settings (launch/): what `rasa run` gets for each setting, and refusing unsafe ones.

Offline and fast; the running servers' behaviour is tested in the other modules of this folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from launch.rasa_server import rasa_run_arguments
from project_settings import SettingsError, load_settings
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "a" * 32


def arguments(**settings: str) -> list[str]:
    """The `rasa run` arguments for config/defaults.env with these settings over it."""
    return rasa_run_arguments(load_settings(settings))


def test_defaults_add_nothing_no_api_no_cors() -> None:
    assert arguments() == []


def test_api_with_a_token_a_jwt_secret_or_both() -> None:
    assert arguments(RASA_ENABLE_API="true", RASA_API_TOKEN=TOKEN) == ["--enable-api", "--auth-token", TOKEN]
    assert arguments(RASA_ENABLE_API="yes", RASA_JWT_SECRET=TOKEN) == [
        "--enable-api", "--jwt-secret", TOKEN, "--jwt-method", "HS256"]
    assert arguments(RASA_ENABLE_API="1", RASA_API_TOKEN=TOKEN, RASA_JWT_SECRET=TOKEN,
                     RASA_JWT_METHOD="HS512")[-4:] == ["--jwt-secret", TOKEN, "--jwt-method", "HS512"]


def test_secrets_are_ignored_while_the_api_is_off() -> None:
    assert arguments(RASA_API_TOKEN=TOKEN, RASA_JWT_SECRET=TOKEN) == []


@pytest.mark.parametrize(("settings", "message"), [
    ({"RASA_ENABLE_API": "true"}, "neither RASA_API_TOKEN nor RASA_JWT_SECRET is set"),
    ({"RASA_ENABLE_API": "true", "RASA_API_TOKEN": "short"}, "RASA_API_TOKEN is shorter than 16"),
    ({"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": TOKEN, "RASA_JWT_METHOD": "none"},
     "RASA_JWT_METHOD must be one of"),
    ({"RASA_ENABLE_API": "maybe"}, "RASA_ENABLE_API must be true or false"),
    ({"RASA_CORS_ORIGINS": "shop.example"}, "is not an origin"),
    ({"RASA_CORS_ORIGINS": "https://shop.example/widget"}, "is not an origin"),
])
def test_unsafe_or_wrong_settings_are_refused(settings: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        arguments(**settings)


def test_cors_origins_become_cors_arguments() -> None:
    assert arguments(RASA_CORS_ORIGINS=" https://shop.example, http://localhost:8080/ ,") == [
        "--cors", "https://shop.example", "http://localhost:8080"]


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without the settings under test, with `settings` over it."""
    prefixes = ("RASA_", "ACTION_", "TRACKER_", "LEADS_")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(prefixes)}, **settings}


def test_the_check_refuses_an_api_without_authentication_in_one_line() -> None:
    command = [sys.executable, "-m", "launch.rasa_server", "--check"]
    refused = subprocess.run(command, cwd=ROOT, env=clean_env(RASA_ENABLE_API="true"), capture_output=True,
                             text=True, timeout=60, check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("Not starting Rasa: RASA_ENABLE_API is true but neither")
    accepted = subprocess.run(command, cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60,
                              check=False)
    assert accepted.returncode == 0 and accepted.stderr == ""


def test_run_sh_refuses_to_start_an_api_without_authentication(tmp_path: Path) -> None:
    env = clean_env(RASA_ENABLE_API="true", RASA_PORTS=str(free_port()), ACTION_PORT=str(free_port()),
                    WEB_PORT=str(free_port()), TRACKER_DB_URL=f"sqlite:///{tmp_path / 'tracker.db'}")
    process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("scripts/run.sh started with RASA_ENABLE_API=true and no token or JWT secret")
    assert process.returncode == 1 and out == ""
    assert err.strip().splitlines() == [
        "Not starting Rasa: RASA_ENABLE_API is true but neither RASA_API_TOKEN nor RASA_JWT_SECRET is set: "
        "refusing to open Rasa's HTTP API to anyone."]
