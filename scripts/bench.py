"""`make bench`: measure the running assistant and rewrite its sections of docs/benchmarks.md.

    .venv/bin/python scripts/bench.py [--profiles embedded,prod] [--turns 60] [--search-rounds 5]
                                      [--rule-n 100000] [--skip-training]

For each profile it starts the real stack on free loopback ports (the production profile with
its own PostgreSQL and Redis in a temporary folder), then in the same run:

- per-turn latency through Rasa's REST channel against Rasa's own ``/model/parse`` of the same
  typed messages (held-out NLU examples), one request at a time, alternately: the ratio is
  what dialogue, actions and the tracker store add to the NLU;
- ``GET /api/search`` (bearer STAFF_API_TOKEN, set for the run) against ``GET /widget.js``
  (a file, the app's most trivial endpoint), alternately;
- time from start to every service answering, and the resident memory of each process.

Also: scripts/bench_rules.py (rule evaluation, µs each) and a forced training run into a
temporary folder (models/ is left alone). Other sections of the doc are kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchdoc import percentile, replace_sections  # noqa: E402

from bot.pg_redis import PgRedis  # noqa: E402
from bot.supervisor import PROD_ENDPOINTS, Stack, StackConfig  # noqa: E402
from tests.support import free_ports, write_test_endpoints  # noqa: E402

TODAY = "2026-11-25"
HELDOUT = REPO / "tests" / "nlu" / "heldout.yml"
QUESTIONS = REPO / "tests" / "staff" / "search_questions.yml"
TURNS_PER_SENDER = 6  # a fresh conversation every few turns, as users come and go


def ms(values: list[float]) -> str:
    return (f"{len(values)} | {percentile(values, 0.5) * 1000:.1f} ms | {percentile(values, 0.95) * 1000:.1f} ms"
            f" | {percentile(values, 0.99) * 1000:.1f} ms | {statistics.fmean(values) * 1000:.1f} ms")


def utterances(count: int) -> list[str]:
    """Typed messages from the held-out NLU set, taken across intents in turn."""
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    per_intent = [
        [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
        for block in data["nlu"] if "intent" in block
    ]
    picked: list[str] = []
    for i in range(max(len(x) for x in per_intent)):
        picked += [examples[i] for examples in per_intent if i < len(examples)]
    return [_plain(text) for text in picked[:count]]


def _plain(text: str) -> str:
    # [高级工](certificate_level) -> 高级工
    return re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2), text)


@dataclass
class ProfileRun:
    profile: str
    ready_seconds: float = 0.0
    rss_mb: dict[str, float] = field(default_factory=dict)
    rest: list[float] = field(default_factory=list)
    parse: list[float] = field(default_factory=list)
    search: list[float] = field(default_factory=list)
    trivial: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def timed(client: httpx.Client, method: str, url: str, **kwargs: object) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - started, response


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn or Rasa may fork), MB."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 1e6
    except psutil.NoSuchProcess:
        return 0.0


def postgres_redis_rss(store_env: dict[str, str]) -> dict[str, float]:
    totals = {"postgres (all backends)": 0.0, "redis": 0.0}
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        try:
            if proc.info["name"] == "postgres" or cmd.startswith("postgres:"):
                # Shared buffers are counted in every backend; this overstates, never understates.
                totals["postgres (all backends)"] += proc.memory_info().rss / 1e6
            elif "redis-server" in cmd and f":{store_env.get('REDIS_PORT')}" in cmd:
                totals["redis"] += proc.memory_info().rss / 1e6
        except psutil.NoSuchProcess:
            pass
    return totals


def run_profile(profile: str, args: argparse.Namespace, token: str) -> ProfileRun:
    result = ProfileRun(profile)
    directory = Path(tempfile.mkdtemp(prefix=f"zibo-bench-{profile}-"))
    directory.chmod(0o755)  # postgres and redis must reach their folders
    env = {"ASSISTANT_TODAY": TODAY, "NLU_REFERENCE_DATE": TODAY, "STAFF_API_TOKEN": token}
    if profile == "prod":
        r1, r2, a1, a2, web, pg, redis = free_ports(7)
        config = StackConfig(rasa_port=r1, more_rasa_ports=(r2,), action_port=a1, more_action_ports=(a2,),
                             web_port=web, endpoints=PROD_ENDPOINTS, log_dir=directory / "log", extra_env=env,
                             pg_redis=PgRedis(directory / "pg-redis", pg_port=pg, redis_port=redis))
    else:
        r1, a1, web = free_ports(3)
        config = StackConfig(rasa_port=r1, action_port=a1, web_port=web, endpoints=write_test_endpoints(directory),
                             log_dir=directory / "log", extra_env=env)
    stack = Stack(config)
    started = time.perf_counter()
    try:
        stack.start()
        stack.wait_ready(timeout=600)
        result.ready_seconds = time.perf_counter() - started
        with httpx.Client(timeout=60, trust_env=False) as client:
            measure(client, config, args, token, result)
        for service in stack.services:
            result.rss_mb[service.spec.name] = rss_mb(service.pid)
        if stack.store_env:
            result.rss_mb.update(postgres_redis_rss(stack.store_env))
    finally:
        stack.stop()
        shutil.rmtree(directory, ignore_errors=True)
    return result


def measure(client: httpx.Client, config: StackConfig, args: argparse.Namespace, token: str,
            result: ProfileRun) -> None:
    texts = utterances(args.turns)
    rasa = config.rasa_urls
    # Warm-up: the first request of each kind loads lazily built pieces.
    for url in rasa:
        client.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "你好"})
        client.post(f"{url}/model/parse", json={"text": "你好"})
    for i, text in enumerate(texts):
        url = rasa[i % len(rasa)]  # the production profile: every server in turn, as the web app does
        sender = f"bench-{config.web_port}-{i // TURNS_PER_SENDER}"
        seconds, response = timed(client, "POST", f"{url}/webhooks/rest/webhook",
                                  json={"sender": sender, "message": text})
        if response.status_code != 200 or not response.json():
            result.errors.append(f"turn {i}: HTTP {response.status_code}")
        result.rest.append(seconds)
        seconds, response = timed(client, "POST", f"{url}/model/parse", json={"text": text})
        if response.status_code != 200:
            result.errors.append(f"parse {i}: HTTP {response.status_code}")
        result.parse.append(seconds)
    questions = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]
    headers = {"Authorization": f"Bearer {token}"}
    client.get(f"{config.web_url}/api/search", params={"q": "你好"}, headers=headers)
    client.get(f"{config.web_url}/widget.js")
    for _ in range(args.search_rounds):
        for q in questions:
            seconds, response = timed(client, "GET", f"{config.web_url}/api/search", params={"q": q},
                                      headers=headers)
            if response.status_code != 200:
                result.errors.append(f"search: HTTP {response.status_code}")
            result.search.append(seconds)
            seconds, response = timed(client, "GET", f"{config.web_url}/widget.js")
            result.trivial.append(seconds)


def bench_rules(n: int) -> tuple[str, str]:
    argv = [sys.executable, "scripts/bench_rules.py", "--n", str(n)]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=True)
    return ".venv/bin/python " + shlex.join(argv[1:]), done.stdout.strip()


def bench_training() -> float:
    out = Path(tempfile.mkdtemp(prefix="zibo-bench-train-"))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rasa", "train", "--force", "--out", str(out),
                    "--fixed-model-name", "bench"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="embedded,prod")
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--search-rounds", type=int, default=5)
    parser.add_argument("--rule-n", type=int, default=100_000)
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    command = (".venv/bin/python scripts/bench.py " + shlex.join(sys.argv[1:])).rstrip()
    token = secrets.token_urlsafe(24)
    machine = (f"{os.cpu_count()} CPU cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, {dt.date.today().isoformat()}")

    runs = []
    for profile in args.profiles.split(","):
        print(f"bench: {profile} profile...", flush=True)
        runs.append(run_profile(profile, args, token))
    print("bench: rules...", flush=True)
    rules_command, rules_output = bench_rules(args.rule_n)
    training = None if args.skip_training else bench_training()

    how = f"`make bench` ({machine}):\n\n    {command}\n"
    turn_rows = []
    for r in runs:
        p50_ratio = percentile(r.rest, 0.5) / percentile(r.parse, 0.5)
        mean_ratio = statistics.fmean(r.rest) / statistics.fmean(r.parse)
        turn_rows.append(f"| {r.profile} | REST channel turn | {ms(r.rest)} |")
        turn_rows.append(f"| {r.profile} | /model/parse | {ms(r.parse)} |")
        turn_rows.append(f"| {r.profile} | **ratio** | | **{p50_ratio:.2f}** | | | **{mean_ratio:.2f}** |")
    errors = [f"{r.profile}: {e}" for r in runs for e in r.errors]
    sections = {
        "Turn latency: REST channel against /model/parse": (
            how + "\nOne request at a time, alternately, the same typed messages (held-out NLU examples, "
            f"across intents; a new conversation every {TURNS_PER_SENDER} turns). A REST turn is the NLU "
            "plus the dialogue policies, the action server call, the rule module and the tracker store "
            "(SQLite in the embedded profile; PostgreSQL with a Redis lock in the production profile, "
            "turns alternating between its two Rasa servers). Target: ratio at most 1.5.\n\n"
            "| profile | path | requests | p50 | p95 | p99 | mean |\n|---|---|---|---|---|---|---|\n"
            + "\n".join(turn_rows) + "\n\nRatio row: p50 against p50, mean against mean.\n"
            + ("\nErrors: " + "; ".join(errors) + "\n" if errors else "\nErrors: none.\n")
        ),
        "Staff search against a trivial endpoint": (
            how + "\nThe 60 hotline questions of tests/staff/search_questions.yml through the running web app "
            "(uvicorn, loopback HTTP), `GET /api/search?q=…` with `Authorization: Bearer $STAFF_API_TOKEN` "
            "(a token generated for the run) alternately with `GET /widget.js` (a static file: routing, "
            "middleware and HTTP only).\n\n"
            "| profile | endpoint | requests | p50 | p95 | p99 | mean |\n|---|---|---|---|---|---|---|\n"
            + "\n".join(f"| {r.profile} | GET /api/search | {ms(r.search)} |\n"
                        f"| {r.profile} | GET /widget.js | {ms(r.trivial)} |" for r in runs) + "\n"
        ),
        "Rule evaluation": (
            f"Called by `make bench` ({machine}):\n\n    {rules_command}\n\n```\n{rules_output}\n```\n"
        ),
        "Start-up, memory and training": (
            how + "\nStart-up: from `Stack.start()` (for the production profile: PostgreSQL and Redis "
            "started first, already installed and initialised in a fresh folder) until every service "
            "answers its ready URL. Memory: resident set size after the measurements above (psutil; "
            "a process with its children).\n\n"
            "| profile | start-up to ready |\n|---|---|\n"
            + "\n".join(f"| {r.profile} | {r.ready_seconds:.1f} s |" for r in runs)
            + "\n\n| profile | process | RSS |\n|---|---|---|\n"
            + "\n".join(f"| {r.profile} | {name} | {mb:.0f} MB |" for r in runs for name, mb in r.rss_mb.items())
            + ("\n\nTraining: `python -m rasa train --force` into a temporary folder (no cache used, "
               f"models/ untouched): {training:.1f} s.\n" if training is not None else
               "\n\nTraining: not measured in this run (--skip-training).\n")
        ),
    }
    replace_sections(sections)
    print(f"bench: wrote {', '.join(sections)} to docs/benchmarks.md", flush=True)
    for r in runs:
        print(f"  {r.profile}: REST p50 {percentile(r.rest, 0.5) * 1000:.1f} ms, parse p50 "
              f"{percentile(r.parse, 0.5) * 1000:.1f} ms, ready {r.ready_seconds:.1f} s, errors {len(r.errors)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
