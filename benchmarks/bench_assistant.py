"""Performance benchmark: the whole assistant against plain Rasa on this machine (reports, asserts nothing).

Runs the seeded workload (benchmarks/workload.yml) over the REST channel against four configurations, one
after the other: the `rasa init` baseline, the assistant embedded (SQLite), and the scale-out profile
(PostgreSQL + Redis) with one and with two Rasa servers. Per configuration: latency percentiles and
throughput at each concurrency level, errors, time until the first answer, resident memory after the load;
plus training time from scratch. Writes reports/bench.json, reports/bench.md and reports/bench_latency.png.

With py-spy installed, it also records a flame graph of each chosen configuration's (first) Rasa server
during an extra, unmeasured level at FLAME_CONCURRENCY: reports/flame-<configuration>.svg.

    python benchmarks/bench_assistant.py [--skip-train] [--fresh] [--seconds 10] [--only embedded baseline]
        [--flame embedded baseline]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import deployments, flame  # noqa: E402
from benchmarks.baseline import BaselineProject  # noqa: E402
from benchmarks.bench_engine import run as engine_assessments_per_second  # noqa: E402
from benchmarks.bench_report import markdown, write_reports  # noqa: E402
from benchmarks.deployments import BASELINE, CONFIGURATIONS, Configuration  # noqa: E402
from benchmarks.load import TimedTurn, replay, run_level  # noqa: E402
from benchmarks.processes import CpuMeter, machine_ticks, resident_mb  # noqa: E402
from benchmarks.targets import evaluate  # noqa: E402
from benchmarks.training import train_assistant  # noqa: E402
from benchmarks.workload import Workload  # noqa: E402
from tests.servers import ROOT  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
ENGINE_ASSESSMENTS = 200_000  # per timed run of the engine; the best of ENGINE_RUNS counts
ENGINE_RUNS = 3
REPORTS_DIR = ROOT / "reports"
# The flame graph's load: a level the servers answer well below saturation.
FLAME_CONCURRENCY = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-train", action="store_true", help="don't time training this assistant")
    parser.add_argument("--fresh", action="store_true", help="rebuild and retrain the baseline project")
    parser.add_argument("--seconds", type=float, help="seconds per concurrency level (default: workload.yml)")
    parser.add_argument("--only", nargs="+", choices=[configuration.name for configuration in CONFIGURATIONS],
                        help="run only these configurations (the others are reported as skipped)")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR, help="folder for the reports")
    parser.add_argument("--flame", nargs="*", default=["embedded", "baseline"],
                        choices=[configuration.name for configuration in CONFIGURATIONS],
                        help="configurations whose Rasa server is profiled (flame-<name>.svg); none: --flame")
    return parser.parse_args()


def warmup_summary(turns: list[TimedTurn], slowest: int = 3) -> dict[str, object]:
    """The warm-up's turns, errors and slowest turns: the cold paths a first visitor waits for."""
    ranked = sorted(turns, key=lambda turn: turn.milliseconds, reverse=True)[:slowest]
    return {
        "turns": len(turns),
        "errors": sum(turn.problem not in ("", "empty") for turn in turns),
        "slowest": [{"ms": round(turn.milliseconds), "message": turn.message} for turn in ranked],
    }


