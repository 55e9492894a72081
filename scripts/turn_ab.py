"""Paired A/B of bot.rasa_speedups' action-call and debug-copy patches, in one process.

    .venv/bin/python scripts/turn_ab.py [--patches payload,copy] [--conversation-turns 6] [--turns 960]

Loads the trained model in process with an SQLite tracker store and the real action server
(as scripts/profile_turn.py does), then runs whole conversations alternately with the named
patches on ("new") and with Rasa's originals in their place ("old"), so that both see the same
machine at the same time; prints the mean and median turn of each. ``payload``: the action
server gets the current turn's events instead of the whole conversation; ``copy``: Rasa's
debug-log arguments are deep-copied only when debug logs are written. Not part of the tests.
"""

from __future__ import annotations

import argparse
import copy
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import profile_turn  # noqa: E402

from bot import rasa_speedups  # noqa: E402


async def run(args: argparse.Namespace, endpoints_file: Path) -> None:
    import rasa.core.policies.rule_policy as rule_policy
    import rasa.core.processor as processor
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    patches = set(args.patches.split(","))
    new = {"payload": RemoteAction._action_call_format, "copy": processor.copy}
    old = {"payload": rasa_speedups.ORIGINALS["action_call_format"], "copy": copy}

    def use(on: bool) -> None:
        chosen = {name: (new if on or name not in patches else old)[name] for name in new}
        RemoteAction._action_call_format = chosen["payload"]
        processor.copy = rule_policy.copy = chosen["copy"]

    agent = await load_agent(model_path=str(args.model),
                             endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)))
    times: dict[bool, list[float]] = {True: [], False: []}
    warm_up = 4 * args.conversation_turns
    for i in range(warm_up + args.turns):
        on = (i // args.conversation_turns) % 2 == 0  # whole conversations alternate
        use(on)
        started = time.perf_counter()
        await agent.handle_message(UserMessage(profile_turn.MESSAGES[i % len(profile_turn.MESSAGES)],
                                               CollectingOutputChannel(),
                                               sender_id=f"s{i // args.conversation_turns}"))
        if i >= warm_up:
            times[on].append(time.perf_counter() - started)
    use(True)
    print(f"{args.turns} turns, conversations of {args.conversation_turns} turns, patches {sorted(patches)}:")
    for on, label in ((False, "old"), (True, "new")):
        values = times[on]
        print(f"  {label}: mean {statistics.fmean(values) * 1000:.2f} ms, "
              f"median {statistics.median(values) * 1000:.2f} ms ({len(values)} turns)")
    await rasa_speedups.close_kept_sessions()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "zibo-skills-assistant.tar.gz")
    parser.add_argument("--patches", default="payload,copy")
    parser.add_argument("--turns", type=int, default=960)
    parser.add_argument("--conversation-turns", type=int, default=6)
    args = parser.parse_args()
    profile_turn.with_action_server(lambda endpoints_file: run(args, endpoints_file), prefix="turn-ab-")


if __name__ == "__main__":
    main()
