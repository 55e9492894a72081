"""Scripted conversations (conversations.yml) against the running stack through Rasa's REST channel."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.interview import CODE_ALPHABET
from tests.support import StackUrls

pytestmark = pytest.mark.slow

CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "conversations.yml").read_text(encoding="utf-8"))
MAX_QUESTIONS = 15


def send(stack: StackUrls, sender: str, text: str) -> list[dict[str, Any]]:
    response = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                          timeout=120, trust_env=False)
    assert response.status_code == 200, response.text
    messages = response.json()
    assert messages, f"no answer to {text[:40]!r}"
    return list(messages)


def asked_fact(messages: list[dict[str, Any]]) -> str | None:
    """The fact the last question asks for, read from its buttons' /inform payloads."""
    last = messages[-1]
    for button in last.get("buttons") or []:
        match = re.match(r"/inform(\{.*\})$", button["payload"])
        if match:
            return next(iter(json.loads(match.group(1))))
    return None


def test_there_are_at_least_25_conversations() -> None:
    assert len(CONVERSATIONS) >= 25


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(stack: StackUrls, conversation: dict[str, Any]) -> None:
    sender = "e2e-" + str(abs(hash(conversation["name"])))
    for turn in conversation["turns"]:
        text = "我" * 10_000 if turn["say"] == "LONG_10000" else turn["say"]
        messages = send(stack, sender, text)
        if "answer" in turn:
            answers = turn["answer"]
            for _ in range(MAX_QUESTIONS):
                fact = asked_fact(messages)
                if fact is None:
                    break
                reply = (f'/inform{json.dumps({fact: answers[fact]}, ensure_ascii=False)}'
                         if fact in answers else "/dont_know")
                messages += send(stack, sender, reply)
            else:
                pytest.fail(f"still asking after {MAX_QUESTIONS} questions")
        check(turn.get("expect") or {}, messages)


def check(expect: dict[str, Any], messages: list[dict[str, Any]]) -> None:
    texts = "\n".join(m.get("text") or "" for m in messages)
    for needle in expect.get("text", []):
        assert str(needle) in texts, f"{needle!r} not in the bot's answer:\n{texts}"
    payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    results = [p for p in payloads if p.get("type") == "eligibility_result"]
    if expect.get("measures") or "total_yuan" in expect:
        assert results, f"no eligibility_result payload in:\n{texts}"
        last = results[-1]
        assert last["as_of"] == "2026-11-25"
        rows = {m["measure"]: m for m in last["measures"]}
        for row in last["measures"]:
            assert isinstance(row["article"], int) and 1 <= row["article"] <= 26
            assert row["status"] in ("applies", "may_apply", "undecided", "not_applicable")
            assert f"第{row['article']}条" in texts or row["status"] != "applies" or row["article"] in (15, 25)
        for measure, want in (expect.get("measures") or {}).items():
            assert measure in rows, f"{measure} not in the payload ({sorted(rows)})"
            got = rows[measure]
            if "status" in want:
                assert got["status"] == want["status"], (measure, got["status"], got["reason"])
            for key in ("total_yuan", "max_yuan"):
                if key in want:
                    assert (got["amount"] or {}).get(key) == want[key], (measure, key, got["amount"])
        if "total_yuan" in expect:
            assert last["total_yuan"] == expect["total_yuan"]
    if expect.get("code"):
        codes = [p for p in payloads if p.get("type") == "consultation_code"]
        assert codes and re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", codes[-1]["code"])
        assert codes[-1]["code"] in texts


def test_a_message_without_words_is_never_taken_as_an_answer(stack: StackUrls) -> None:
    """"？", "。", a thumbs-up or a zero-width space after a yes/no question: the question is
    asked again and nothing is recorded (they were read as affirm, 0.39 > the 0.3 threshold)."""
    from bot.rules import knowledge

    sender = "e2e-wordless"
    messages = send(stack, sender, "我是技校毕业的高级工，2025年毕业")
    fact = asked_fact(messages)
    assert fact, messages
    label = knowledge().facts[fact].label
    for text in ["？", "。", "👍", "\u200b", "~~"]:
        texts = "\n".join(m.get("text") or "" for m in send(stack, sender, text))
        assert "我刚才问的是" in texts and "已记录" not in texts, (text, texts)
        if text == "👍":
            assert "只能看懂文字" in texts
    shown = "\n".join(m.get("text") or "" for m in send(stack, sender, "我的信息"))
    assert "高级工" in shown and f"· {label}：" not in shown, shown
