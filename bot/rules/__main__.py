"""Command line: ``python -m bot.rules facts.json [--as-of YYYY-MM-DD] [--json-only]``.

Prints the Chinese explanation, then the JSON result (the same JSON the chat and the API send).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from bot.rules import FactError, KnowledgeError, evaluate, explain, knowledge, next_questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.rules",
                                     description="Evaluate the 26 measures of 技能兴淄 for a facts file.")
    parser.add_argument("facts", help="a JSON file with an object of facts ('-' reads standard input)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                        help="evaluate as on this date (default: today)")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON result")
    args = parser.parse_args(argv)
    try:
        raw = sys.stdin.read() if args.facts == "-" else Path(args.facts).read_text(encoding="utf-8")
        facts = json.loads(raw)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"cannot read facts: {exc}", file=sys.stderr)
        return 2
    if not isinstance(facts, dict):
        print("the facts file must hold a JSON object", file=sys.stderr)
        return 2
    try:
        kb = knowledge()
        result = evaluate(kb, facts, args.as_of)
    except KnowledgeError as exc:
        print(f"knowledge error: {exc}", file=sys.stderr)
        return 3
    except FactError as exc:
        print(f"invalid fact {exc.fact}: {exc.problem}; allowed: {', '.join(exc.allowed)}", file=sys.stderr)
        return 2
    payload = result.to_dict()
    payload["next_questions"] = [{"fact": q.fact, "question": q.text} for q in next_questions(kb, result)[:5]]
    if not args.json_only:
        print(explain(kb, result))
        print()
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
