"""Two Rasa servers and one action server in the scale-out profile, sharing the tests' PostgreSQL and Redis
(TEST_POSTGRES_URL / TEST_REDIS_URL, or throwaway servers: tests/local_services.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from project_settings import config_files, load_settings
from scripts.check_stores import lock_store_problem, tracker_store_problem
from tests.local_services import local_postgres_fixture, local_redis_fixture, scale_out_env  # noqa: F401
from tests.servers import Assistant

# The consultancy's hours for the cluster: one 30-minute slot a day at 00:00 UTC, bookable up to a day ahead,
# so exactly one slot is free at any moment (tests/scale/test_slot_race.py races two people for it).
ONE_SLOT_A_DAY = """\
time_zone: UTC
slot_minutes: 30
buffer_minutes: 0
min_notice_hours: 0
book_ahead_days: 1
slots_offered: 4
weekly_hours: {monday: ["00:00-00:30"], tuesday: ["00:00-00:30"], wednesday: ["00:00-00:30"],
  thursday: ["00:00-00:30"], friday: ["00:00-00:30"], saturday: ["00:00-00:30"], sunday: ["00:00-00:30"]}
closed_days: []
"""


@pytest.fixture(scope="session")
def cluster_leads_url(local_postgres_url: str) -> Iterator[str]:
    """The cluster's leads database: a PostgreSQL schema of its own, dropped afterwards."""
    schema = f"scale_leads_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(local_postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(local_postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory, local_postgres_url: str,
            local_redis_url: str, cluster_leads_url: str) -> Iterator[Assistant]:
    stores = scale_out_env()
    settings = load_settings(stores, config_files("scale-out"))
    problems = [tracker_store_problem(settings.tracker_db_url), lock_store_problem(settings)]
    assert not any(problems), f"the scale-out profile needs PostgreSQL and Redis: {problems}"
    workdir = tmp_path_factory.mktemp("cluster")
    availability = workdir / "availability.yaml"
    availability.write_text(ONE_SLOT_A_DAY, encoding="utf-8")
    running = Assistant(workdir=workdir, profile="scale-out", replicas=2,
                        env={**stores, "LEADS_DB_URL": cluster_leads_url,
                             "AVAILABILITY_FILE": str(availability)}).start()
    yield running
    running.stop()


class TrackerEvents:
    """Reads the shared PostgreSQL tracker store as Rasa wrote it; forgets the tests' conversations."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        self.senders: set[str] = set()

    def new_sender(self, label: str) -> str:
        sender = f"scale-{label}-{uuid.uuid4().hex[:10]}"
        self.senders.add(sender)
        return sender

    def events(self, sender: str) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
            )
            return [json.loads(row.data) for row in rows]

    def user_texts(self, sender: str) -> list[str]:
        return [event["text"] for event in self.events(sender) if event["event"] == "user"]

    def forget(self) -> None:
        with self.engine.begin() as connection:
            for sender in self.senders:
                connection.execute(
                    sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender}
                )
        self.engine.dispose()


@pytest.fixture(scope="session")
def tracker(cluster: Assistant) -> Iterator[TrackerEvents]:
    events = TrackerEvents(cluster.env_value("TRACKER_DB_URL"))
    yield events
    events.forget()
