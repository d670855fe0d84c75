"""``GET /health/live`` and ``GET /health/ready`` for every server, and the readiness checks, in one place.

Live means the process answers. Ready means the parts it needs answer: each server names its checks
(``rasa_server_checks``, ``action_server_checks``, ``desk_checks``, ``web_checks``), and ``readiness``
runs them at once, each bounded by CHECK_TIMEOUT_SECONDS, so a part that hangs makes the answer "not
ready" instead of making the probe hang. The answer names what failed by the exception's class only:
never a URL, a password or a message that could hold one.

Only the standard library is imported here (SQLAlchemy, redis and Sanic where a check or a route needs
them), so the demo web page (web/serve.py) can use it.
"""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

if TYPE_CHECKING:
    from sanic import Sanic
    from sqlalchemy.engine import Engine

    from project_settings import ProjectSettings

CHECK_TIMEOUT_SECONDS = 2.0
LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
METRICS_PATH = "/metrics"
JSON_TYPE = "application/json"
OK = "ok"

Check = Callable[[], Awaitable[None]]  # returns when the part answers, raises when it does not


@dataclass(frozen=True)
class Readiness:
    """The outcome of every check: "ok" or "failed: <ExceptionClass>" (or "failed: timeout")."""

    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(outcome == OK for outcome in self.checks.values())

    @property
    def status(self) -> int:
        """200 when ready, 503 otherwise (what a load balancer or an orchestrator reads)."""
        return 200 if self.ready else 503

    def body(self) -> bytes:
        return json.dumps({"ready": self.ready, "checks": self.checks}, sort_keys=True).encode("utf-8")


LIVE_BODY = json.dumps({"live": True}).encode("utf-8")


async def _outcome(check: Check, timeout: float) -> str:
    try:
        await asyncio.wait_for(check(), timeout)
    except asyncio.TimeoutError:
        return "failed: timeout"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the class says which
        return f"failed: {type(error).__name__}"
    return OK


async def readiness(checks: Mapping[str, Check], timeout: float = CHECK_TIMEOUT_SECONDS) -> Readiness:
    """Runs every check concurrently, each for at most ``timeout`` seconds."""
    names = list(checks)
    outcomes = await asyncio.gather(*(_outcome(checks[name], timeout) for name in names))
    return Readiness(dict(zip(names, outcomes, strict=True)))


def check_now(checks: Mapping[str, Check], timeout: float = CHECK_TIMEOUT_SECONDS) -> Readiness:
    """``readiness`` for a server without an event loop (web/serve.py's threads)."""
    return asyncio.run(readiness(checks, timeout))


# ------------------------------------------------------------------------------------------ the checks
@lru_cache(maxsize=16)
def _probe_engine(url: str) -> Engine:
    """One engine per database, without a pool: each probe opens a fresh connection, so a database that
    went away is seen at once (a pooled connection could still look alive)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    timeout = int(CHECK_TIMEOUT_SECONDS)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": max(timeout, 1)}
    elif parsed.get_backend_name() == "sqlite":
        connect_args = {"timeout": CHECK_TIMEOUT_SECONDS}
    return create_engine(parsed, future=True, hide_parameters=True, poolclass=NullPool,
                         connect_args=connect_args)


def _select_one(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        file = Path(parsed.database)
        if not file.is_file():
            # Not made yet (the stores make it on first use): ready if it can be made. Connecting would
            # make an empty file, which a probe must not do.
            if not os.access(file.parent, os.W_OK | os.X_OK):
                raise FileNotFoundError("no SQLite database file, and its folder is not writable")
            return
    with _probe_engine(url).connect() as connection:
        connection.execute(text("SELECT 1"))


def database_check(url: str) -> Check:
    """``SELECT 1`` on the database at ``url`` (a SQLAlchemy URL), in a thread."""

    async def check() -> None:
        await asyncio.to_thread(_select_one, url)

    return check


def _redis_ping(settings: ProjectSettings) -> None:
    import redis

    client = redis.Redis(host=settings.lock_store_host, port=settings.lock_store_port,
                         db=settings.lock_store_db, password=settings.lock_store_password or None,
                         socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        if not client.ping():
            raise ConnectionError("no PONG")
    finally:
        client.close()


def uses_redis(settings: ProjectSettings) -> bool:
    """Whether LOCK_STORE_TYPE is a Redis lock store (Rasa's ``redis`` or stores.AtomicRedisLockStore)."""
    return "redis" in settings.lock_store_type.lower()


def lock_store_check(settings: ProjectSettings) -> Check:
    """PING to the Redis lock store; an in-memory lock store lives in the process, so it is always ok."""

    async def check() -> None:
        if uses_redis(settings):
            await asyncio.to_thread(_redis_ping, settings)

    return check


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=CHECK_TIMEOUT_SECONDS) as answer:  # noqa: S310 - our own URL
        if answer.status != 200:
            raise ConnectionError(f"HTTP {answer.status}")


