"""The servers of tests/security, shared: started once per session (tests/security/shared_servers.py); the
databases, Rasa tracker stores and webhook receiver of tests/leads for the privacy package's own tests."""

from __future__ import annotations

import pytest

from tests.leads.conftest import (  # noqa: F401 - fixtures, used by name
    db_url,
    local_postgres_fixture,
    pg_base_url,
    pg_url,
    receiver,
    sqlite_url,
    tracker,
    tracker_url,
)
from tests.security.shared_servers import SecurityServers, shared_servers


@pytest.fixture(scope="session")
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SecurityServers:
    return shared_servers(request.config, tmp_path_factory)
