"""`make load-test`: 100 simulated users doing full interviews against the production profile.

    .venv/bin/python scripts/load_test.py [--users 100] [--spawn-rate 10] [--run-time 600]

Starts the production profile on free loopback ports (its own PostgreSQL and Redis in a
temporary folder; two Rasa servers, two action servers, the web app), runs Locust headless
(scripts/load/locustfile.py) against the web app's /api/chat, stops everything, and writes the
section "Load test" of docs/benchmarks.md: per turn kind p50/p95/p99, requests, failures.
Bounded: each user does one interview and stops, and --run-time caps the whole run.
Exit status 1 when any request failed (an error, a lost or a crossed reply).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchdoc import replace_sections  # noqa: E402

from bot.pg_redis import PgRedis  # noqa: E402
from bot.supervisor import PROD_ENDPOINTS, Stack, StackConfig  # noqa: E402
from tests.support import free_ports  # noqa: E402

TODAY = "2026-11-25"
LOCUSTFILE = REPO / "scripts" / "load" / "locustfile.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=600, help="seconds, at most")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 10 <= args.run_time <= 1800:
        parser.error("--users 1..500 and --run-time 10..1800 (bounded on purpose)")
    command = ".venv/bin/python scripts/load_test.py " + shlex.join(sys.argv[1:])

    directory = Path(tempfile.mkdtemp(prefix="zibo-load-"))
    directory.chmod(0o755)
    r1, r2, a1, a2, web, pg, redis = free_ports(7)
    config = StackConfig(rasa_port=r1, more_rasa_ports=(r2,), action_port=a1, more_action_ports=(a2,),
                         web_port=web, endpoints=PROD_ENDPOINTS, log_dir=directory / "log",
                         pg_redis=PgRedis(directory / "pg-redis", pg_port=pg, redis_port=redis),
                         extra_env={"ASSISTANT_TODAY": TODAY, "NLU_REFERENCE_DATE": TODAY})
    stack = Stack(config)
    prefix = directory / "locust"
    try:
        stack.start()
        print(f"load-test: production profile ready in {stack.wait_ready(timeout=600):.1f}s", flush=True)
        started = time.perf_counter()
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "--run-time", f"{args.run_time}s",
             "--host", config.web_url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "30"],
            cwd=REPO, env={**os.environ, "LOAD_USERS": str(args.users)}, check=False,
        )
        wall = time.perf_counter() - started
        metrics = httpx.get(f"{config.web_url}/metrics", timeout=10, trust_env=False).text
        stats = list(csv.DictReader((prefix.parent / "locust_stats.csv").open(encoding="utf-8")))
        failures = list(csv.DictReader((prefix.parent / "locust_failures.csv").open(encoding="utf-8")))
    finally:
        stack.stop()
    shutil.rmtree(directory, ignore_errors=True)

    turns_ok = next((str(int(float(line.split()[-1]))) for line in metrics.splitlines()
                     if line.startswith('chat_turns_total{outcome="ok"}')), "0")
    rows = []
    for row in stats:
        rows.append(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} ms | "
                    f"{row['95%']} ms | {row['99%']} ms | {float(row['Max Response Time']):.0f} ms |")
    total = next(r for r in stats if r["Name"] == "Aggregated")
    failed = int(total["Failure Count"])
    failure_lines = "\n".join(f"- {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures) or "none"
    body = (
        f"`make load-test` ({os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"{dt.date.today().isoformat()}):\n\n    {command}\n\n"
        f"{args.users} Locust users (spawned {args.spawn_rate:g}/s, 0.5–2 s between turns) each doing one full "
        "interview through the web app's `POST /api/chat` on the production profile (two Rasa servers "
        "round-robined by the web app, two action servers, PostgreSQL tracker store, Redis lock store, "
        "all on loopback, on the same 2-core machine as Locust): state the facts with a button payload, "
        "answer every question with button payloads (不清楚 for the rest) until the eligibility result, "
        "then `/show_facts`, whose text must list exactly this user's own certificate level and year. "
        "A failure is an HTTP error, an empty answer (lost reply), the busy note, or another user's facts "
        f"(crossed reply). The whole run took {wall:.0f} s.\n\n"
        "| turn | requests | failures | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\nLocust's percentiles are approximated (two significant digits); the machine is saturated "
        "(two Rasa servers, two action servers, the web app, PostgreSQL, Redis and Locust on 2 cores), so "
        "these are queueing times, not the latency of one turn (see the turn latency section)."
        + f"\n\nFailures: {failure_lines}. Turns the web app counted as answered by Rasa "
        f"(`chat_turns_total{{outcome=\"ok\"}}` on /metrics): {turns_ok}; Locust recorded "
        f"{total['Request Count']} requests. Locust keeps {args.users} users running and replaces each "
        "one that finishes its interview; the run stops once that many have finished, and the turns "
        "still in flight then are answered by the app but not recorded by Locust (so the app's count "
        "can be higher, never lower).\n"
    )
    replace_sections({"Load test (Locust, production profile)": body})
    print(f"load-test: {total['Request Count']} requests, {failed} failures, locust exit {locust.returncode}; "
          "wrote docs/benchmarks.md", flush=True)
    return 1 if failed or locust.returncode not in (0,) else 0


if __name__ == "__main__":
    sys.exit(main())
