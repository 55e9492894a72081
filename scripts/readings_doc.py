"""Write docs/policy-readings.md from knowledge/: every reading the team chose where the text is ambiguous.

    .venv/bin/python scripts/readings_doc.py          # rewrite the file
    .venv/bin/python scripts/readings_doc.py --check  # exit 1 if it is out of date (the tests run this)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.rules import knowledge

TARGET = Path(__file__).resolve().parents[1] / "docs" / "policy-readings.md"


def render() -> str:
    kb = knowledge()
    lines = [
        "# Readings of the policy",
        "",
        "Where the policy text is ambiguous, the rule module follows one reading, recorded in",
        "`knowledge/` beside the measure it concerns and stated to the user in the answer.",
        "This page is generated from those files by `scripts/readings_doc.py`; do not edit it by hand.",
        "",
    ]
    for article in kb.articles.values():
        entries = []
        for m in article.measures:
            for reading in m.readings:
                entries.append(f"- **{m.name}** (`{m.id}`): {reading}")
            for amb in m.ambiguities:
                status = f" Status given: `{amb.status}`, no amount." if amb.status else ""
                entries.append(f"- **{m.name}** (`{m.id}`): {amb.reading}{status}")
        if entries:
            lines += [f"## 第{article.number}条 {article.title}", "", *dict.fromkeys(entries), ""]
    lines += ["## Across measures (`knowledge/cross_rules.yml`)", ""]
    for rule in kb.cross_rules:
        names = "、".join(kb.measures[mid].name for mid in rule.measures)
        lines.append(f"- **{rule.cite}** “{rule.source}” ({rule.type}): {names}")
    lines += [
        "",
        "## In the engine",
        "",
        "- Unknown is not false: a condition over a fact nobody has given is open, and the measure is",
        "  `undecided` with the fact named in `missing`; never `not_applicable`.",
        "- “以上/以下/以内” include the number itself (the convention of Chinese statutes), so a salary of",
        "  exactly 20万元 meets “20万元以上”.",
        "- Dates known only to the year are ranges: a graduation “2021” is any month of 2021. The engine",
        "  decides when every month in the range gives the same answer and otherwise asks for the month.",
        "- A person already selected (入选, 认定) for a programme gets its amount whatever the",
        "  pre-selection conditions: the selection settled them.",
        "- Amounts stated with 最高 are upper bounds (`max_yuan`), never totals, and never compared for",
        "  就高不就低: when one side is only a ceiling the answer says the department decides.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run scripts/readings_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
