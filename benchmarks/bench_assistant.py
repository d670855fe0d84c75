"""Benchmark of the whole assistant on this machine (not a test: it reports, it doesn't assert).

Measures: training time from scratch, time until the server answers, resident memory of the Rasa server,
and per-turn latency p50/p95 over the public conversation sample (shared/eval/public/sample.yml).
Writes reports/bench.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers import ROOT, VENV_BIN, Assistant, run_public_sample, shared_dir  # noqa: E402


def train_from_scratch() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "rasa"), "train", "--out", out, "--force"],
            cwd=ROOT,
            check=True,
            env={
                "PYTHONPATH": str(ROOT),
                "PATH": str(VENV_BIN) + ":/usr/bin:/bin",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    results: dict[str, object] = {}
    if "--skip-train" not in sys.argv:
        results["train_seconds"] = round(train_from_scratch(), 1)
    with tempfile.TemporaryDirectory() as workdir:
        assistant = Assistant(workdir=Path(workdir))
        started = time.perf_counter()
        assistant.start()
        assistant.say("bench-warmup", "hello")
        results["seconds_until_answer"] = round(time.perf_counter() - started, 1)
        if shared_dir():
            out = Path(workdir) / "converse.json"
            run_public_sample(assistant.url, out)
            data = json.loads(out.read_text())
            latencies = sorted(data["latencies_ms"])
            results["turns"] = len(latencies)
            results["p50_ms"] = round(latencies[len(latencies) // 2], 1)
            results["p95_ms"] = round(latencies[min(len(latencies) - 1, int(0.95 * (len(latencies) - 1)))], 1)
            results["sample_summary"] = data["summary"]
        results["rasa_rss_mb"] = round(rss_mb(assistant.processes[1].pid), 0)
        results["action_server_rss_mb"] = round(rss_mb(assistant.processes[0].pid), 0)
        assistant.stop()
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench.json").write_text(json.dumps(results, indent=1))
    for key, value in results.items():
        print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
