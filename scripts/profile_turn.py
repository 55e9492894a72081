"""Where one REST turn's time goes, inside the Rasa process (issue 9's turn/parse ratio).

    .venv/bin/python scripts/profile_turn.py                 # this project's set-up
    .venv/bin/python scripts/profile_turn.py --rasa-defaults # Rasa's SQL store, no speedups
    .venv/bin/python scripts/profile_turn.py --cprofile 40   # plus the 40 costliest functions

Loads the trained model in process (rasa.core.agent) with an SQLite tracker store in a
temporary directory, starts the action server on a free port, then runs the same typed
turns as scripts/turn_breakdown.py (a new conversation every 6 turns) and, separately, the
NLU parse of the same texts. Prints the mean wall time of each stage of a turn. No HTTP in
front of Rasa, so this isolates Rasa's own work from the REST channel. Not part of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import functools
import logging
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGES = ["我是技校毕业的高级工", "全国技能大赛银牌奖励多少？", "我的信息", "在淄博", "不清楚", "你好"]
TIMES: dict[str, list[float]] = collections.defaultdict(list)


def timed(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):
        @functools.wraps(original)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                TIMES[label].append(time.perf_counter() - started)
    else:
        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                TIMES[label].append(time.perf_counter() - started)
    setattr(owner, name, wrapper)


def start_action_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ASSISTANT_TODAY": os.environ.get("ASSISTANT_TODAY", "2026-11-25")}
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", trust_env=False).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("the action server did not start")


async def run(args: argparse.Namespace, endpoints_file: Path) -> None:
    from rasa.core import processor
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils import endpoints

    stages = processor.MessageProcessor
    timed(stages, "fetch_tracker_and_update_session", "1 tracker store: retrieve")
    timed(stages, "parse_message", "2 NLU parse")
    timed(stages, "_predict_next_with_tracker", "3 policy prediction (each)")
    timed(RemoteAction, "run", "4 remote action (each)")
    timed(endpoints.EndpointConfig, "request", "4a  of which HTTP to the action server")
    timed(RemoteAction, "_validate_action_result", "4b  of which response validation")
    timed(stages, "save_tracker", "5 tracker store: save")

    available = AvailableEndpoints.read_endpoints(str(endpoints_file))
    agent = await load_agent(model_path=str(args.model), endpoints=available)

    async def turn(i: int) -> None:
        sender = f"s{i // args.conversation_turns}"
        await agent.handle_message(UserMessage(MESSAGES[i % 6], CollectingOutputChannel(), sender_id=sender))

    for i in range(12):  # warm-up: TensorFlow traces, jieba loads, connections open
        await turn(i)
        await agent.parse_message(MESSAGES[i % 6])
    TIMES.clear()
    started = time.perf_counter()
    for i in range(12, 12 + args.turns):
        await turn(i)
    turn_ms = (time.perf_counter() - started) / args.turns * 1000
    stage_times = {label: list(values) for label, values in TIMES.items()}
    started = time.perf_counter()
    for i in range(12, 12 + args.turns):
        await agent.parse_message(MESSAGES[i % 6])
    parse_ms = (time.perf_counter() - started) / args.turns * 1000

    print(f"turns: {args.turns}; mean turn {turn_ms:.1f} ms; mean parse alone {parse_ms:.1f} ms; "
          f"ratio {turn_ms / parse_ms:.2f}")
    for label in sorted(stage_times):
        values = stage_times[label]
        print(f"  {label:42s} {len(values) / args.turns:4.1f}/turn  mean {sum(values) / len(values) * 1000:6.2f} ms")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for i in range(1000, 1000 + args.turns):
            await turn(i)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.cprofile)
    if not args.rasa_defaults:
        from bot import rasa_speedups

        await rasa_speedups.close_kept_sessions()  # as the REST channel does at server stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "zibo-skills-assistant.tar.gz")
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--conversation-turns", type=int, default=6, help="turns before a new conversation starts")
    parser.add_argument("--rasa-defaults", action="store_true",
                        help="Rasa's own SQLTrackerStore and no bot.rasa_speedups, for comparison")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with_action_server(lambda endpoints_file: run(args, endpoints_file), rasa_defaults=args.rasa_defaults)


def with_action_server(run_with: Callable[[Path], Coroutine[Any, Any, None]], *, rasa_defaults: bool = False,
                       prefix: str = "profile-turn-") -> None:
    """Start the action server on a free port, write an endpoints file for it and an SQLite
    tracker store in a temporary folder, and run ``run_with(endpoints_file)``; then stop it."""
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    from tests.support import free_ports

    (port,) = free_ports(1)
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    store = "SQL" if rasa_defaults else "bot.tracker_store.TunedSQLTrackerStore"
    endpoints_file = directory / "endpoints.yml"
    selective = "" if rasa_defaults else "  enable_selective_domain: true\n"
    endpoints_file.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{port}/webhook\n{selective}"
        f"tracker_store:\n  type: {store}\n  dialect: sqlite\n  db: {directory / 'tracker.db'}\n",
        encoding="utf-8",
    )
    if not rasa_defaults:
        from bot import rasa_speedups

        rasa_speedups.apply()
    server = start_action_server(port)
    try:
        asyncio.run(run_with(endpoints_file))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
