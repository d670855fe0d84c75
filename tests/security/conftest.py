"""The session's security test servers (see shared_servers.py)."""

from __future__ import annotations

import pytest

from tests.security.shared_servers import SecurityServers, shared_servers


@pytest.fixture(scope="session")
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SecurityServers:
    return shared_servers(request.config, tmp_path_factory)
