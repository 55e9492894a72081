"""The web app's page and health check, without Rasa running."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.staff.accounts import hash_password
from bot.web.app import ROUTERS, create_app
from bot.web.routes import health


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


def client_for(**settings: object) -> TestClient:
    return TestClient(create_app(Settings(_env_file=None, **settings)))  # type: ignore[arg-type]


def test_home_page_is_the_chat_in_chinese_html_with_the_assistant_name() -> None:
    response = client_for().get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>技能兴淄 政策咨询助手</title>" in response.text
    assert 'lang="zh-CN"' in response.text
    assert "data-zibo-chat" in response.text  # where static/chat/chat.js draws the conversation


def test_healthz_is_503_and_degraded_when_rasa_and_actions_are_down() -> None:
    client = client_for(
        rasa_url=f"http://127.0.0.1:{closed_port()}",
        action_server_url=f"http://127.0.0.1:{closed_port()}",
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["rasa"]["ok"] is False
    assert body["action_server"]["ok"] is False
    assert "ConnectError" in body["rasa"]["error"]


def test_health_router_is_served() -> None:
    assert health.router in ROUTERS


def test_api_docs_are_behind_the_staff_login_in_production() -> None:
    production = client_for(
        app_env="production",
        staff_api_token="t" * 16,
        rasa_api_token="r" * 16,
        staff_users=f"zhangsan:{hash_password('a long passphrase')}",
        session_secret="k" * 40,
    )
    assert production.get("/docs", follow_redirects=False).status_code == 303
    assert client_for().get("/docs").status_code == 200


def test_the_heap_built_at_start_up_is_frozen_while_the_app_runs_and_released_after() -> None:
    import gc

    gc.unfreeze()
    with client_for() as client:
        assert client.get("/healthz").status_code in (200, 503)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
