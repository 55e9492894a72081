"""POST /api/chat, the chat page's files and CORS, without Rasa running.

Every refusal happens before Rasa is asked, so these need no model; "Rasa is down" is
a real closed port. The same route against the real stack is in test_chat_stack.py.
"""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.routes.chat import MAX_MESSAGE_CHARS

SENDER = "web-0123456789abcdef0123456789abcdef"
PAGE_ORIGIN = "https://www.zibo.gov.cn"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client_for(**settings: object) -> TestClient:
    values: dict[str, object] = {"rasa_url": f"http://127.0.0.1:{closed_port()}", **settings}
    return TestClient(create_app(Settings(_env_file=None, **values)))  # type: ignore[arg-type]


def post(client: TestClient, **body: object) -> tuple[int, dict[str, object]]:
    response = client.post("/api/chat", json=body)
    return response.status_code, response.json()


@pytest.mark.parametrize("message", ["", "   ", "\n\t　"])
def test_an_empty_message_is_refused_with_a_chinese_reason(message: str) -> None:
    status, body = post(client_for(), sender=SENDER, message=message)

    assert status == 422
    assert body == {"error": "invalid_turn", "message": "请输入您的问题。"}


def test_a_message_over_500_characters_is_refused_with_a_chinese_reason() -> None:
    status, body = post(client_for(), sender=SENDER, message="补" * (MAX_MESSAGE_CHARS + 1))

    assert status == 422
    assert body["message"] == "消息太长了：每条最多500个字，请分几次发送。"


def test_a_message_of_exactly_500_characters_goes_on_to_rasa() -> None:
    # Rasa is a closed port here, so "went on to Rasa" shows as the busy answer.
    status, _ = post(client_for(), sender=SENDER, message="补" * MAX_MESSAGE_CHARS)

    assert status == 503


@pytest.mark.parametrize(
    "sender",
    [
        "",
        "abc",
        "web-short",
        "wechat-0123456789abcdef0123456789abcdef",  # another channel's conversation
        "web-0123456789abcdef0123456789abcdef/../x",
        "web-" + "a" * 65,
    ],
)
def test_a_sender_id_of_the_wrong_form_is_refused(sender: str) -> None:
    status, body = post(client_for(), sender=sender, message="你好")

    assert status == 422
    assert body["message"] == "会话编号无效，请刷新页面后再试。"


def test_a_malformed_request_is_refused_in_chinese_too() -> None:
    client = client_for()

    missing = client.post("/api/chat", json={"sender": SENDER})
    not_json = client.post("/api/chat", content=b"hello", headers={"Content-Type": "application/json"})
    extra = client.post("/api/chat", json={"sender": SENDER, "message": "你好", "admin": True})

    for response in (missing, not_json, extra):
        assert response.status_code == 422
        assert response.json() == {"error": "invalid_turn", "message": "请求格式不正确，请刷新页面后再试。"}


def test_when_rasa_cannot_answer_it_is_503_with_the_busy_line() -> None:
    status, body = post(client_for(), sender=SENDER, message="你好")

    assert status == 503
    assert body == {"error": "rasa_unavailable", "message": "系统繁忙，请稍后再试。"}


def test_the_home_page_is_the_chat_and_forbids_inline_script() -> None:
    response = client_for().get("/")

    assert response.status_code == 200
    assert "<title>技能兴淄 政策咨询助手</title>" in response.text
    assert 'lang="zh-CN"' in response.text
    assert 'src="/static/chat/chat.js"' in response.text
    assert "<script>" not in response.text  # no inline script: the policy below forbids it
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget.js", "text/javascript"),
        ("/static/chat/chat.js", "text/javascript"),
        ("/static/chat/render.js", "text/javascript"),
        ("/static/chat/chat.css", "text/css"),
    ],
)
def test_the_chat_files_are_served_and_revalidated(path: str, content_type: str) -> None:
    response = client_for().get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["cache-control"] == "no-cache"


def test_a_configured_site_may_call_the_chat_from_its_pages() -> None:
    client = client_for(cors_origins=[PAGE_ORIGIN])

    preflight = client.options(
        "/api/chat",
        headers={
            "Origin": PAGE_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    answer = client.post("/api/chat", json={"sender": SENDER, "message": ""}, headers={"Origin": PAGE_ORIGIN})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == PAGE_ORIGIN
    assert answer.headers["access-control-allow-origin"] == PAGE_ORIGIN


@pytest.mark.parametrize("configured", [[], [PAGE_ORIGIN]])
def test_any_other_site_may_not(configured: list[str]) -> None:
    client = client_for(cors_origins=configured)
    other = "https://evil.example"

    preflight = client.options(
        "/api/chat",
        headers={
            "Origin": other,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    answer = client.post("/api/chat", json={"sender": SENDER, "message": ""}, headers={"Origin": other})

    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (400, 405)
    assert "access-control-allow-origin" not in answer.headers
