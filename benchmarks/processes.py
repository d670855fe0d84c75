"""What the benchmark reads off running servers: when they first answer, the memory and CPU they use."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.workload import REST_PATH


def first_answer(url: str, process: subprocess.Popen, timeout: float, sender: str) -> None:
    """Waits until the Rasa server at `url` answers a message over REST (a 200 with a JSON list)."""
    request = urllib.request.Request(
        url + REST_PATH,
        data=json.dumps({"sender": sender, "message": "hello"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status == 200 and isinstance(json.loads(response.read() or b"null"), list):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def children(pid: int) -> list[int]:
    """Every descendant of `pid` (Rasa and TensorFlow may fork helpers; their memory counts too)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            direct = [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in direct:
            found += [child, *children(child)]
    return found


def resident_mb(pid: int) -> float:
    """Resident memory (VmRSS) of the process `pid` and its descendants, in MB."""
    total_kb = 0
    for member in (pid, *children(pid)):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        rss = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        total_kb += int(rss[0].split()[1]) if rss else 0
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the process `pid` and its descendants."""
    ticks = 0
    for member in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, all cores (the first line of /proc/stat)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


@dataclass
class CpuMeter:
    """The CPU the servers and the whole machine used during a `with` block.

    Other work on the machine (other people's servers, the load generator itself) shows as machine busy
    time that the servers did not use: a busy machine explains numbers that a quiet one wouldn't show.
    """

    pids: dict[str, list[int]]
    seconds: dict[str, float] = field(default_factory=dict)
    machine_busy: float = 0.0
    wall: float = 0.0
    _start: tuple = field(default=(), init=False, repr=False)

    def __enter__(self) -> CpuMeter:
        self._start = ({role: sum(map(cpu_seconds, pids)) for role, pids in self.pids.items()},
                       machine_ticks(), time.perf_counter())
        return self

    def __exit__(self, *_: object) -> None:
        used, (busy, total), started = self._start
        now_busy, now_total = machine_ticks()
        self.wall = time.perf_counter() - started
        self.seconds = {role: sum(map(cpu_seconds, pids)) - used[role] for role, pids in self.pids.items()}
        self.machine_busy = (now_busy - busy) / max(now_total - total, 1)

    def summary(self, turns: int) -> dict[str, object]:
        """CPU per role in % of one core, per turn in ms, and how busy the machine was in %."""
        return {
            **{f"{role}_cpu_percent": round(100 * used / self.wall) for role, used in self.seconds.items()},
            **{f"{role}_cpu_ms_per_turn": round(1000 * used / turns, 1) if turns else None
               for role, used in self.seconds.items()},
            "machine_busy_percent": round(100 * self.machine_busy),
        }
