"""Benchmark the staff search: milliseconds per answer, in process and over HTTP.

    .venv/bin/python scripts/bench_staff_search.py [--rounds 20]

Runs the hotline questions of tests/staff/search_questions.yml ``--rounds`` times
each, first against the index in this process, then through GET /api/search of the
real app (FastAPI TestClient, bearer token, JSON encoding included; no network). The
index is built once up front and that time is printed separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.staff.search import search_index
from bot.web.app import create_app

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "staff" / "search_questions.yml"


def summary(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (f"| {name} | {len(ms)} | {statistics.median(ms):.2f} ms | {p95:.2f} ms | {ms[-1]:.2f} ms "
            f"| {statistics.fmean(ms):.2f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    questions = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]

    started = time.perf_counter()
    index = search_index()
    build = time.perf_counter() - started

    direct = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            index.search(q, 5)
            direct.append(time.perf_counter() - t)

    client = TestClient(create_app(Settings(_env_file=None, staff_api_token="bench")))  # type: ignore[call-arg]
    headers = {"Authorization": "Bearer bench"}
    client.get("/api/search", params={"q": "技师"}, headers=headers)  # warm-up
    http = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            response = client.get("/api/search", params={"q": q, "k": 5}, headers=headers)
            http.append(time.perf_counter() - t)
            assert response.status_code == 200

    print(f"# {platform.python_version()} on {os.cpu_count()} cores; index built in {build * 1000:.0f} ms")
    print("| path | answers | p50 | p95 | max | mean |")
    print("|---|---|---|---|---|---|")
    print(summary("SearchIndex.search (in process)", direct))
    print(summary("GET /api/search (TestClient)", http))


if __name__ == "__main__":
    main()
