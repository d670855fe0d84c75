"""The performance targets the assistant is held to, and how each is read off the benchmark's results.

Every threshold is written here once; the reports word the targets from these values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.deployments import BASELINE, CONFIGURATIONS, SCALE_OUT_ONE, SCALE_OUT_TWO

Results = dict[str, dict]  # configuration name -> its measured numbers (see bench_assistant.measure)
ASSISTANT_CONFIGURATIONS = tuple(configuration.name for configuration in CONFIGURATIONS
                                 if not configuration.is_baseline)
MB_PER_GB = 1024


@dataclass(frozen=True)
class Target:
    """One target: a value measured per configuration, and the limit it must stay at or under (or over)."""

    key: str
    wording: str
    limit: float
    unit: str
    at_most: bool
    value: Callable[[Results, str], float | None]
    applies_to: tuple[str, ...] = ASSISTANT_CONFIGURATIONS

    def describe(self) -> str:
        return f"{self.wording} {'≤' if self.at_most else '≥'} {self.limit:g}{self.unit}"

    def evaluate(self, results: Results) -> dict[str, dict[str, object]]:
        """{configuration: {"value": …, "met": True/False/None}}; None when a number is missing."""
        verdicts: dict[str, dict[str, object]] = {}
        for name in self.applies_to:
            try:
                value = self.value(results, name)
            except (KeyError, ZeroDivisionError, TypeError):
                value = None
            met = None if value is None else (value <= self.limit if self.at_most else value >= self.limit)
            verdicts[name] = {"value": None if value is None else round(value, 2), "met": met}
        return verdicts


def lowest_level_p95(results: Results, name: str) -> float:
    return results[name]["levels"][0]["p95_ms"]


def saturated(results: Results, name: str) -> float:
    return results[name]["saturated_turns_per_second"]


TARGETS = (
    Target("latency_vs_baseline", "p95 at the lowest concurrency ÷ baseline's", 1.3, "×", True,
           lambda results, name: lowest_level_p95(results, name) / lowest_level_p95(results, BASELINE.name)),
    Target("throughput_vs_baseline", "saturated turns/s ÷ baseline's", 0.8, "×", False,
           lambda results, name: saturated(results, name) / saturated(results, BASELINE.name)),
    Target("scale_out_gain", "2 servers' saturated turns/s ÷ 1 server's", 1.5, "×", False,
           lambda results, name: saturated(results, name) / saturated(results, SCALE_OUT_ONE.name),
           applies_to=(SCALE_OUT_TWO.name,)),
    Target("memory", "resident memory of each Rasa server", 1.3, " GB", True,
           lambda results, name: max(results[name]["memory_mb"]["rasa"]) / MB_PER_GB),
    Target("ready", "start until the first answer", 45, " s", True,
           lambda results, name: results[name]["ready_seconds"]),
)


def evaluate(results: Results) -> list[dict[str, object]]:
    """Every target with its verdict per configuration, for the JSON and Markdown reports."""
    return [
        {"key": target.key, "target": target.describe(), "limit": target.limit, "at_most": target.at_most,
         "results": target.evaluate(results)}
        for target in TARGETS
    ]
