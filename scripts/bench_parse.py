"""Measure /model/parse latency of a running Rasa server.

    python scripts/bench_parse.py [--url http://localhost:5005] [--rounds 5]

Sends every utterance of tests/nlu/heldout.yml `--rounds` times, one at a time,
and prints p50 / p95 / max in milliseconds. Start the server first, e.g.
`python -m rasa run --enable-api -m models/zibo-skills-assistant.tar.gz`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.nlu.heldout_support import heldout_examples


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [e.text for e in heldout_examples()]
    timings: list[float] = []
    with httpx.Client(base_url=args.url, timeout=30) as client:
        client.post("/model/parse", json={"text": "你好"}).raise_for_status()  # warm up
        for _ in range(args.rounds):
            for text in texts:
                start = time.perf_counter()
                client.post("/model/parse", json={"text": text}).raise_for_status()
                timings.append((time.perf_counter() - start) * 1000)
    print(
        f"{len(timings)} requests: p50 {percentile(timings, 0.5):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms, "
        f"mean {statistics.mean(timings):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
