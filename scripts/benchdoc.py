"""Rewrite some `## ` sections of docs/benchmarks.md and keep every other section as it is.

Several scripts write there (bench.py, load_test.py, and others by hand); each replaces only
the sections it owns, by their exact titles, and appends the ones not yet there.
"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nMeasured figures; each section says how it was measured and with which command.\n"


def replace_sections(sections: dict[str, str], doc: Path = DOC) -> None:
    """`sections`: title -> body (markdown, without the `## title` line)."""
    text = doc.read_text(encoding="utf-8") if doc.is_file() else HEADER
    # Split before each "## " heading: [preamble, "## A\n...", "## B\n...", ...]
    parts = re.split(r"(?m)^(?=## )", text)
    preamble, rest = parts[0], parts[1:]
    done: set[str] = set()
    out = [preamble.rstrip("\n") + "\n"]
    for part in rest:
        title = part.splitlines()[0][3:].strip()
        if title in sections:
            out.append(f"## {title}\n\n{sections[title].strip()}\n")
            done.add(title)
        else:
            out.append(part.rstrip("\n") + "\n")
    for title, body in sections.items():
        if title not in done:
            out.append(f"## {title}\n\n{body.strip()}\n")
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("\n".join(out), encoding="utf-8")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]
