"""GET /metrics: requests by route template, turns and results by article and status."""

from __future__ import annotations

import asyncio

import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.channels.rasa_client import RasaClient
from bot.settings import Settings
from bot.staff.accounts import hash_password
from bot.web.app import create_app


def client_for(**settings: object) -> TestClient:
    return TestClient(create_app(Settings(_env_file=None, **settings)))  # type: ignore[arg-type]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(client: TestClient, name: str, **labels: str) -> float:
    return samples(client.get("/metrics").text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_never_by_raw_path() -> None:
    client = client_for()
    before = value(client, "http_requests_total", method="GET", route="/api/conversations/{code}", status="401")
    client.get("/api/conversations/ZB3K7Q")
    client.get("/api/conversations/ZB9999")
    text = client.get("/metrics").text
    after = samples(text)[("http_requests_total",
                           (("method", "GET"), ("route", "/api/conversations/{code}"), ("status", "401")))]
    assert after == before + 2
    assert "ZB3K7Q" not in text
    assert 'route="/api/conversations/{code}"' in text and "http_request_duration_seconds_bucket" in text


def test_turns_and_results_are_counted_in_the_client_every_channel_uses() -> None:
    result = {"type": "eligibility_result", "measures": [
        {"article": 4, "measure": "graduate_living_allowance", "status": "applies"},
        {"article": 6, "measure": "x", "status": "undecided"},
    ]}

    def rasa(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"recipient_id": "u", "text": "…", "custom": result}])

    client = client_for()
    applies = value(client, "eligibility_results_total", article="4", status="applies")
    turns = value(client, "chat_turns_total", outcome="ok")
    rasa_client = RasaClient("http://rasa.test")
    rasa_client._client = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    asyncio.run(rasa_client.send("web-1", "/ask_eligibility"))
    assert value(client, "eligibility_results_total", article="4", status="applies") == applies + 1
    assert value(client, "chat_turns_total", outcome="ok") == turns + 1


def test_metrics_need_the_staff_token_in_production() -> None:
    production = client_for(
        app_env="production",
        staff_api_token="metrics-token-for-tests",
        rasa_api_token="r" * 16,
        staff_users=f"zhangsan:{hash_password('a long passphrase')}",
        session_secret="k" * 40,
    )
    assert production.get("/metrics").status_code == 401
    ok = production.get("/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"})
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")
