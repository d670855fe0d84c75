"""Checks, before the servers start, that the tracker store and lock store named by the settings answer.

Rasa itself would retry a missing PostgreSQL every 5 s forever and fail on Redis with a long traceback;
this says in one line which one is missing and how to point at another. Exit status 1 when one is missing.
"""

from __future__ import annotations

import sys

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from project_settings import ProjectSettings, SettingsError, get_settings


def tracker_store_problem(url: str | None) -> str | None:
    """Why the SQL tracker store at `url` cannot be used, or None when it answers (or there is none)."""
    if url is None:
        return None
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return None
    engine = sa.create_engine(parsed, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        return f"PostgreSQL tracker store not reachable at {parsed.render_as_string()}: {reason}"
    finally:
        engine.dispose()
    return None


def lock_store_problem(settings: ProjectSettings) -> str | None:
    """Why the Redis lock store cannot be used, or None when it answers (or the lock store is in memory)."""
    if settings.lock_store_type == "in_memory":
        return None
    host, port = settings.lock_store_host, settings.lock_store_port
    client = redis.Redis(host=host, port=port, password=settings.lock_store_password,
                         socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis lock store not reachable at {host}:{port}: {error}"
    finally:
        client.close()
    return None


def main() -> int:
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"{exc}.", file=sys.stderr)
        return 1
    problems = [
        problem
        for problem in (tracker_store_problem(settings.tracker_db_url), lock_store_problem(settings))
        if problem
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Start it, or point TRACKER_DB_URL / LOCK_STORE_HOST at one that runs (see config/).",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