def measure(configuration: Configuration, workload: Workload, seconds: float, run_id: str,
            progress: tqdm, flame_svg: Path | None = None) -> dict[str, object]:
    """Starts `configuration`, warms it up, runs every concurrency level, reads its memory, stops it."""
    workdir = BENCH_DIR / "runs" / configuration.name  # its logs stay here until the next run
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    plan = workload.plan
    load_average = os.getloadavg()[0]
    progress.set_description(f"{configuration.name}: starting")
    running = deployments.start(configuration, workdir, f"bench-{run_id}")
    try:
        progress.set_description(f"{configuration.name}: warm-up")
        warmup = replay(running.urls, workload.every_visit(), plan.warmup_concurrency, f"bench-{run_id}-w",
                        plan.turn_timeout_seconds)
        progress.update()
        levels = []
        for concurrency in plan.concurrency:
            progress.set_description(f"{configuration.name}: {concurrency} at once")
            with tqdm(desc="turns", unit="turn", leave=False, position=1) as turns, \
                    CpuMeter(running.pids()) as cpu:
                result = run_level(running.urls, workload, concurrency, seconds,
                                   f"bench-{run_id}-c{concurrency}", on_turn=turns.update)
            levels.append({**result.summary(), **cpu.summary(result.turns)})
            progress.update()
        memory = {role: [round(resident_mb(pid)) for pid in pids] for role, pids in running.pids().items()}
        if flame_svg is not None:
            progress.set_description(f"{configuration.name}: flame graph")
            flame.record(running.pids()["rasa"][0], seconds, flame_svg, lambda: run_level(
                running.urls, workload, FLAME_CONCURRENCY, seconds, f"bench-{run_id}-flame"))
    finally:
        running.stop()
    busiest = max(levels, key=lambda level: level["turns_per_second"])
    return {
        "label": configuration.label,
        "ready_seconds": round(running.ready_seconds, 1),
        "warmup": warmup_summary(warmup),
        "levels": levels,
        "saturated_turns_per_second": busiest["turns_per_second"],
        "saturated_at": busiest["concurrency"],
        "memory_mb": memory,
        "load_average_before": round(load_average, 2),
    }


def with_machine_busy(measure: Callable[[], float]) -> tuple[float, int]:
    """`measure()`'s result, and how busy the whole machine was (all cores, %) while it ran."""
    busy, total = machine_ticks()
    value = measure()
    now_busy, now_total = machine_ticks()
    return value, round(100 * (now_busy - busy) / max(now_total - total, 1))


def measure_engine() -> dict[str, float]:
    """The engine's assessments per second in this process (benchmarks/bench_engine.py), best of a few."""
    best, busy = with_machine_busy(
        lambda: max(engine_assessments_per_second(ENGINE_ASSESSMENTS) for _ in range(ENGINE_RUNS)))
    return {"assessments_per_second": round(best), "machine_busy_percent": busy}


def main() -> int:
    args = parse_args()
    workload = Workload.load()
    seconds = args.seconds or workload.plan.seconds_per_level
    chosen = [configuration for configuration in CONFIGURATIONS
              if not args.only or configuration.name in args.only]
    run_id = f"{os.getpid()}-{int(time.time())}"
    results: dict = {
        "run": {
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "rasa": version("rasa")},
            "plan": {**asdict(workload.plan), "seconds_per_level": seconds},
            "seed": workload.seed,
        },
        "training_seconds": {},
        "configurations": {},
    }
    steps = 3 + len(chosen) * (1 + len(workload.plan.concurrency))
    with tqdm(total=steps, unit="step", position=0) as progress:
        progress.set_description("training the assistant")
        if not args.skip_train:
            seconds, busy = with_machine_busy(lambda: train_assistant(BENCH_DIR / "train.log"))
            results["training_seconds"].update(assistant=round(seconds, 1),
                                               assistant_machine_busy_percent=busy)
        progress.update()
        progress.set_description("timing the engine")
        results["engine"] = measure_engine()
        progress.update()
        progress.set_description("preparing the baseline")
        if BASELINE in chosen:
            baseline = BaselineProject().prepare(fresh=args.fresh)
            results["training_seconds"].update(baseline=baseline["train_seconds"],
                                               baseline_cached=baseline["cached"])
        progress.update()
        for configuration in CONFIGURATIONS:
            reason = "not chosen (--only)" if configuration not in chosen else configuration.unavailable()
            if reason:
                results["configurations"][configuration.name] = {"label": configuration.label,
                                                                  "skipped": reason}
                progress.update((1 + len(workload.plan.concurrency)) if configuration in chosen else 0)
                continue
            profiled = configuration.name in args.flame
            flame_svg = args.out / f"flame-{configuration.name}.svg" if profiled else None
            results["configurations"][configuration.name] = measure(
                configuration, workload, seconds, run_id, progress, flame_svg
            )
    results["run"]["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    results["targets"] = evaluate(results)
    paths = write_reports(results, args.out)
    print(markdown(results))
    print("Written: " + ", ".join(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
                                  for path in paths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
