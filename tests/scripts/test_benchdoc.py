"""scripts/benchdoc.py replaces only its own sections of docs/benchmarks.md."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from benchdoc import replace_sections


def test_other_sections_are_kept_and_new_ones_appended(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nintro\n\n## NLU parse latency\n\nkeep me\n\n## Mine\n\nold\n", encoding="utf-8")
    replace_sections({"Mine": "new", "Load test": "fresh"}, doc)
    text = doc.read_text(encoding="utf-8")
    assert "keep me" in text and "old" not in text
    assert text.index("## NLU parse latency") < text.index("## Mine") < text.index("## Load test")
    assert "\n\nnew\n" in text and text.endswith("fresh\n")
