"""A PostgreSQL database of a test's own (created and dropped around it), for tests that cut connections
or compare tracker stores row by row."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.local_services import local_postgres_fixture  # noqa: F401 - fixture


@pytest.fixture
def database_url(local_postgres_url: str) -> Iterator[str]:
    """A database of this test's own, so what it does touches no other test."""
    name = f"store_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(local_postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(local_postgres_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
