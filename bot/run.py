"""`python -m bot.run` (`make run`): start Rasa, the action server and the web app.

`python -m bot.run --profile prod` (`make run-prod`): PostgreSQL and Redis first, then two
Rasa servers (shared tracker and lock store) with one action server each, and the web app
round-robining between the Rasa servers; `--replicas N` for another number of Rasa servers.

Prints the URLs once all of them answer. Ctrl-C or SIGTERM stops all of
them. If one of them stops on its own, the others are stopped too and the exit
status is non-zero. Each service writes its output to var/log/<name>.log.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType

from bot.settings import get_settings
from bot.supervisor import Stack, StackConfig, StackError, describe

READY_TIMEOUT_SECONDS = 300.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=["embedded", "prod"], default="embedded",
                        help="embedded: SQLite, one Rasa (default); prod: PostgreSQL, Redis, several Rasa servers")
    parser.add_argument("--replicas", type=int, default=2,
                        help="prod profile: how many Rasa servers, each with its own action server (default 2)")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = StackConfig.from_settings(get_settings(), profile=args.profile, replicas=args.replicas)
    stack = Stack(config)
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    try:
        stack.start()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 2
    print("Starting services (output goes to the log files):", flush=True)
    print(describe(stack.services), flush=True)

    try:
        elapsed = stack.wait_ready(READY_TIMEOUT_SECONDS, should_stop=lambda: bool(stop_requested))
        if not stop_requested:
            lines = [f"All services ready in {elapsed:.1f}s:", f"  web app  {config.web_url}/"]
            lines += [f"  rasa     {url}/  (REST: {url}/webhooks/rest/webhook)" for url in config.rasa_urls]
            lines += [f"  actions  {url}/health" for url in config.action_server_urls]
            if stack.store_env:
                env = stack.store_env
                lines.append(f"  postgres {env['PG_HOST']}:{env['PG_PORT']}")
                lines.append(f"  redis    {env['REDIS_HOST']}:{env['REDIS_PORT']}")
            print("\n".join([*lines, "Press Ctrl-C to stop."]), flush=True)
        while not stop_requested:
            if (service := stack.dead()) is not None:
                raise StackError(stack.describe_death(service))
            time.sleep(0.5)
    except StackError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        print("Stopping the other services...", file=sys.stderr, flush=True)
        stack.stop()
        return 1
    except BaseException:
        stack.stop()  # never leave children behind, whatever went wrong
        raise

    print(f"Received {signal.Signals(stop_requested[0]).name}; stopping services...", flush=True)
    stack.stop()
    print("All services stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
