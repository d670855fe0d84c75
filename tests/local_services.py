"""The PostgreSQL and Redis the tests use, in one place: TEST_POSTGRES_URL and TEST_REDIS_URL (this
machine's servers by default); when one does not answer, a throwaway real server is started for the
session instead (launch/local_services.py) and removed at its end, so `make test` needs no set-up.
Test modules import the fixtures `local_postgres_url` / `local_redis_url` (as `local_postgres_fixture` /
`local_redis_fixture`); other code calls the functions.
"""

from __future__ import annotations

import os
from functools import cache

import pytest

from launch.local_services import LocalServices, environment, postgres_answers, redis_answers

DEFAULT_POSTGRES_URL = "postgresql://127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

_throwaway = LocalServices()
_CLEANUP_REGISTERED = pytest.StashKey[bool]()


@cache
def postgres_url() -> str:
    """TEST_POSTGRES_URL if it answers, else the URL of a throwaway PostgreSQL started now."""
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    return url if postgres_answers(url) else _throwaway.postgres()


@cache
def redis_url() -> str:
    """TEST_REDIS_URL if it answers, else the URL of a throwaway Redis started now."""
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL
    return url if redis_answers(url) else _throwaway.redis()


def scale_out_env() -> dict[str, str]:
    """Settings pointing the scale-out profile's servers (tracker store, lock store) at the tests' ones."""
    return environment(postgres_url(), redis_url())


def stop_throwaway_servers() -> None:
    """Stops the throwaway servers started by this session, if any (also run at exit)."""
    _throwaway.stop()
    postgres_url.cache_clear()
    redis_url.cache_clear()


def _stop_with_session(config: pytest.Config) -> None:
    """Throwaway servers go once the whole session is over (after every fixture's teardown), once."""
    if not config.stash.get(_CLEANUP_REGISTERED, False):
        config.stash[_CLEANUP_REGISTERED] = True
        config.add_cleanup(stop_throwaway_servers)


@pytest.fixture(scope="session", name="local_postgres_url")
def local_postgres_fixture(request: pytest.FixtureRequest) -> str:
    """postgres_url() for a test session; a throwaway server it started is removed when the session ends."""
    _stop_with_session(request.config)
    return postgres_url()


@pytest.fixture(scope="session", name="local_redis_url")
def local_redis_fixture(request: pytest.FixtureRequest) -> str:
    """redis_url() for a test session; a throwaway server it started is removed when the session ends."""
    _stop_with_session(request.config)
    return redis_url()
