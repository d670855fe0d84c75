"""The soak test's reports: the raw results as JSON, a Markdown summary with the targets, and a plot of
latency and memory over time with the faults marked. Everything is read off the one results dict that
benchmarks/soak.py returns, so the three always agree.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.bench_report import number, table  # noqa: E402

JSON_NAME, MARKDOWN_NAME, PLOT_NAME = "soak.json", "soak.md", "soak.png"
WINDOW_SECONDS = 30.0
VERDICT_MARKS = {True: "✅ met", False: "❌ missed", None: "not measured"}
FAULT_COLOURS = {"kill rasa": "tab:red", "kill action server": "tab:purple", "cut postgres": "tab:brown"}


def windows(turns: list[dict]) -> list[dict[str, float]]:
    """Per WINDOW_SECONDS of sending: turns sent, p50 and p95 of the answered ones, and the unanswered."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for turn in turns:
        grouped[int(turn["sent_at"] // WINDOW_SECONDS)].append(turn)
    rows = []
    for index in sorted(grouped):
        latencies = [turn["latency_ms"] for turn in grouped[index] if turn["status"] == 200]
        rows.append({
            "start": index * WINDOW_SECONDS, "turns": len(grouped[index]),
            "p50_ms": float(np.percentile(latencies, 50)) if latencies else None,
            "p95_ms": float(np.percentile(latencies, 95)) if latencies else None,
            "unanswered": sum(turn["problem"] != "" for turn in grouped[index]),
        })
    return rows


def incarnations(results: dict) -> list[dict[str, object]]:
    """Each process's life (a name and a pid): its memory at its first reading, after its warm-up, and at
    its last reading, and the growth from warm-up to the end (None when it lived less than its warm-up).

    The warm-up counts from when the process answered: a restarted server's loading is not growth.
    """
    warmup = results["run"]["warmup_seconds"]
    answering_since = {fault["new_pid"]: fault["back_at"] for fault in results["faults"] if fault["new_pid"]}
    lives: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for sample in results["memory"]:
        lives[(sample["process"], sample["pid"])].append(sample)
    rows = []
    for (name, pid), samples in sorted(lives.items(), key=lambda item: item[1][0]["at"]):
        first, last = samples[0], samples[-1]
        warm_from = answering_since.get(pid, first["at"]) + warmup
        warm = next((sample for sample in samples if sample["at"] >= warm_from), None)
        growth = (last["mb"] - warm["mb"]) / warm["mb"] if warm and warm is not last else None
        rows.append({"process": name, "pid": pid, "from": first["at"], "to": last["at"],
                     "start_mb": first["mb"], "warm_mb": warm and warm["mb"], "end_mb": last["mb"],
                     "growth": growth})
    return rows


def counts(turns: list[dict]) -> dict[str, int]:
    problems = Counter(turn["problem"] for turn in turns)
    return {
        "sent": len(turns),
        "answered": sum(200 <= turn["status"] < 300 for turn in turns),
        "http_5xx": sum(turn["status"] >= 500 for turn in turns),
        "http_other": sum(0 < turn["status"] < 200 or 300 <= turn["status"] < 500 for turn in turns),
        "cut": problems["cut"],
        "timeout": problems["timeout"],
        "refused": problems["refused"],
        "rerouted": sum(turn["rerouted"] > 0 for turn in turns),
        "apologies": sum(turn["apology"] for turn in turns),
        "silent": sum(turn["silent"] for turn in turns),
        "flood_refused": sum(turn["flood_refused"] for turn in turns),
    }


def targets(results: dict) -> list[dict[str, object]]:
    """The issue's targets with their measured values and verdicts."""
    check, tally = results["check"], counts(results["turns"])
    growths = [life["growth"] for life in incarnations(results)
               if life["growth"] is not None]
    worst = max(growths) if growths else None
    limit = results["run"]["max_rss_growth"]
    return [
        {"target": "turns answered but missing from the stored trackers = 0", "value": check["lost"],
         "met": check["lost"] == 0},
        {"target": "turns stored twice = 0", "value": check["duplicated"], "met": check["duplicated"] == 0},
        {"target": "HTTP 5xx = 0", "value": tally["http_5xx"], "met": tally["http_5xx"] == 0},
        {"target": f"largest memory growth of a process after its warm-up < {limit:.0%}",
         "value": None if worst is None else f"{worst:+.1%}",
         "met": None if worst is None else worst < limit},
    ]


def markdown(results: dict) -> str:
    run, check, tally = results["run"], results["check"], counts(results["turns"])
    answered = [turn["latency_ms"] for turn in results["turns"] if turn["status"] == 200]
    calibration = (f"half of the {run['saturation']:g} turns/s that {run['calibration_users']} users with no "
                   f"pause got from the two servers" if run["saturation"] else "given with --rate")
    lines = [
        "# Soak test",
        "",
        f"{run['finished']}, {run['cpus']} CPUs (load average {run['load_average_before']} before). Two Rasa "
        f"servers on PostgreSQL and Redis and one action server, for {run['minutes']:g} min at "
        f"{run['rate']:g} turns/s ({calibration}) from {run['people']} people running the benchmark's "
        f"conversations in English and French (benchmarks/workload.yml, seed {run['seed']}). A Rasa server "
        f"is killed with SIGKILL every {run['kill_every_minutes']:g} min and started again; the action "
        "server once; every PostgreSQL connection to the tracker database is cut once. A server that refuses "
        "the connection hands the turn to the other, as a load balancer would. Servers' logs: "
        f"{run['logs']}/.",
        "",
        "## Targets",
        "",
        *table(["target", "measured", "verdict"],
               [[target["target"], str(target["value"]), VERDICT_MARKS[target["met"]]]
                for target in targets(results)]),
        "",
        "## Turns",
        "",
        *table(["sent", "answered (2xx)", "HTTP 5xx", "other HTTP errors", "cut in flight", "timed out",
                "no server took it", "sent on to the other server", "apologies", "no reply at all",
                "flood refusals", "p50 ms", "p95 ms"],
               [[str(tally["sent"]), str(tally["answered"]), str(tally["http_5xx"]), str(tally["http_other"]),
                 str(tally["cut"]), str(tally["timeout"]), str(tally["refused"]), str(tally["rerouted"]),
                 str(tally["apologies"]), str(tally["silent"]), str(tally["flood_refused"]),
                 number(float(np.percentile(answered, 50)) if answered else None),
                 number(float(np.percentile(answered, 95)) if answered else None)]]),
        "",
        "## Stored trackers",
        "",
        *table(["conversations", "lost (answered, not stored)", "duplicated (stored more often than sent)",
                "out of order", "unanswered turns stored", "unanswered turns not stored"],
               [[str(check["conversations"]), str(check["lost"]), str(check["duplicated"]),
                 str(check["out_of_order"]), str(check["unanswered_stored"]),
                 str(check["unanswered_not_stored"])]]),
        "",
        "An unanswered turn (cut in flight, timed out) may or may not have been stored: both are counted, "
        "neither is an error; the person's visit ends there.",
        "",
        *examples(check),
        "## Servers' logs",
        "",
        *table(["what the logs show", "lines"],
               [[name, str(times)] for name, times in results["log_findings"].items()]),
        "",
        "## Faults",
        "",
        *table(["planned (s)", "done (s)", "fault", "target", "result", "back after (s)"],
               [[number(fault["planned_at"]), number(fault["done_at"], 1), fault["kind"], fault["target"],
                 fault["detail"] or "not done",
                 number(None if fault["back_at"] is None else fault["back_at"] - fault["done_at"], 1)]
                for fault in results["faults"]]),
        "",
        "## Memory (RSS, MB, the process and its children)",
        "",
        *table(["process", "pid", "from (s)", "to (s)", "first reading", "after warm-up", "last reading",
                "growth after warm-up"],
               [[life["process"], str(life["pid"]), number(life["from"]), number(life["to"]),
                 number(life["start_mb"]), number(life["warm_mb"]), number(life["end_mb"]),
                 "shorter than its warm-up" if life["growth"] is None else f"{life['growth']:+.1%}"]
                for life in incarnations(results)]),
        "",
        f"Warm-up: the first {run['warmup_seconds']:g} s after a process first answered (its start for "
        "the first ones, the end of its restart for the others).",
        "",
    ]
    return "\n".join(lines)


def examples(check: dict) -> list[str]:
    """A few of the lost, duplicated and out-of-order conversations, for the one who fixes them."""
    lines = []
    for kind, found in check["examples"].items():
        if found:
            lines += [f"Examples, {kind.replace('_', ' ')}:", "", *(f"- `{item}`" for item in found), ""]
    return lines


def plot(results: dict, path: Path) -> None:
    """p50 and p95 latency per window (top) and each process's memory (bottom), over time, faults marked."""
    figure, (latency, memory) = plt.subplots(2, 1, figsize=(13, 8.5), sharex=True)
    rows = windows(results["turns"])
    middle = [(row["start"] + WINDOW_SECONDS / 2) / 60 for row in rows]
    latency.plot(middle, [row["p95_ms"] for row in rows], "-o", color="C0", markersize=3, label="p95")
    latency.plot(middle, [row["p50_ms"] for row in rows], "--", color="C0", alpha=0.6, label="p50")
    latency.set_yscale("log")
    latency.set_ylabel(f"latency per answered turn (ms, per {WINDOW_SECONDS:g} s, log scale)")
    latency.set_title("Latency over time")
    lives = incarnations(results)
    names = sorted({life["process"] for life in lives})
    colours = {name: f"C{index + 1}" for index, name in enumerate(names)}
    labelled: set[str] = set()
    for life in lives:
        samples = [sample for sample in results["memory"] if sample["pid"] == life["pid"]]
        memory.plot([sample["at"] / 60 for sample in samples], [sample["mb"] for sample in samples],
                    color=colours[life["process"]],
                    label=None if life["process"] in labelled else life["process"])
        labelled.add(life["process"])
    memory.set_ylabel("resident memory (MB)")
    memory.set_xlabel("minutes after the load started")
    memory.set_title("Memory of each process (a new line after each restart)")
    for axes in (latency, memory):
        for fault in results["faults"]:
            if fault["done_at"] is None:
                continue
            colour = FAULT_COLOURS[fault["kind"]]
            axes.axvline(fault["done_at"] / 60, color=colour, linestyle=":")
            if fault["back_at"] is not None:
                axes.axvspan(fault["done_at"] / 60, fault["back_at"] / 60, color=colour, alpha=0.08)
        axes.grid(True, alpha=0.3)
    for fault in results["faults"]:
        if fault["done_at"] is not None:
            latency.annotate(f"{fault['kind']}\n{fault['target'].rsplit('/', 1)[-1]}",
                             (fault["done_at"] / 60, 1), xycoords=("data", "axes fraction"), fontsize=7,
                             rotation=90, va="top", ha="right", color=FAULT_COLOURS[fault["kind"]])
    latency.legend(loc="upper left")
    memory.legend(loc="upper left", fontsize=8)
    run = results["run"]
    figure.suptitle(f"Soak test: {run['minutes']:g} min at {run['rate']:g} turns/s, {run['cpus']} CPUs, "
                    f"{run['finished']}")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_reports(results: dict, folder: Path) -> tuple[str, list[Path]]:
    """Adds the targets and the verdict to `results`, writes soak.json, soak.md and soak.png into `folder`;
    returns the Markdown and the paths."""
    results["targets"] = targets(results)
    results["verdict"] = all(target["met"] is not False for target in results["targets"])
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / JSON_NAME, folder / MARKDOWN_NAME, folder / PLOT_NAME]
    paths[0].write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = markdown(results)
    paths[1].write_text(summary, encoding="utf-8")
    plot(results, paths[2])
    return summary, paths
