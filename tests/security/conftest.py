"""The session's security test servers (see shared_servers.py)."""

from __future__ import annotations

import pytest

from tests.security.shared_servers import SecurityServers, shared_servers
from tests.session_servers import SessionServers


@pytest.fixture(scope="session")
def servers(request: pytest.FixtureRequest, e2e_servers: SessionServers) -> SecurityServers:
    return shared_servers(request.config)
