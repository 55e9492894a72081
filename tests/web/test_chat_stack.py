"""POST /api/chat through the real stack: the web app relays to Rasa and back."""

from __future__ import annotations

import httpx
import pytest

from tests.support import StackUrls

pytestmark = pytest.mark.slow

SENDER = "web-5e1f0c2d3b4a59687766554433221100"


def test_a_greeting_through_the_web_app_comes_back_as_the_bots_messages(stack: StackUrls) -> None:
    response = httpx.post(
        f"{stack.web}/api/chat", json={"sender": SENDER, "message": "你好"}, timeout=60, trust_env=False
    )

    assert response.status_code == 200
    messages = response.json()["messages"]
    assert "技能兴淄" in messages[0]["text"]
    assert all("recipient_id" not in m for m in messages)  # the page knows its own id


def test_the_scripted_situation_gets_the_eligibility_payload_on_the_way_to_the_page(stack: StackUrls) -> None:
    sender = "web-5e1f0c2d3b4a59687766554433221101"
    answers = {"都没有", "是"}
    say = "我是技校毕业的，高级工，2025年毕业，在张店一家企业全职上班"
    for _ in range(8):
        response = httpx.post(
            f"{stack.web}/api/chat", json={"sender": sender, "message": say}, timeout=60, trust_env=False
        )
        assert response.status_code == 200
        messages = response.json()["messages"]
        results = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "eligibility_result"]
        if results:
            break
        buttons = [b for m in messages for b in m.get("buttons", []) if b["title"] in answers]
        assert buttons, f"no known answer among {messages}"
        say = buttons[0]["payload"]
    else:
        pytest.fail("no eligibility result after 8 turns")

    article_4 = [m for m in results[0]["measures"] if m["article"] == 4]
    assert article_4[0]["status"] == "applies"
    assert article_4[0]["amount"]["text"] == "500元/月×60个月=30000元"
