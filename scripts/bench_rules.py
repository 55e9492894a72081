"""Benchmark the rule engine: microseconds per full evaluation of all measures.

    .venv/bin/python scripts/bench_rules.py [--n 100000] [--seed 1]

Evaluates N random fact sets (the same generator as the engine tests), on one core,
and prints the mean and percentiles. Facts are validated once up front, as the chat
does when it stores them, so the figure is the evaluation itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.rules import evaluate, knowledge, normalize_facts
from tests.rules.test_engine import random_facts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    kb = knowledge()
    rng = random.Random(args.seed)
    sets = [normalize_facts(kb, random_facts(rng)) for _ in range(min(args.n, 10_000))]
    as_of = dt.date(2026, 11, 25)
    for facts in sets[:1000]:  # warm-up
        evaluate(kb, facts, as_of, validated=True)
    samples = []
    started = time.perf_counter()
    for i in range(args.n):
        t0 = time.perf_counter_ns()
        evaluate(kb, sets[i % len(sets)], as_of, validated=True)
        samples.append(time.perf_counter_ns() - t0)
    wall = time.perf_counter() - started
    samples.sort()
    us = [s / 1000 for s in samples]
    print(f"evaluations: {args.n} over {len(kb.measures)} measures ({platform.python_version()}, "
          f"{platform.machine()})")
    print(f"mean {statistics.fmean(us):.1f} µs, p50 {us[len(us) // 2]:.1f} µs, "
          f"p95 {us[int(len(us) * 0.95)]:.1f} µs, p99 {us[int(len(us) * 0.99)]:.1f} µs; wall {wall:.1f} s")


if __name__ == "__main__":
    main()
