"""Rate limits, the body-size cap and CORS of the web app (bot/web/guards.py), in-process.

Rasa is `FakeRasa`, a real HTTP server on loopback that answers like Rasa's REST channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.guards import TOO_LARGE_TEXT, TOO_MANY_TEXT, TokenBuckets
from tests.wechat.support import FakeRasa, running

SENDER = "web-0123456789abcdef0123456789abcdef"
OTHER_SENDER = "web-fedcba9876543210fedcba9876543210"
PAGE_ORIGIN = "https://www.zibo.gov.cn"


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    with running(fake):
        yield fake


def client_for(rasa: FakeRasa, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(_env_file=None, rasa_url=rasa.url, **settings)))  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_lets_a_minutes_allowance_through_at_once_then_refills_evenly() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=30, clock=clock)

    assert all(buckets.take("a") == 0 for _ in range(30))
    assert buckets.take("a") == pytest.approx(2.0)  # one token every 2 s
    assert buckets.take("b") == 0  # another key has its own bucket
    clock.now += 2.0
    assert buckets.take("a") == 0
    assert buckets.take("a") > 0


def test_zero_means_no_limit() -> None:
    buckets = TokenBuckets(per_minute=0)
    assert all(buckets.take("a") == 0 for _ in range(10_000))


def test_one_conversation_sending_too_fast_gets_429_in_chinese(rasa: FakeRasa) -> None:
    client = client_for(rasa, rate_limit_sender_per_minute=3)

    statuses = [client.post("/api/chat", json={"sender": SENDER, "message": "你好"}).status_code for _ in range(3)]
    refused = client.post("/api/chat", json={"sender": SENDER, "message": "你好"})
    other = client.post("/api/chat", json={"sender": OTHER_SENDER, "message": "你好"})

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == {"error": "rate_limited", "message": TOO_MANY_TEXT}
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200


def test_invalid_turns_do_not_use_up_a_conversations_allowance(rasa: FakeRasa) -> None:
    client = client_for(rasa, rate_limit_sender_per_minute=2)
    for _ in range(5):
        assert client.post("/api/chat", json={"sender": SENDER, "message": " "}).status_code == 422
    assert client.post("/api/chat", json={"sender": SENDER, "message": "你好"}).status_code == 200


def test_one_address_sending_too_fast_gets_429_on_every_public_route(rasa: FakeRasa) -> None:
    client = client_for(rasa, rate_limit_ip_per_minute=4)

    answers = [
        client.get("/api/measures"),
        client.post("/api/eligibility", json={"facts": {"asker": "person"}}),
        client.post("/api/chat", json={"sender": SENDER, "message": "你好"}),
        client.get("/"),
    ]
    refused = [
        client.get("/api/measures"),
        client.post("/api/chat", json={"sender": OTHER_SENDER, "message": "你好"}),
        client.get("/staff/login"),
        client.get("/api/search", params={"q": "补贴"}),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    for response in refused:
        assert response.status_code == 429
        assert response.json()["message"] == TOO_MANY_TEXT


def test_health_metrics_and_static_files_are_not_limited(rasa: FakeRasa) -> None:
    client = client_for(rasa, rate_limit_ip_per_minute=1)
    client.get("/api/measures")
    for _ in range(5):
        assert client.get("/static/chat/chat.js").status_code == 200
        assert client.get("/healthz").status_code in (200, 503)
        assert client.get("/metrics").status_code == 200


def test_wechat_is_limited_per_openid_not_per_address(rasa: FakeRasa) -> None:
    # All of WeChat's traffic comes from a few of its servers: an address limit would stop every
    # citizen at once. Past the limit one openid gets "success" (nothing to say, no retry).
    client = client_for(rasa, rate_limit_ip_per_minute=1, rate_limit_sender_per_minute=2,
                        wechat_token="wechat-token-0123456789")
    unsigned = [client.post("/wechat", params={"openid": "oA"}, content=b"<xml/>") for _ in range(2)]
    limited = client.post("/wechat", params={"openid": "oA"}, content=b"<xml/>")
    other = client.post("/wechat", params={"openid": "oB"}, content=b"<xml/>")

    assert [u.status_code for u in unsigned] == [403, 403]  # counted, then refused by the signature check
    assert (limited.status_code, limited.text) == (200, "success")
    assert other.status_code == 403


def test_a_body_over_the_limit_gets_413_by_its_declared_length(rasa: FakeRasa) -> None:
    client = client_for(rasa, max_body_bytes=1024)
    big = json.dumps({"sender": SENDER, "message": "补" * 2000})

    for path in ("/api/chat", "/api/eligibility", "/api/search", "/staff/login", "/wechat"):
        response = client.post(path, content=big.encode(), headers={"content-type": "application/json"})
        assert response.status_code == 413, path
        assert response.json()["message"] == TOO_LARGE_TEXT


def test_a_body_over_the_limit_gets_413_when_streamed_without_a_length(rasa: FakeRasa) -> None:
    client = client_for(rasa, max_body_bytes=1024)

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 100

    for path in ("/api/chat", "/api/eligibility"):
        response = client.post(path, content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413, path


def test_a_100_kb_body_is_refused_by_default(rasa: FakeRasa) -> None:
    client = client_for(rasa)
    body = b'{"sender": "' + SENDER.encode() + b'", "message": "' + b"a" * 100_000 + b'"}'
    assert client.post("/api/chat", content=body, headers={"content-type": "application/json"}).status_code == 413


def test_refusals_carry_cors_headers_so_the_widget_can_show_them(rasa: FakeRasa) -> None:
    client = client_for(rasa, cors_origins=[PAGE_ORIGIN], rate_limit_sender_per_minute=1, max_body_bytes=1024)
    headers = {"Origin": PAGE_ORIGIN}
    client.post("/api/chat", json={"sender": SENDER, "message": "你好"}, headers=headers)
    limited = client.post("/api/chat", json={"sender": SENDER, "message": "你好"}, headers=headers)
    large = client.post("/api/chat", content=b"x" * 2000, headers={**headers, "content-type": "application/json"})

    assert limited.status_code == 429 and limited.headers["access-control-allow-origin"] == PAGE_ORIGIN
    assert large.status_code == 413 and large.headers["access-control-allow-origin"] == PAGE_ORIGIN


def test_cors_only_for_configured_origins(rasa: FakeRasa) -> None:
    configured = client_for(rasa, cors_origins=[PAGE_ORIGIN])
    unconfigured = client_for(rasa)
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}

    other_site = configured.options("/api/chat", headers={"Origin": "https://evil.example", **preflight})
    answer = configured.post("/api/chat", json={"sender": SENDER, "message": "你好"},
                             headers={"Origin": "https://evil.example"})
    none_configured = unconfigured.post("/api/chat", json={"sender": SENDER, "message": "你好"},
                                        headers={"Origin": PAGE_ORIGIN})

    assert other_site.status_code == 400 and "access-control-allow-origin" not in other_site.headers
    assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in none_configured.headers