def http_check(url: str) -> Check:
    """``GET url`` answers 200 (an error status or no answer is a failure)."""

    async def check() -> None:
        await asyncio.to_thread(_get, url)

    return check


def action_server_health_url(settings: ProjectSettings) -> str:
    """rasa_sdk's own ``/health`` beside the webhook Rasa calls (ACTION_ENDPOINT_URL)."""
    return urljoin(str(settings.action_endpoint_url), "/health")


def _stores_checks(settings: ProjectSettings) -> dict[str, Check]:
    checks = {"leads_database": database_check(settings.leads_database_url)}
    if settings.tracker_database_url:
        checks["tracker_database"] = database_check(settings.tracker_database_url)
    return checks


def rasa_server_checks(settings: ProjectSettings, app: Any = None) -> dict[str, Check]:
    """The Rasa server's parts: its model (when ``app`` is given), tracker store, lock store, the leads
    database and the action server."""
    checks: dict[str, Check] = {}
    if app is not None:
        async def model() -> None:
            agent = getattr(app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                raise LookupError("no model loaded")

        checks["model"] = model
    if settings.tracker_database_url:
        checks["tracker_store"] = database_check(settings.tracker_database_url)
    checks["lock_store"] = lock_store_check(settings)
    checks["leads_database"] = database_check(settings.leads_database_url)
    checks["action_server"] = http_check(action_server_health_url(settings))
    return checks


def action_server_checks(settings: ProjectSettings) -> dict[str, Check]:
    """The action server's parts: the leads database, and the tracker database it redacts."""
    return _stores_checks(settings)


def desk_checks(settings: ProjectSettings) -> dict[str, Check]:
    """The desk's parts: the leads database, and the tracker database its transcripts and funnel read."""
    return _stores_checks(settings)


def web_checks(rasa_url: str) -> dict[str, Check]:
    """The demo page's part: the Rasa server its widget talks to (Rasa's ``/`` answers once it serves)."""
    return {"rasa_server": http_check(rasa_url.rstrip("/") + "/")}


# ------------------------------------------------------------------------------------- Sanic servers
def add_sanic_routes(app: Sanic, checks: Mapping[str, Check],
                     metrics_extra: Callable[[], bytes] | None = None) -> None:
    """``/health/live``, ``/health/ready`` and ``/metrics`` (launch/metrics.py) on a Sanic app.

    ``metrics_extra`` renders metrics only this server has (the desk's outbox); the token rule applies to
    them as to the rest. The routes need no session and are never cached."""
    from sanic.response import HTTPResponse

    from launch.metrics import metrics_answer

    headers = {"cache-control": "no-store"}

    async def live(request: Any) -> HTTPResponse:
        return HTTPResponse(LIVE_BODY, content_type=JSON_TYPE, headers=headers)

    async def ready(request: Any) -> HTTPResponse:
        outcome = await readiness(checks)
        return HTTPResponse(outcome.body(), status=outcome.status, content_type=JSON_TYPE, headers=headers)

    async def metrics(request: Any) -> HTTPResponse:
        host = getattr(request.app.state, "host", "") or ""
        answer = await asyncio.to_thread(metrics_answer, host, request.headers.get("authorization"),
                                         extra=metrics_extra)
        return HTTPResponse(answer.body, status=answer.status, content_type=answer.content_type,
                            headers={**headers, **answer.headers})

    app.add_route(live, LIVE_PATH, methods=["GET"], name="impplus_health_live")
    app.add_route(ready, READY_PATH, methods=["GET"], name="impplus_health_ready")
    app.add_route(metrics, METRICS_PATH, methods=["GET"], name="impplus_metrics")
