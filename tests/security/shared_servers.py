"""One running assistant for tests/security and tests/privacy, started once per test session.

It has one action server and two Rasa servers, started in parallel:
- the *default* one, with every setting of config/defaults.env (no HTTP API, no CORS, INFO logs);
- the *configured* one, with everything optional switched on: the HTTP API with a token and a JWT secret,
  CORS for one origin, and DEBUG logs (Rasa reads LOG_LEVEL).
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.servers import Assistant, default_settings

API_TOKEN = f"test-token-{secrets.token_hex(16)}"
JWT_SECRET = secrets.token_hex(32)
SHOP_ORIGIN = "http://shop.example"
FOREIGN_ORIGIN = "http://evil.example"
# The settings under test take their config/defaults.env value even if the developer's shell sets them.
_DEFAULTS_UNDER_TEST = ("RASA_ENABLE_API", "RASA_API_TOKEN", "RASA_JWT_SECRET", "RASA_JWT_METHOD",
                        "RASA_CORS_ORIGINS", "ACTION_HOST")
CONFIGURED = {
    "RASA_ENABLE_API": "true",
    "RASA_API_TOKEN": API_TOKEN,
    "RASA_JWT_SECRET": JWT_SECRET,
    "RASA_JWT_METHOD": "HS256",
    "RASA_CORS_ORIGINS": SHOP_ORIGIN,
    "LOG_LEVEL": "DEBUG",
}


@dataclass(frozen=True)
class SecurityServers:
    """The running assistant and which of its Rasa servers is which."""

    assistant: Assistant

    @property
    def default_url(self) -> str:
        return self.assistant.urls[0]

    @property
    def configured_url(self) -> str:
        return self.assistant.urls[1]


_RUNNING = pytest.StashKey[SecurityServers]()
_FAILED = pytest.StashKey[str]()


def shared_servers(config: pytest.Config, factory: pytest.TempPathFactory) -> SecurityServers:
    """The session's servers, started on first use and stopped when the session ends."""
    if _FAILED in config.stash:
        pytest.fail(config.stash[_FAILED])
    if _RUNNING not in config.stash:
        defaults = default_settings()
        env = {name: defaults[name] for name in _DEFAULTS_UNDER_TEST}
        assistant = Assistant(workdir=factory.mktemp("security"), env={**env, "PYTHONUNBUFFERED": "1"},
                              extra_rasa=[CONFIGURED])
        config.add_cleanup(assistant.stop)
        try:
            assistant.start()
        except RuntimeError as exc:
            config.stash[_FAILED] = str(exc)
            raise
        config.stash[_RUNNING] = SecurityServers(assistant)
    return config.stash[_RUNNING]


@dataclass(frozen=True)
class Reply:
    """An HTTP answer, whatever its status."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return self.status == 200

    def json(self) -> Any:
        return json.loads(self.body.decode() or "null")


def http(method: str, url: str, headers: dict[str, str] | None = None, body: object = None) -> Reply:
    """One request; 4xx and 5xx answers are returned, not raised. Header names are lower-cased."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, _lower(error.headers.items()), error.read())


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}
