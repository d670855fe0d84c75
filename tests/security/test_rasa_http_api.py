"""Rasa's HTTP API: not served by default; when enabled, only with the token or a signed JWT."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import jwt
import pytest

from tests.security.shared_servers import API_TOKEN, JWT_SECRET, SecurityServers, http

API_PATHS = ("/status", "/version", "/domain", "/conversations/someone/tracker")


def bearer(secret: str, username: str = "ops", role: str = "admin") -> dict[str, str]:
    """An Authorization header with an HS256 JWT in the shape Rasa checks (user.username, user.role)."""
    claims = {"user": {"username": username, "role": role}, "exp": int(time.time()) + 300}
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


def test_by_default_only_the_channels_are_served(servers: SecurityServers) -> None:
    url = servers.default_url
    assert http("GET", f"{url}/").status == 200
    assert http("POST", f"{url}/webhooks/rest/webhook", body={"sender": "api-check", "message": "hi"}).ok
    for path in API_PATHS:
        assert http("GET", f"{url}{path}").status in (404, 405), path
        assert http("GET", f"{url}{path}?token={API_TOKEN}").status in (404, 405), path
    assert http("POST", f"{url}/model/parse", body={"text": "hi"}).status in (404, 405)
    assert http("PUT", f"{url}/conversations/someone/tracker/events", body=[]).status in (404, 405)


def test_enabled_api_refuses_requests_without_the_token(servers: SecurityServers) -> None:
    url = servers.configured_url
    for path in ("/status", "/conversations/someone/tracker"):
        assert http("GET", f"{url}{path}").status == 401, path
        assert http("GET", f"{url}{path}?token=wrong-{API_TOKEN}").status == 401, path
    assert http("POST", f"{url}/model/parse", body={"text": "hi"}).status == 401


def test_enabled_api_answers_with_the_token(servers: SecurityServers) -> None:
    url, sender = servers.configured_url, f"api-{uuid.uuid4().hex[:10]}"
    servers.assistant.say(sender, "What is IMP+?", url=url)
    status = http("GET", f"{url}/status?token={API_TOKEN}")
    assert status.ok and "model_file" in status.json()
    tracker = http("GET", f"{url}/conversations/{sender}/tracker?token={API_TOKEN}")
    assert tracker.status == 200 and tracker.json()["latest_message"]["text"] == "What is IMP+?"


def test_enabled_api_answers_a_jwt_signed_with_the_secret_only(servers: SecurityServers) -> None:
    url, sender = servers.configured_url, f"jwt-{uuid.uuid4().hex[:10]}"
    assert http("GET", f"{url}/status", headers=bearer(JWT_SECRET)).status == 200
    assert http("GET", f"{url}/status", headers=bearer("x" * 64)).status == 401
    # A "user" token reaches its own conversation only.
    own = http("GET", f"{url}/conversations/{sender}/tracker", headers=bearer(JWT_SECRET, sender, "user"))
    other = http("GET", f"{url}/conversations/x{sender}/tracker", headers=bearer(JWT_SECRET, sender, "user"))
    assert own.status == 200 and other.status == 403


def test_token_and_jwt_secret_stay_off_the_process_list(servers: SecurityServers) -> None:
    """`ps` shows every local user the command lines: the secrets reach Rasa inside launch.rasa_server."""
    command_lines = [Path(f"/proc/{process.pid}/cmdline") for process in servers.assistant.processes]
    if not all(path.exists() for path in command_lines):
        pytest.skip("no /proc on this system")
    for path in command_lines:
        assert API_TOKEN.encode() not in path.read_bytes() and JWT_SECRET.encode() not in path.read_bytes()
