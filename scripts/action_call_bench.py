"""One action server call as Rasa makes it: a new HTTP session per call against a kept one.

    .venv/bin/python scripts/action_call_bench.py [--calls 300]

Starts the real action server (rasa_sdk with ./actions) on a free loopback port, then sends the
same `action_show_facts` request through Rasa's `EndpointConfig.request`, first with Rasa's
own session per call (`rasa_speedups.ORIGINALS["endpoint_session"]`), then with the session
bot.rasa_speedups keeps, alternately, and prints the p50 / p95 of each. Not part of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import rasa_speedups  # noqa: E402

BODY: dict[str, Any] = {
    "next_action": "action_show_facts",
    "sender_id": "bench",
    "tracker": {
        "sender_id": "bench", "slots": {"facts": {"certificate_level": "senior"}},
        "latest_message": {"text": "我的信息", "intent": {"name": "show_facts"}, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    },
    "domain": {},
    "version": "3.6.21",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(url: str, calls: int) -> dict[str, list[float]]:
    from rasa.utils.endpoints import EndpointConfig

    rasa_speedups.apply()
    kept = EndpointConfig(url)
    fresh = EndpointConfig(url)
    original = rasa_speedups.ORIGINALS["endpoint_session"]
    fresh.session = lambda: original(fresh)  # Rasa's per-call session
    times: dict[str, list[float]] = {"new session per call (Rasa)": [], "kept session": []}
    for _ in range(calls):
        for name, endpoint in (("new session per call (Rasa)", fresh), ("kept session", kept)):
            start = time.perf_counter()
            answer = await endpoint.request(json=BODY)
            times[name].append((time.perf_counter() - start) * 1000)
            assert isinstance(answer, dict) and "responses" in answer, answer
    await rasa_speedups.close_kept_sessions()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "ASSISTANT_TODAY": os.environ.get("ASSISTANT_TODAY", "2026-11-25")}
    server = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the action server did not start", file=sys.stderr)
                return 1
            time.sleep(0.3)
        times = asyncio.run(measure(f"http://127.0.0.1:{port}/webhook", args.calls))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.calls} calls each, alternately, to the action server on loopback")
    print("| session | p50 | p95 | mean |")
    print("|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} ms | {percentile(values, 0.95):.2f} ms "
              f"| {statistics.fmean(values):.2f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
