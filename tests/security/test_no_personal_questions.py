"""The assistant never asks for a name, an ID number or a phone number.

Everything it can say is in domain.yml's responses, the questions and buttons of
knowledge/facts.yml (the interview's questions are generated from them) and the texts built in
bot/interview.py and actions/; none of them asks for personal identifiers. (It *tells* the
hotline's number 12333, which is not asking.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.rules import knowledge
from bot.supervisor import REPO_ROOT

PERSONAL = re.compile(
    r"姓名|名字|身份证|证件号|手机号|电话号码|联系电话|联系方式|住址|微信号|银行卡|社保卡号"
)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_no_response_of_the_domain_asks_for_personal_identifiers() -> None:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts = list(strings(domain.get("responses", {})))
    assert len(texts) >= 3
    assert [t for t in texts if PERSONAL.search(t)] == []


def test_no_question_of_the_interview_asks_for_personal_identifiers() -> None:
    facts = knowledge().facts
    texts = [f.question for f in facts.values()] + [f.precision_question or "" for f in facts.values()]
    texts += [v.label for f in facts.values() for v in f.values.values()]
    assert len(texts) > 20
    assert [t for t in texts if PERSONAL.search(t)] == []
    # No fact the interview can ask about is a personal identifier.
    assert not any(PERSONAL.search(f.label) for f in facts.values())


@pytest.mark.parametrize("path", sorted([*(REPO_ROOT / "actions").glob("*.py"), REPO_ROOT / "bot" / "interview.py",
                                         *(REPO_ROOT / "bot" / "channels" / "wechat").glob("*.py")]),
                         ids=lambda p: str(Path(p).relative_to(REPO_ROOT)))
def test_no_text_built_in_code_asks_for_personal_identifiers(path: Path) -> None:
    chinese_literals = re.findall(r"[\"']([^\"'\n]*[\u4e00-\u9fff][^\"'\n]*)[\"']", path.read_text(encoding="utf-8"))
    assert [t for t in chinese_literals if PERSONAL.search(t)] == []


def test_the_pattern_would_catch_a_question_for_them() -> None:
    for question in ("请提供您的姓名", "请输入身份证号", "请留下手机号码", "方便告诉我您的联系方式吗"):
        assert PERSONAL.search(question)
