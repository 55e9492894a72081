"""`python -m bot.run` (`make run`): start Rasa, the action server and the web app.

Prints the three URLs once all of them answer. Ctrl-C or SIGTERM stops all of
them. If one of them stops on its own, the others are stopped too and the exit
status is non-zero. Each service writes its output to var/log/<name>.log.
"""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType

from bot.settings import get_settings
from bot.supervisor import Stack, StackConfig, StackError, describe

READY_TIMEOUT_SECONDS = 300.0


def main() -> int:
    config = StackConfig.from_settings(get_settings())
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
            urls = stack.urls()
            print(
                f"All services ready in {elapsed:.1f}s:\n"
                f"  web app  {urls['web']}/\n"
                f"  rasa     {urls['rasa']}/  (REST: {urls['rasa']}/webhooks/rest/webhook)\n"
                f"  actions  {urls['actions']}/health\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
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
