"""One-off, kept as the record of a relabelling: a `measure` span of a 第22条 prize measure that
contains a competition result becomes an `award` span over the result words, the money word
left outside (docs/nlu-annotation.md, "Decided in session 4" (2), as revised).

    python3 scripts/relabel_award_prizes.py tests/nlu/sealed5.yml ...   # rewrites the files in place

Applied in session 4 to the development sets and, before its one measurement, to sealed6.yml.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PRIZES = {"national_competition_prize", "provincial_competition_prize", "city_competition_prize",
          "city_class1_competition_prize", "city_class2_competition_prize"}
LEVELS = [(r"一类", "city_class1"), (r"二类", "city_class2"), (r"国赛|全国|国家级", "national"),
          (r"省赛|省级|省|全省", "provincial"), (r"市赛|市级|市|全市", "city")]
RESULTS = [(r"金牌|金奖", "gold"), (r"银牌|银奖", "silver"), (r"铜牌|铜奖", "bronze"),
           (r"第一名|第一|冠军", "first"), (r"第二名|第二", "second"), (r"第三名|第三", "third")]
RESULT_END = re.compile(r"金牌|银牌|铜牌|金奖|银奖|铜奖|第一名|第二名|第三名|第一|第二|第三|冠军")
MARKDOWN = re.compile(r"\[([^\]]+)\]\(measure:([a-z0-9_]+)\)")
JSON = re.compile(r'\[([^\]]+)\]\{"entity": "measure", "value": "([a-z0-9_]+)"\}')


def award_of(span: str) -> str | None:
    level = next((v for p, v in LEVELS if re.search(p, span)), None)
    result = next((v for p, v in RESULTS if re.search(p, span)), None)
    if level is None or result is None:
        return None
    medal = result in ("gold", "silver", "bronze")
    if level.startswith("city_class") == medal:  # medals for 国/省/市 赛, ranks for 一类/二类
        return None
    return f"{level}_{result}"


def relabel(match: re.Match[str], as_json: bool) -> str:
    span, value = match.group(1), match.group(2)
    ends = list(RESULT_END.finditer(span))
    award = award_of(span)
    if value not in PRIZES or award is None or not ends:
        return match.group(0)
    head, tail = span[: ends[-1].end()], span[ends[-1].end() :]
    label = f'[{head}]{{"entity": "award", "value": "{award}"}}' if as_json else f"[{head}](award:{award})"
    return label + tail


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        before = path.read_text(encoding="utf-8")
        after = MARKDOWN.sub(lambda m: relabel(m, False), before)
        after = JSON.sub(lambda m: relabel(m, True), after)
        changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
        for old, new in changed:
            print(f"{path}: {old.strip()}  ->  {new.strip()}")
        path.write_text(after, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
