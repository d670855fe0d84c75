"""The session's shared servers (tests/session_servers.py): launched as soon as collection shows a test
needs them, so they boot while earlier tests run; the fixtures below wait for them."""

from __future__ import annotations

import pytest

from tests.session_servers import LAUNCHES, SessionServers, launch, running


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Launches (without waiting) the servers some collected test needs, anywhere in its fixture closure."""
    needed = {name for item in items for name in getattr(item, "fixturenames", ()) if name in LAUNCHES}
    for name in sorted(needed):
        launch(config, name)
    # The tests that need none of them go first (in their order), so the servers boot meanwhile.
    items.sort(key=lambda item: bool(needed.intersection(getattr(item, "fixturenames", ()))))


@pytest.fixture(scope="session")
def e2e_servers(request: pytest.FixtureRequest) -> SessionServers:
    return running(request.config, "e2e_servers")


@pytest.fixture(scope="session")
def fault_servers(request: pytest.FixtureRequest) -> SessionServers:
    return running(request.config, "fault_servers")


@pytest.fixture(scope="session")
def restart_servers(request: pytest.FixtureRequest) -> SessionServers:
    return running(request.config, "restart_servers")
