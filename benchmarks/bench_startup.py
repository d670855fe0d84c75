"""How long a Rasa server of this assistant takes to start, and how much memory it holds once it answers.

Starts the embedded profile (action server + one Rasa server) `--runs` times and reports, per run: the
seconds from launching the Rasa server to its first answered REST message, and its resident memory then.
The Rasa server runs no action: whatever it builds beyond the NLU model and the channels is overhead.

    python benchmarks/bench_startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.processes import first_answer, resident_mb  # noqa: E402
from tests.servers import Assistant  # noqa: E402

START_TIMEOUT_SECONDS = 300.0


def one_start(workdir: Path) -> tuple[float, float]:
    """(seconds until the first answer, resident MB of the Rasa server then) for one fresh start."""
    assistant = Assistant(workdir=workdir)
    started = time.monotonic()
    assistant.start(timeout=START_TIMEOUT_SECONDS)
    process = assistant.rasa_processes[assistant.rasa_port]
    try:
        first_answer(assistant.url, process, START_TIMEOUT_SECONDS, sender="bench-startup")
        seconds = time.monotonic() - started
        return seconds, resident_mb(process.pid)
    finally:
        assistant.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as workdir:
            seconds, memory = one_start(Path(workdir))
        print(f"run {run + 1}: first answer after {seconds:.1f} s, Rasa server memory {memory:.0f} MB")
        results.append((seconds, memory))
    print(f"median: {statistics.median(s for s, _ in results):.1f} s to the first answer, "
          f"{statistics.median(m for _, m in results):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
