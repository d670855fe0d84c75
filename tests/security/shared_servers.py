"""The security and privacy tests' view of the session's shared assistant (tests/session_servers.py).

It has one action server and Rasa servers started in parallel, among them:
- the *default* one, with every setting of config/defaults.env (no HTTP API, no CORS, INFO logs);
- the *configured* one, with everything optional switched on: the HTTP API with a token and a JWT secret,
  CORS for one origin, and DEBUG logs (Rasa reads LOG_LEVEL).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.servers import Assistant
from tests.session_servers import (  # noqa: F401 - the tests' names for them
    API_TOKEN,
    CONFIGURED,
    FOREIGN_ORIGIN,
    JWT_SECRET,
    SHOP_ORIGIN,
    running,
)


@dataclass(frozen=True)
class SecurityServers:
    """The running assistant and which of its Rasa servers is which."""

    assistant: Assistant
    default_url: str
    configured_url: str


def shared_servers(config: pytest.Config, factory: pytest.TempPathFactory | None = None) -> SecurityServers:
    """The session's shared servers, started on first use (or at collection) and stopped when it ends."""
    servers = running(config, "e2e_servers")
    return SecurityServers(servers.assistant, servers.url("default"), servers.url("configured"))


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
