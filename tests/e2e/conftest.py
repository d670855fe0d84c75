"""The real assistant (action server + Rasa server) of the end-to-end tests: the session's shared one."""

from __future__ import annotations

import pytest

from tests.servers import Assistant
from tests.session_servers import SessionServers


@pytest.fixture(scope="session")
def assistant(e2e_servers: SessionServers) -> Assistant:
    return e2e_servers.assistant
