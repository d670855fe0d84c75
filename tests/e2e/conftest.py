"""One real assistant (action server + Rasa server) shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import Assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    running = Assistant(workdir=tmp_path_factory.mktemp("assistant")).start()
    yield running
    running.stop()
