"""How many assessments per second the engine runs in one process, over a realistic mix of profiles.

The mix: every stage of an interview (empty, partly answered, complete), every verdict, random
skipped fields, and three assessment dates. Each call builds a new Assessment; the per-date contexts
(rule outcomes worded once per date) are warmed first, as on a server that has seen "today" once.
It also times what a process pays once: loading and checking data/program.yaml and data/texts.yaml.

    python benchmarks/bench_engine.py [--n 200000] [--min 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eligibility import FIELD_VALUES, PROFILE_FIELDS, Profile, assess, load_program  # noqa: E402
from eligibility.wording import load_texts  # noqa: E402

DATES = (dt.date(2024, 6, 1), dt.date(2026, 6, 1), dt.date(2026, 11, 24))


def workload(size: int, seed: int = 2026) -> list[tuple[Profile, dt.date, tuple[str, ...]]]:
    """Random profiles from the whole answer space, plus the interview paths a person actually takes."""
    rng = random.Random(seed)
    cases: list[tuple[Profile, dt.date, tuple[str, ...]]] = []
    while len(cases) < size:
        answers = {}
        for name in PROFILE_FIELDS:
            if rng.random() < 0.6:
                answers[name] = rng.choice(FIELD_VALUES[name])
        skip = tuple(rng.sample(PROFILE_FIELDS, rng.choice((0, 0, 0, 1, 2))))
        skip = tuple(name for name in skip if name not in answers)
        cases.append((Profile(**answers), rng.choice(DATES), skip))
        # An interview in progress: follow the engine's questions for a few steps.
        path: dict[str, object] = {}
        for _ in range(rng.randint(0, len(PROFILE_FIELDS))):
            question = assess(path, DATES[-1]).next_question
            if question is None:
                break
            path[question] = rng.choice(FIELD_VALUES[question])
        cases.append((Profile(**path), DATES[-1], ()))
    return cases[:size]


def run(n: int) -> float:
    cases = workload(5000)
    for profile, on, skip in cases:  # warm the per-date contexts
        assess(profile, on, skip)
    loop = itertools.islice(itertools.cycle(cases), n)
    start = time.perf_counter()
    for profile, on, skip in loop:
        assess(profile, on, skip)
    elapsed = time.perf_counter() - start
    return n / elapsed


def load_ms(repeat: int = 20) -> float:
    """The best time to load and check the packaged data files (program, then texts), in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        load_texts(load_program(Path(load_program().path)))
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="assessments to time")
    parser.add_argument("--min", type=float, default=0.0, help="fail (exit 1) below this rate")
    args = parser.parse_args()
    best = max(run(args.n) for _ in range(3))
    print(f"{best:,.0f} assessments/s (best of 3 runs of {args.n:,}, one process)")
    print(f"{load_ms():.1f} ms to load and check program.yaml and texts.yaml (once per process)")
    return 1 if best < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
