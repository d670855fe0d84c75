"""Load-test your own deployment of the assistant with Locust, over the REST channel, with the benchmark's
workload (benchmarks/workload.yml): FAQ visits and whole eligibility conversations in English and French.

Locust is not one of the project's dependencies (its pins conflict with Rasa's): give it a venv of its own.

    python3 -m venv /tmp/locust && /tmp/locust/bin/pip install locust pyyaml
    /tmp/locust/bin/locust -f benchmarks/locustfile.py --host http://localhost:5005 \\
        --headless --users 20 --spawn-rate 5 --run-time 2m --csv reports/locust

Each Locust user is one person after another: a visit is a new conversation (sender), its messages sent in
order with a pause (`think_seconds`) between them and between visits; Locust's statistics group the requests
by visit kind.
"""

from __future__ import annotations

import itertools
import random
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.workload import REST_PATH, Workload  # noqa: E402

WORKLOAD = Workload.load()
USER_NUMBERS = itertools.count()


class Visitor(HttpUser):
    """One person at a time talking to the assistant through the REST channel."""

    wait_time = between(*WORKLOAD.think_seconds)

    def on_start(self) -> None:
        self.rng = random.Random(f"{WORKLOAD.seed}/locust/{next(USER_NUMBERS)}")

    @task
    def visit(self) -> None:
        visit = WORKLOAD.random_visit(self.rng)
        sender = f"locust-{uuid.uuid4().hex[:12]}"
        for index, message in enumerate(visit.messages):
            if index:
                self.wait()
            with self.client.post(REST_PATH, json={"sender": sender, "message": message},
                                  name=f"{REST_PATH} ({visit.kind})", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                try:
                    replies = response.json()
                except ValueError:
                    replies = None
                if not isinstance(replies, list):
                    response.failure("the reply is not a JSON list")
                    return
