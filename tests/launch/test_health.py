"""/health/live and /health/ready: the checks against real parts (SQLite files, PostgreSQL, Redis, HTTP
servers on loopback), and every server answering them: the Rasa server's app, the desk, the web page; the
desk's readiness following a real PostgreSQL that stops and comes back."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from signal import SIGINT
from typing import Any

import pytest

from launch import health
from launch.local_services import Service, _run_as, postgres_answers, start_postgres
from project_settings import load_settings
from tests.local_services import local_postgres_fixture, local_redis_fixture  # noqa: F401 - fixtures
from tests.servers import ROOT, default_settings, free_port

SECRET = "s3cret-passw0rd"


# ---------------------------------------------------------------------------------------- helpers
class Answering(BaseHTTPRequestHandler):
    """A real HTTP server's handler answering every GET with ``status`` (a stand-in Rasa or action server)."""

    status = 200

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(self.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        pass


def serve(status: int = 200) -> ThreadingHTTPServer:
    handler = type("Handler", (Answering,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def ready(checks: dict[str, health.Check], timeout: float = health.CHECK_TIMEOUT_SECONDS) -> health.Readiness:
    return asyncio.run(health.readiness(checks, timeout))


def sqlite_file(path: Path) -> str:
    sqlite3.connect(path).close()
    return f"sqlite:///{path}"


# ------------------------------------------------------------------------------------------ the checks
def test_a_sqlite_database_that_answers_is_ready(tmp_path: Path) -> None:
    outcome = ready({"leads_database": health.database_check(sqlite_file(tmp_path / "leads.db"))})
    assert outcome.ready and outcome.status == 200
    assert json.loads(outcome.body()) == {"ready": True, "checks": {"leads_database": "ok"}}


def test_a_sqlite_file_not_made_yet_is_ready_when_it_can_be_made_and_the_probe_does_not_make_it(
        tmp_path: Path) -> None:
    missing = tmp_path / "tracker.db"
    assert ready({"tracker": health.database_check(f"sqlite:///{missing}")}).ready
    assert not missing.exists()
    (tmp_path / "a-file").write_text("not a folder")
    outcome = ready({"tracker": health.database_check(f"sqlite:///{tmp_path / 'a-file' / 'tracker.db'}")})
    assert outcome.status == 503 and outcome.checks == {"tracker": "failed: FileNotFoundError"}


def test_a_database_that_does_not_answer_is_named_without_its_url_or_password() -> None:
    url = f"postgresql://impplus:{SECRET}@127.0.0.1:{free_port()}/leads"
    outcome = ready({"leads_database": health.database_check(url), "fine": health.lock_store_check(
        load_settings(default_settings()))})
    assert outcome.status == 503
    body = json.loads(outcome.body())
    assert body == {"ready": False, "checks": {"leads_database": "failed: OperationalError", "fine": "ok"}}
    assert SECRET.encode() not in outcome.body() and b"127.0.0.1" not in outcome.body()


def test_a_real_postgresql_answers(local_postgres_url: str) -> None:
    assert ready({"tracker_store": health.database_check(local_postgres_url)}).ready


def test_the_redis_lock_store_is_pinged(local_redis_url: str) -> None:
    from launch.local_services import lock_store_settings

    redis_settings = load_settings({**default_settings(), "LOCK_STORE_TYPE": "stores.AtomicRedisLockStore",
                                    **lock_store_settings(local_redis_url)})
    assert health.uses_redis(redis_settings)
    assert ready({"lock_store": health.lock_store_check(redis_settings)}).ready
    gone = load_settings({**default_settings(), "LOCK_STORE_TYPE": "redis",
                          "LOCK_STORE_PORT": str(free_port()), "LOCK_STORE_PASSWORD": SECRET})
    outcome = ready({"lock_store": health.lock_store_check(gone)})
    assert outcome.checks == {"lock_store": "failed: ConnectionError"}
    assert SECRET.encode() not in outcome.body()


def test_an_http_part_must_answer_200() -> None:
    fine, failing = serve(200), serve(500)
    try:
        outcome = ready({"up": health.http_check(url_of(fine) + "/health"),
                         "erring": health.http_check(url_of(failing) + "/health"),
                         "down": health.http_check(f"http://127.0.0.1:{free_port()}/health")})
    finally:
        fine.shutdown()
        failing.shutdown()
    assert outcome.checks == {"up": "ok", "erring": "failed: HTTPError", "down": "failed: URLError"}


def test_a_part_that_hangs_makes_the_answer_not_ready_instead_of_hanging() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        outcome = ready({"rasa_server": health.http_check(url)}, timeout=0.2)
    assert outcome.checks == {"rasa_server": "failed: timeout"}


def test_the_checks_run_at_the_same_time() -> None:
    first, second = asyncio.Event(), asyncio.Event()

    async def waits_for_the_other(mine: asyncio.Event, other: asyncio.Event) -> None:
        mine.set()
        await other.wait()  # run one after the other, the first would wait for ever

    outcome = ready({"a": lambda: waits_for_the_other(first, second),
                     "b": lambda: waits_for_the_other(second, first)})
    assert outcome.checks == {"a": "ok", "b": "ok"}


def test_each_server_checks_its_own_parts(tmp_path: Path) -> None:
    settings = load_settings({**default_settings(), "TRACKER_DB_URL": f"sqlite:///{tmp_path / 't.db'}",
                              "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook"})
    assert list(health.rasa_server_checks(settings)) == ["tracker_store", "lock_store", "leads_database",
                                                         "action_server"]
    assert health.action_server_health_url(settings) == "http://127.0.0.1:5055/health"
    assert list(health.action_server_checks(settings)) == ["leads_database", "tracker_database"]
    assert list(health.desk_checks(settings)) == ["leads_database", "tracker_database"]
    assert list(health.web_checks("http://localhost:5005/")) == ["rasa_server"]


# -------------------------------------------------------------------------------------- the servers
def test_the_rasa_servers_app_answers_health_and_metrics(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa's own app factory, wrapped as ``python -m launch.rasa_server`` wraps it, served on loopback."""
    import rasa.core.run as rasa_run

    from launch.rasa_server import with_health_routes

    action_server = serve(200)
    monkeypatch.setenv("LEADS_DB_URL", sqlite_file(tmp_path / "leads.db"))
    monkeypatch.setenv("TRACKER_DB_URL", sqlite_file(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", url_of(action_server) + "/webhook")
    app = with_health_routes(rasa_run.configure_app)(None, enable_api=False, use_uvloop=False)
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> dict[str, tuple[int, bytes]]:
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                         access_log=False)
        assert server is not None
        await server.startup()
        await server.start_serving()
        try:
            answers = {path: await asyncio.to_thread(get, base + path)
                       for path in ("/health/live", "/health/ready", "/metrics")}
            app.ctx.agent = type("LoadedAgent", (), {"is_ready": lambda self: True})()
            answers["ready with a model"] = await asyncio.to_thread(get, base + "/health/ready")
            return answers
        finally:
            server.close()
            await server.wait_closed()

    try:
        answers = asyncio.run(scenario())
    finally:
        action_server.shutdown()
    assert answers["/health/live"] == (200, b'{"live": true}')
    status, body = answers["/health/ready"]
    assert status == 503 and json.loads(body)["checks"] == {
        "model": "failed: LookupError", "tracker_store": "ok", "lock_store": "ok", "leads_database": "ok",
        "action_server": "ok"}
    assert answers["ready with a model"][0] == 200
    assert answers["/metrics"][0] == 200 and b"impplus_turns_total" in answers["/metrics"][1]


@pytest.fixture
def web_serve() -> Any:
    """web/serve.py as `python web/serve.py` runs it (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("web_serve_health", ROOT / "web" / "serve.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_web_page_is_ready_while_its_rasa_server_answers(web_serve: Any) -> None:
    rasa = serve(200)
    page = web_serve.make_server("127.0.0.1", free_port(), url_of(rasa))
    threading.Thread(target=page.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{page.server_address[1]}"
    try:
        assert get(base + "/health/live") == (200, b'{"live": true}')
        assert get(base + "/health/ready") == (200, b'{"checks": {"rasa_server": "ok"}, "ready": true}')
        status, metrics = get(base + "/metrics")
        assert status == 200 and b"process_start_time_seconds" in metrics
        rasa.shutdown()
        rasa.server_close()
        status, body = get(base + "/health/ready")
        assert status == 503 and json.loads(body)["checks"] == {"rasa_server": "failed: URLError"}
        assert get(base + "/")[0] == 200  # the page itself is still served
    finally:
        page.shutdown()
        page.server_close()


# ----------------------------------------------------------------------- the desk, and PostgreSQL
@pytest.fixture
def desk_module() -> Any:
    from tests.desk import conftest as desk_fixtures

    return desk_fixtures


def test_the_desk_answers_health_and_its_outbox_metrics(tmp_path: Path, desk_module: Any) -> None:
    desk = desk_module.start_desk(tmp_path / "desk")
    try:
        assert get(desk.url + "/health/live") == (200, b'{"live": true}')
        status, body = get(desk.url + "/health/ready")
        assert status == 200, body
        assert json.loads(body)["checks"] == {"leads_database": "ok", "tracker_database": "ok"}
        status, metrics = get(desk.url + "/metrics")
        assert status == 200 and b"# TYPE impplus_notifications gauge" in metrics
    finally:
        desk.stop()


def wait_for_status(url: str, status: int, deadline_seconds: float = 30) -> dict[str, Any]:
    """Polls ``url`` until it answers ``status`` (a server coming back takes a moment); its JSON body."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        answered, body = get(url)
        if answered == status or time.monotonic() > deadline:
            assert answered == status, body
            return dict(json.loads(body))
        time.sleep(0.2)


def stop_postgres(service: Service) -> None:
    """PostgreSQL's fast shutdown; its data directory stays, unlike Service.stop()."""
    service.process.send_signal(SIGINT)
    service.process.wait(timeout=30)


def restart_postgres(service: Service) -> None:
    """The same server again (same command, data and port), until it accepts connections."""
    with open(service.directory / "postgres.log", "ab") as log:
        service.process = subprocess.Popen(service.process.args, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True, **_run_as())
    deadline = time.monotonic() + 60
    while not postgres_answers(service.url):
        assert service.process.poll() is None and time.monotonic() < deadline, "PostgreSQL did not restart"
        time.sleep(0.1)


@pytest.fixture
def throwaway_postgres() -> Iterator[Service]:
    """A PostgreSQL of this test's own, that it may stop and start again (never the shared test one)."""
    service = start_postgres()
    try:
        yield service
    finally:
        service.stop()


def test_ready_turns_503_when_postgresql_stops_and_200_when_it_returns(
        tmp_path: Path, desk_module: Any, throwaway_postgres: Service) -> None:
    url = throwaway_postgres.url
    desk = desk_module.start_desk(tmp_path / "desk", LEADS_DB_URL=url, TRACKER_DB_URL=url)
    ready_url = desk.url + "/health/ready"
    try:
        assert wait_for_status(ready_url, 200)["checks"] == {"leads_database": "ok", "tracker_database": "ok"}
        stop_postgres(throwaway_postgres)
        body = wait_for_status(ready_url, 503)
        assert body == {"ready": False, "checks": {"leads_database": "failed: OperationalError",
                                                   "tracker_database": "failed: OperationalError"}}
        assert get(desk.url + "/health/live")[0] == 200  # alive all along: only not ready
        restart_postgres(throwaway_postgres)
        assert wait_for_status(ready_url, 200) == {"ready": True, "checks": {"leads_database": "ok",
                                                                             "tracker_database": "ok"}}
    finally:
        desk.stop()
