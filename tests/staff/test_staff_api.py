"""GET /api/search and GET /api/conversations/{code}: staff only, and never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.staff.support import API_TOKEN, FACTS, client, log_in, write_tracker_store

BEARER = {"Authorization": f"Bearer {API_TOKEN}"}


@pytest.fixture(scope="module")
def api() -> TestClient:
    return client()


@pytest.mark.parametrize("path", ["/api/search?q=技师补贴", "/api/conversations/ZB3K7Q"])
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {API_TOKEN}"}, {"Authorization": "Bearer "}],
)
def test_without_a_session_or_the_token_it_is_401(api: TestClient, path: str, headers: dict[str, str]) -> None:
    response = api.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_without_a_configured_token_no_bearer_is_accepted() -> None:
    response = client(staff_api_token=None).get("/api/search?q=技师", headers={"Authorization": "Bearer "})
    assert response.status_code == 401


def test_the_token_gives_ranked_hits(api: TestClient) -> None:
    response = api.get("/api/search", params={"q": "全国技能大赛银牌奖励多少", "k": 3}, headers=BEARER)

    assert response.status_code == 200
    hits = response.json()["hits"]
    assert len(hits) == 3
    assert hits[0]["article"] == 22 and hits[0]["score"] == 1.0
    assert set(hits[0]) >= {"article", "title", "snippet", "score"}


def test_a_staff_session_cookie_is_enough() -> None:
    c = client()
    log_in(c)
    assert c.get("/api/search", params={"q": "首席技师津贴"}).json()["hits"][0]["article"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": "技" * 5000},
        {"q": "！？。，、；：“”（）"},
        {"q": "!@#$%^&*()_+-=[]{}|;':\",./<>?"},
        {"q": "😀🎉"},
        {"q": "\x00\x1f"},
        {"q": "技师", "k": "0"},
        {"q": "技师", "k": "1000"},
        {"q": "技师", "k": "abc"},
    ],
)
def test_bad_queries_give_422_or_no_hits_never_500(api: TestClient, params: dict[str, str]) -> None:
    response = api.get("/api/search", params=params, headers=BEARER)
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json() == {"hits": []}


@pytest.fixture(scope="module")
def with_conversation(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    endpoints = write_tracker_store(tmp_path_factory.mktemp("tracker"), "ZB3K7Q")
    return client(rasa_endpoints=endpoints)


@pytest.mark.parametrize("q", ["' OR 1=1 --", "<script>alert(1)</script>", "技师\n" * 60, "%00%s%n"])
def test_odd_queries_are_searched_as_text(api: TestClient, q: str) -> None:
    response = api.get("/api/search", params={"q": q}, headers=BEARER)
    assert response.status_code == 200
    assert all("<" not in hit["title"] for hit in response.json()["hits"])


def test_a_code_gives_facts_result_and_transcript(with_conversation: TestClient) -> None:
    response = with_conversation.get("/api/conversations/ZB3K7Q", headers=BEARER)

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ZB3K7Q" and body["sender_id"] == "web-abc123"
    assert body["facts"] == FACTS
    national = next(m for m in body["result"]["measures"] if m["measure"] == "national_competition_prize")
    assert national["status"] == "applies" and national["amount"]["total_yuan"] == 80000
    assert body["chat_result"]["total_yuan"] == 80000
    assert [(t["speaker"], t["text"][:4]) for t in body["transcript"]] == [
        ("user", "我拿了全"), ("bot", "您可以享"), ("user", "<b>转"), ("bot", "请拨打1"),
    ]


def test_codes_are_read_case_insensitively(with_conversation: TestClient) -> None:
    assert with_conversation.get("/api/conversations/zb3k7q", headers=BEARER).json()["code"] == "ZB3K7Q"


def test_an_unknown_code_is_404_in_chinese(with_conversation: TestClient) -> None:
    response = with_conversation.get("/api/conversations/ABCDEF", headers=BEARER)
    assert response.status_code == 404
    assert "没有找到咨询编号 ABCDEF" in response.json()["detail"]


@pytest.mark.parametrize("code", ["ZB3K7", "ZB3K7QQ", "ZB3K7O", "ZB3K71", "ZB%25K7Q", "%27%3B--", "x" * 40])
def test_a_malformed_code_is_422(with_conversation: TestClient, code: str) -> None:
    response = with_conversation.get(f"/api/conversations/{code}", headers=BEARER)
    assert response.status_code == 422


def test_without_a_tracker_database_a_code_is_simply_not_found(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'none.db'}\n")
    response = client(rasa_endpoints=endpoints).get("/api/conversations/ZB3K7Q", headers=BEARER)
    assert response.status_code == 404
    assert not (tmp_path / "none.db").exists()  # read-only: nothing created


def test_without_an_sql_tracker_store_it_says_so(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    response = client(rasa_endpoints=endpoints).get("/api/conversations/ZB3K7Q", headers=BEARER)
    assert response.status_code == 503
