"""The benchmark's reports: the raw results as JSON, a Markdown summary with the targets, a latency plot.

Everything is rendered from the one results dict, so the three always agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

from benchmarks.load import PERCENTILES  # noqa: E402
from benchmarks.targets import ASSISTANT_CONFIGURATIONS, WHOLE_RUN  # noqa: E402

JSON_NAME, MARKDOWN_NAME, PLOT_NAME = "bench.json", "bench.md", "bench_latency.png"
VERDICT_MARKS = {True: "✅ met", False: "❌ missed", None: "not measured"}


def measured(results: dict) -> dict[str, dict]:
    """The configurations that ran (those skipped have no levels)."""
    return {name: numbers for name, numbers in results["configurations"].items() if "levels" in numbers}


def number(value: object, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def levels_table(results: dict) -> list[str]:
    header = ["configuration", "conversations at once", "turns", "turns/s",
              *[f"p{percent} ms" for percent in PERCENTILES], "errors", "empty replies",
              "Rasa CPU ms/turn", "Rasa CPU % of a core", "action server CPU ms/turn", "machine busy %"]
    rows = [
        [numbers["label"], str(level["concurrency"]), str(level["turns"]),
         number(level["turns_per_second"], 1),
         *[number(level[f"p{percent}_ms"]) for percent in PERCENTILES],
         str(level["errors"]), str(level["empty_replies"]),
         number(level.get("rasa_cpu_ms_per_turn"), 1), number(level.get("rasa_cpu_percent")),
         number(level.get("action_server_cpu_ms_per_turn"), 1), number(level.get("machine_busy_percent"))]
        for numbers in measured(results).values() for level in numbers["levels"]
    ]
    return table(header, rows)


def configurations_table(results: dict) -> list[str]:
    header = ["configuration", "ready (s)", "saturated turns/s", "Rasa server RSS (MB)",
              "action server RSS (MB)", "training from scratch (s)", "load avg before"]
    training = results["training_seconds"]
    rows = []
    for name, numbers in results["configurations"].items():
        if "skipped" in numbers:
            rows.append([numbers["label"], f"skipped: {numbers['skipped']}", *["—"] * (len(header) - 2)])
            continue
        memory = numbers["memory_mb"]
        rows.append([
            numbers["label"], number(numbers["ready_seconds"], 1),
            f"{number(numbers['saturated_turns_per_second'], 1)} (at {numbers['saturated_at']})",
            " + ".join(number(value) for value in memory["rasa"]),
            " + ".join(number(value) for value in memory.get("action_server", [])) or "—",
            number(training.get("baseline" if name == "baseline" else "assistant"), 0),
            number(numbers["load_average_before"], 2),
        ])
    return table(header, rows)


def verdict_cell(verdict: dict | None) -> str:
    """"0.47 ✅ met (busy 58 %)": the value, the verdict and how busy the machine was meanwhile."""
    if verdict is None:
        return "n/a"
    if verdict["value"] is None:
        return VERDICT_MARKS[None]
    busy = verdict.get("busy_percent")
    return (f"{number(verdict['value'], 2)} {VERDICT_MARKS[verdict['met']]}"
            + ("" if busy is None else f" (busy {number(busy)} %)"))


def targets_table(results: dict) -> list[str]:
    names = [*ASSISTANT_CONFIGURATIONS, WHOLE_RUN]
    labels = [results["configurations"][name]["label"] for name in ASSISTANT_CONFIGURATIONS] + ["whole run"]
    rows = [[target["target"], *[verdict_cell(target["results"].get(name)) for name in names]]
            for target in results["targets"]]
    return table(["target", *labels], rows)


def cold_paths(results: dict) -> list[str]:
    """The slowest turns of each warm-up: what the first visitor after a start waits for."""
    rows = [[numbers["label"], str(numbers["warmup"]["turns"]), str(numbers["warmup"]["errors"]),
             "; ".join(f"{turn['ms']:,} ms “{turn['message']}”" for turn in numbers["warmup"]["slowest"])]
            for numbers in measured(results).values()]
    return table(["configuration", "turns", "errors", "slowest turns"], rows)


def markdown(results: dict) -> str:
    run, plan = results["run"], results["run"]["plan"]
    lines = [
        "# Performance benchmark",
        "",
        f"{run['finished']} on {run['machine']['cpus']} CPUs, Rasa {run['machine']['rasa']}, "
        f"Python {run['machine']['python']}. Closed loop over the REST channel (no think time): each virtual "
        f"user runs conversations back to back; {plan['seconds_per_level']:g} s per level, after a warm-up "
        f"that plays every visit once. Workload: benchmarks/workload.yml (seed {run['seed']}).",
        "",
        "## Latency and throughput per level",
        "",
        *levels_table(results),
        "",
        "CPU: user + system time of the servers (and their child processes) during the level; Rasa's sums "
        "its servers (100 % = one core). Machine busy: all cores, whatever used them (the load generator, "
        "PostgreSQL, Redis, other people's work).",
        "",
        "## Per configuration",
        "",
        *configurations_table(results),
        "",
        "Saturated turns/s: the highest over the levels. Memory: VmRSS after the load, one number per "
        "server. "
        "Training: `rasa train --force` for the assistant, `rasa init --no-prompt` for the baseline"
        + (" (cached from an earlier run)." if results["training_seconds"].get("baseline_cached") else "."),
        "",
        "## Cold paths",
        "",
        "The warm-up plays every visit once before the levels (not counted in them); its slowest turns show "
        "work done on first use rather than at start-up.",
        "",
        *cold_paths(results),
        "",
        "## Targets",
        "",
        "Ratios compare with plain Rasa measured in the same run; CPU per turn and throughput are read at "
        "each configuration's saturated level. Busy: the whole machine (all cores) while the number was "
        "measured (for a ratio, the busier of the two levels). "
        f"Engine: {number(results.get('engine', {}).get('assessments_per_second'))} assessments/s.",
        "",
        *targets_table(results),
        "",
    ]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    """p95 (solid) and p50 (dashed) latency, and throughput, against concurrency, one colour per config."""
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(13, 5.5))
    configuration_keys = []
    for index, numbers in enumerate(measured(results).values()):
        colour = f"C{index}"
        levels = numbers["levels"]
        concurrency = [level["concurrency"] for level in levels]
        latency.plot(concurrency, [level["p95_ms"] for level in levels], "-o", color=colour)
        latency.plot(concurrency, [level["p50_ms"] for level in levels], "--o", color=colour, alpha=0.6,
                     markersize=4)
        throughput.plot(concurrency, [level["turns_per_second"] for level in levels], "-o", color=colour)
        configuration_keys.append(Line2D([], [], color=colour, marker="o", label=numbers["label"]))
    ticks = results["run"]["plan"]["concurrency"]
    for axes in (latency, throughput):
        axes.set_xscale("log")
        axes.set_xticks(ticks)
        axes.set_xticklabels([str(tick) for tick in ticks])
        axes.minorticks_off()
        axes.set_xlabel("conversations at once (closed loop, no think time)")
        axes.grid(True, alpha=0.3)
    latency.set_yscale("log")
    latency.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    latency.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    latency.set_ylabel("latency per turn (ms, log scale)")
    latency.set_title("Latency per turn")
    latency.legend(handles=[Line2D([], [], color="grey", label="p95"),
                            Line2D([], [], color="grey", linestyle="--", label="p50")], loc="upper left")
    throughput.set_ylabel("turns per second")
    throughput.set_ylim(bottom=0)
    throughput.set_title("Throughput")
    figure.legend(handles=configuration_keys, loc="lower center", ncol=len(configuration_keys), frameon=False)
    machine = results["run"]["machine"]
    figure.suptitle(f"IMP+ assistant vs plain Rasa: {machine['cpus']} CPUs, Rasa {machine['rasa']}, "
                    f"{results['run']['finished']}")
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_reports(results: dict, folder: Path) -> list[Path]:
    """Writes bench.json, bench.md and bench_latency.png into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / JSON_NAME, folder / MARKDOWN_NAME, folder / PLOT_NAME]
    paths[0].write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(results), encoding="utf-8")
    plot(results, paths[2])
    return paths
