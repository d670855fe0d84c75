"""The performance targets the assistant is held to, and how each is read off one benchmark run's results.

Every threshold is written here once; the reports word the targets from these values. A target compares a
configuration with plain Rasa measured in the same run (a ratio), or holds it to an absolute limit; two
(training, the engine) are one number for the whole run. Each verdict carries how busy the machine was
while the number was measured, so a figure read off a loaded machine says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.deployments import BASELINE, CONFIGURATIONS, EMBEDDED, SCALE_OUT_ONE, SCALE_OUT_TWO

Results = dict  # one run's results (see bench_assistant.main): "configurations", "training_seconds", …
ASSISTANT_CONFIGURATIONS = tuple(configuration.name for configuration in CONFIGURATIONS
                                 if not configuration.is_baseline)
ONE_SERVER = (EMBEDDED.name, SCALE_OUT_ONE.name)
WHOLE_RUN = "run"  # a target measured once per run, not per configuration


@dataclass(frozen=True)
class Reading:
    """A measured value and how busy the machine was meanwhile (None where no level was measured)."""

    value: float
    busy_percent: float | None = None


@dataclass(frozen=True)
class Target:
    """One target: a value measured per configuration (or per run), and the limit it must meet."""

    key: str
    wording: str
    limit: float
    unit: str
    at_most: bool
    read: Callable[[Results, str], Reading]
    applies_to: tuple[str, ...] = ASSISTANT_CONFIGURATIONS

    def describe(self) -> str:
        return f"{self.wording} {'≤' if self.at_most else '≥'} {self.limit:g}{self.unit}"

    def evaluate(self, results: Results) -> dict[str, dict[str, object]]:
        """{configuration: {"value", "met", "busy_percent"}}; value and met None when a number is missing."""
        verdicts: dict[str, dict[str, object]] = {}
        for name in self.applies_to:
            try:
                reading = self.read(results, name)
            except (KeyError, ZeroDivisionError, TypeError, StopIteration):
                verdicts[name] = {"value": None, "met": None, "busy_percent": None}
                continue
            met = reading.value <= self.limit if self.at_most else reading.value >= self.limit
            verdicts[name] = {"value": round(reading.value, 2), "met": met,
                              "busy_percent": reading.busy_percent}
        return verdicts


def configuration(results: Results, name: str) -> dict:
    return results["configurations"][name]


def saturated_level(results: Results, name: str) -> dict:
    """The level with the highest throughput: where CPU per turn and throughput are both read."""
    return max(configuration(results, name)["levels"], key=lambda level: level["turns_per_second"])


def level_at(results: Results, name: str, concurrency: int) -> dict:
    levels = configuration(results, name)["levels"]
    return next(level for level in levels if level["concurrency"] == concurrency)


def busiest(*levels: dict) -> float:
    return max(level["machine_busy_percent"] for level in levels)


def ratio_to_baseline(pick: Callable[[Results, str], dict], field: str) -> Callable[[Results, str], Reading]:
    """`field` of the level `pick` chooses, this configuration's over the baseline's."""

    def read(results: Results, name: str) -> Reading:
        ours, theirs = pick(results, name), pick(results, BASELINE.name)
        return Reading(ours[field] / theirs[field], busiest(ours, theirs))

    return read


def p95_at(concurrency: int) -> Callable[[Results, str], dict]:
    return lambda results, name: level_at(results, name, concurrency)


def scale_out_gain(results: Results, name: str) -> Reading:
    two, one = saturated_level(results, name), saturated_level(results, SCALE_OUT_ONE.name)
    return Reading(two["turns_per_second"] / one["turns_per_second"], busiest(two, one))


def largest_rss_mb(role: str) -> Callable[[Results, str], Reading]:
    return lambda results, name: Reading(max(configuration(results, name)["memory_mb"][role]))


TARGETS = (
    Target("cpu_per_turn", "Rasa server CPU per turn ÷ plain Rasa's (saturated)", 0.5, "×", True,
           ratio_to_baseline(saturated_level, "rasa_cpu_ms_per_turn")),
    Target("throughput", "saturated turns/s of one server ÷ plain Rasa's", 1.8, "×", False,
           ratio_to_baseline(saturated_level, "turns_per_second"), applies_to=ONE_SERVER),
    Target("p95_at_1", "p95 at 1 conversation ÷ plain Rasa's", 0.7, "×", True,
           ratio_to_baseline(p95_at(1), "p95_ms")),
    Target("p95_at_10", "p95 at 10 conversations ÷ plain Rasa's", 0.7, "×", True,
           ratio_to_baseline(p95_at(10), "p95_ms")),
    Target("scale_out_gain", "2 servers' saturated turns/s ÷ 1 server's", 1.8, "×", False, scale_out_gain,
           applies_to=(SCALE_OUT_TWO.name,)),
    Target("ready", "start until the first answer", 8, " s", True,
           lambda results, name: Reading(configuration(results, name)["ready_seconds"])),
    Target("rasa_memory", "resident memory of each Rasa server", 650, " MB", True, largest_rss_mb("rasa")),
    Target("action_memory", "resident memory of the action server", 100, " MB", True,
           largest_rss_mb("action_server")),
    Target("training", "training from scratch (`rasa train --force`)", 90, " s", True,
           lambda results, _: Reading(results["training_seconds"]["assistant"],
                                      results["training_seconds"]["assistant_machine_busy_percent"]),
           applies_to=(WHOLE_RUN,)),
    Target("engine", "engine assessments per second (one process)", 50_000, "", False,
           lambda results, _: Reading(results["engine"]["assessments_per_second"],
                                      results["engine"]["machine_busy_percent"]),
           applies_to=(WHOLE_RUN,)),
)


def evaluate(results: Results) -> list[dict[str, object]]:
    """Every target with its verdict per configuration, for the JSON and Markdown reports."""
    return [
        {"key": target.key, "target": target.describe(), "limit": target.limit, "at_most": target.at_most,
         "results": target.evaluate(results)}
        for target in TARGETS
    ]
