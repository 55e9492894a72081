"""The knowledge files: complete, verbatim, and validated with errors that name file and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.rules import KnowledgeError, knowledge, load_knowledge
from bot.rules.loader import KNOWLEDGE_DIR

POLICY = (KNOWLEDGE_DIR / "policy" / "jineng-xingzi-measures-2022-07-26.txt").read_text(encoding="utf-8")
SHARED_POLICY = Path(__file__).resolve().parents[3] / "shared" / "policy" / "000_554b4201fb2d8528.txt"


def compact(text: str) -> str:
    return "".join(text.split())


def test_every_article_1_to_26_is_there_with_at_least_one_measure() -> None:
    kb = knowledge()
    assert list(kb.articles) == list(range(1, 27))
    assert all(a.measures for a in kb.articles.values())


@pytest.mark.skipif(not SHARED_POLICY.exists(), reason="shared/ is not beside this checkout")
def test_the_policy_copy_is_the_original() -> None:
    assert SHARED_POLICY.read_text(encoding="utf-8") == POLICY


def test_every_quote_occurs_verbatim_in_the_policy() -> None:
    for m in knowledge().measures.values():
        for quote in m.source:
            assert compact(quote) in compact(POLICY), (m.id, quote)


def test_every_article_text_is_the_numbered_paragraph() -> None:
    for a in knowledge().articles.values():
        assert re.search(rf"(^|\n){a.number}\.", POLICY)
        assert compact(a.text).startswith(f"{a.number}.{compact(a.title)}")


def test_every_figure_in_a_monetary_quote_is_a_parameter_value() -> None:
    """No amount is typed into code: the figures the quotes state are in the measure's parameters."""
    for m in knowledge().measures.values():
        if not m.parameters:
            continue
        values: set[float] = set()
        for p in m.parameters.values():
            for _, v in p.values:
                values |= set(v.values()) if isinstance(v, dict) else {v}
        for quote in m.source:
            for number, unit in re.findall(r"(\d+(?:\.\d+)?)(万元|元)", quote):
                yuan = float(number) * (10000 if unit == "万元" else 1)
                assert yuan in values or m.kind == "non_monetary", (m.id, number + unit)


def test_measure_ids_are_unique_snake_case_names() -> None:
    for mid in knowledge().measures:
        assert re.fullmatch(r"[a-z][a-z0-9_]+", mid)


def copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("articles/04.yml", "kind: entitlement", "kind: entitlment", "measures[1].kind"),
        ("articles/04.yml", "fact: school_type", "fact: school_typ", "measures[0].conditions[0].fact"),
        ("articles/06.yml", "in: [technician, senior_technician]", "in: [technican]",
         "measures[0].conditions[0].in"),
        ("articles/22.yml", "national_gold: 100000", "national_gold: 十万", "measures[0].amounts[0].param"),
        ("articles/03.yml", "      - 对我市企业柔性引进", "      - 对我市企业柔性的引进", "measures[0].source[0]"),
        ("facts.yml", "type: yearmonth", "type: date", "facts.certificate_date.type"),
        ("articles/02.yml", "    how_to_apply: 每两年由市人力资源社会保障局组织选拔，从院校",
         "    how_to_aply: 每两年由市人力资源社会保障局组织选拔，从院校", "measures[2]"),
    ],
)
def test_a_typo_fails_at_load_naming_file_and_field(tmp_path: Path, file: str, old: str, new: str,
                                                    field: str) -> None:
    base = copy_knowledge(tmp_path)
    path = base / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(base)
    assert caught.value.file.endswith(file)
    assert caught.value.field.startswith(field), str(caught.value)


def test_a_missing_article_file_fails(tmp_path: Path) -> None:
    base = copy_knowledge(tmp_path)
    (base / "articles" / "13.yml").unlink()
    with pytest.raises(KnowledgeError, match=r"articles missing: \[13\]"):
        load_knowledge(base)


def test_the_readings_page_is_generated_from_the_knowledge_files() -> None:
    import subprocess
    import sys

    script = KNOWLEDGE_DIR.parent / "scripts" / "readings_doc.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
