"""The Rasa components on whole messages: odd input never raises, dates are injectable."""

from __future__ import annotations

from datetime import date

import pytest
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import ChineseTextNormalizer, FactEntityExtractor, reference_date


def run(text: str, metadata: dict[str, str] | None = None) -> Message:
    message = Message(data={TEXT: text, METADATA: metadata or {}})
    ChineseTextNormalizer().process([message])
    FactEntityExtractor().process([message])
    return message


@pytest.mark.parametrize(
    "text",
    ["", " ", "🙂🙂👍🎉", "asdfjkl;'[]\\", "\x00\x01\u200b", "？？？！！！", "第条第条", "年年年年",
     "万万万", "0000年", "9999999999999999999999元", "第999999条", "一" * 500,
     "我是技师，" * 2000, "字" * 10000],
)
def test_garbage_and_long_messages_pass(text: str) -> None:
    message = run(text)
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)


def test_entities_carry_the_extractor_name_and_fact_values() -> None:
    message = run("去年技校毕业的，考了个三级", {"reference_date": "2026-11-25"})
    assert message.get(TEXT) == "去年技校毕业的,考了个三级"  # full-width comma normalised
    assert [(e["entity"], e["value"], e["extractor"]) for e in message.get(ENTITIES)] == [
        ("graduation_date", "2025", "FactEntityExtractor"),
        ("school_type", "technical_school", "FactEntityExtractor"),
        ("certificate_level", "senior", "FactEntityExtractor"),
    ]


def test_normaliser_rewrites_the_text_in_place() -> None:
    assert run("職業技能等級證書，２０２１年").get(TEXT) == "职业技能等级证书,2021年"


def test_reference_date_from_metadata_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLU_REFERENCE_DATE", "2030-01-02")
    assert reference_date(Message(data={TEXT: "x"})) == date(2030, 1, 2)
    with_metadata = Message(data={TEXT: "x", METADATA: {"reference_date": "2026-11-25"}})
    assert reference_date(with_metadata) == date(2026, 11, 25)
    assert run("去年毕业", {"reference_date": "2026-11-25"}).get(ENTITIES)[0]["value"] == "2025"
