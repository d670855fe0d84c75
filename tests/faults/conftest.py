"""The fault tests' assistant: servers of their own, since the tests kill and restart them."""

from __future__ import annotations

import pytest

from tests.servers import Assistant
from tests.session_servers import SessionServers


@pytest.fixture(scope="session")
def assistant(fault_servers: SessionServers) -> Assistant:
    return fault_servers.assistant
