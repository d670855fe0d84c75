"""The benchmark's traffic, read from workload.yml: which visits each virtual user makes, and the load plan.

Kept apart from the load generator so that the benchmark and the Locust file send exactly the same messages.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

WORKLOAD_FILE = Path(__file__).resolve().with_name("workload.yml")
# Where the traffic goes: Rasa's REST channel (POST {"sender": …, "message": …}; the replies as a JSON list).
REST_PATH = "/webhooks/rest/webhook"


@dataclass(frozen=True)
class Visit:
    """One person's visit: the messages they type, in order, as one new conversation (one sender)."""

    kind: str
    name: str
    language: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class LoadPlan:
    """How hard and how long the benchmark pushes: the concurrency levels and the time spent on each."""

    concurrency: tuple[int, ...]
    seconds_per_level: float
    warmup_concurrency: int
    turn_timeout_seconds: float


@dataclass(frozen=True)
class Workload:
    """The seeded traffic mix: FAQ visits and whole conversations, in English and French."""

    seed: int
    plan: LoadPlan
    visit_weights: dict[str, float]
    faq: dict[str, tuple[str, ...]]
    faq_questions_per_visit: tuple[int, int]
    think_seconds: tuple[float, float]
    conversations: tuple[Visit, ...]

    @classmethod
    def load(cls, path: Path = WORKLOAD_FILE) -> Workload:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        per_visit, think = data["faq_questions_per_visit"], data["think_seconds"]
        return cls(
            seed=int(data["seed"]),
            plan=LoadPlan(
                concurrency=tuple(int(level) for level in data["load"]["concurrency"]),
                seconds_per_level=float(data["load"]["seconds_per_level"]),
                warmup_concurrency=int(data["load"]["warmup_concurrency"]),
                turn_timeout_seconds=float(data["load"]["turn_timeout_seconds"]),
            ),
            visit_weights={kind: float(weight) for kind, weight in data["visits"].items()},
            faq={language: tuple(questions) for language, questions in data["faq"].items()},
            faq_questions_per_visit=(int(per_visit["min"]), int(per_visit["max"])),
            think_seconds=(float(think["min"]), float(think["max"])),
            conversations=tuple(
                Visit("conversation", item["id"], item["language"], tuple(item["messages"]))
                for item in data["conversations"]
            ),
        )

    def random_visit(self, rng: random.Random) -> Visit:
        """One visit drawn with the workload's weights (the Locust file's users, which have no number)."""
        kinds = list(self.visit_weights)
        kind = rng.choices(kinds, weights=[self.visit_weights[name] for name in kinds])[0]
        if kind == "conversation":
            return rng.choice(self.conversations)
        language = rng.choice(sorted(self.faq))
        count = rng.randint(*self.faq_questions_per_visit)
        return Visit("faq", f"faq-{language}", language, tuple(rng.sample(self.faq[language], count)))

    def visits(self, user: int) -> Iterator[Visit]:
        """Virtual user `user`'s endless visits: the same sequence on every run and every level."""
        rng = random.Random(f"{self.seed}/{user}")
        while True:
            yield self.random_visit(rng)

    def every_visit(self) -> list[Visit]:
        """Every FAQ question (a visit each) and every conversation, once: a warm-up that wakes every path."""
        faq_visits = [Visit("faq", f"faq-{language}", language, (question,))
                      for language, questions in self.faq.items() for question in questions]
        return faq_visits + list(self.conversations)
