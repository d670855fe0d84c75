"""Does one flooding sender slow everyone else down? Measures, doesn't assert (issue: at most 2x p95).

Starts the assistant (embedded profile), runs `calm_users` seeded conversations at once alone, then again
while one sender keeps many messages in flight (the per-sender flood limit refuses most of them), and
compares the calm users' p95. Writes reports/bench_flood.json.

    python benchmarks/bench_flood.py
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import LevelResult, run_level_async, send_turn  # noqa: E402
from benchmarks.workload import WORKLOAD_FILE, Workload  # noqa: E402
from tests.servers import ROOT, Assistant  # noqa: E402

FLOOD_MESSAGE = "what is IMP+?"


async def flooder(url: str, in_flight: int, seconds: float) -> dict[str, int]:
    """One sender with `in_flight` messages always on the way; counts what was sent and refused."""
    counts = {"sent": 0, "failed": 0}
    deadline = asyncio.get_running_loop().time() + seconds

    async def lane(session: aiohttp.ClientSession) -> None:
        while asyncio.get_running_loop().time() < deadline:
            _, problem = await send_turn(session, url, "bench-flooder", FLOOD_MESSAGE)
            counts["sent"] += 1
            counts["failed"] += problem not in ("", "empty")

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(lane(session) for _ in range(in_flight)))
    return counts


async def calm_level(url: str, workload: Workload, users: int, seconds: float, prefix: str,
                     flood_in_flight: int = 0) -> tuple[LevelResult, dict[str, int] | None]:
    calm = run_level_async([url], workload, users, seconds, prefix, on_turn=lambda: None)
    if not flood_in_flight:
        return await calm, None
    result, counts = await asyncio.gather(calm, flooder(url, flood_in_flight, seconds))
    return result, counts


def main() -> int:
    workload = Workload.load()
    plan = yaml.safe_load(WORKLOAD_FILE.read_text(encoding="utf-8"))["flood"]
    workdir = ROOT / "var" / "bench" / "runs" / "flood"
    shutil.rmtree(workdir, ignore_errors=True)
    assistant = Assistant(workdir=workdir).start()
    try:
        asyncio.run(calm_level(assistant.url, workload, plan["calm_users"], 5, "flood-warm"))
        users, seconds = plan["calm_users"], plan["seconds"]
        alone, _ = asyncio.run(calm_level(assistant.url, workload, users, seconds, "alone"))
        flooded, counts = asyncio.run(
            calm_level(assistant.url, workload, users, seconds, "flooded", plan["flooder_in_flight"])
        )
    finally:
        assistant.stop()
    result = {
        "calm_users": plan["calm_users"],
        "flooder_in_flight": plan["flooder_in_flight"],
        "alone": alone.summary(),
        "with_flooder": flooded.summary(),
        "flooder": counts,
        "p95_ratio": round(flooded.percentile_ms(95) / alone.percentile_ms(95), 2),
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench_flood.json").write_text(json.dumps(result, indent=1))
    print(f"calm users' p95: alone {alone.percentile_ms(95):.0f} ms, with a flooder "
          f"{flooded.percentile_ms(95):.0f} ms ({result['p95_ratio']}x; target <= 2x); flooder sent {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
