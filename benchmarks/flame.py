"""A flame graph of a Rasa server under the benchmark's load: where its CPU goes, turn after turn.

py-spy samples the running server from outside (no code change, no restart) while an extra, unmeasured
level of the workload runs, so the measured levels are never slowed by the sampling.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

SAMPLES_PER_SECOND = 150


def py_spy() -> str | None:
    """The py-spy installed beside this Python (requirements.txt), or one on PATH, or None."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def record(pid: int, seconds: float, svg: Path, load: Callable[[], object]) -> Path | None:
    """Samples process `pid` (and its threads) while `load()` runs; writes `svg`; None without py-spy."""
    program = py_spy()
    if program is None:
        return None
    svg.parent.mkdir(parents=True, exist_ok=True)
    sampler = subprocess.Popen(
        [program, "record", "--pid", str(pid), "--duration", str(round(seconds)), "--rate",
         str(SAMPLES_PER_SECOND), "--format", "flamegraph", "--output", str(svg)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        load()
    finally:
        sampler.wait(timeout=seconds + 60)
    return svg if svg.exists() else None
