"""GET /api/measures and POST /api/eligibility through the real app (no Rasa needed)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.rules import knowledge
from bot.settings import Settings
from bot.web.app import create_app

client = TestClient(create_app(Settings(_env_file=None)))  # type: ignore[call-arg]


def compact(text: str) -> str:
    return "".join(text.split())


def test_catalogue_lists_articles_1_to_26_with_verbatim_sources() -> None:
    response = client.get("/api/measures")
    assert response.status_code == 200
    items = response.json()
    assert [item["article"] for item in items] == list(range(1, 27))
    policy = compact(knowledge().policy_text)
    for item in items:
        assert isinstance(item["article"], int)
        assert compact(item["source"]) in policy
        for measure in item["measures"]:
            assert measure["article"] == item["article"]
            assert compact(measure["source"]) and all(compact(q) in policy for q in measure["quotes"])
            assert measure["beneficiary"] and measure["how_to_apply"]
    article4 = items[3]["measures"][1]
    assert article4["id"] == "graduate_living_allowance"
    values = article4["parameters"][0]["values"][0]
    assert values == {"from": "2022-07-26", "value": {"intermediate": 300, "senior": 500,
                                                       "preparatory_technician": 1000}}


def test_eligibility_returns_the_chat_payload_with_explanation() -> None:
    response = client.post("/api/eligibility", json={
        "facts": {"asker": "person", "awards": ["national_silver", "provincial_gold"]},
        "as_of": "2026-11-25",
    })
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "eligibility_result" and body["as_of"] == "2026-11-25"
    by_id = {m["measure"]: m for m in body["measures"]}
    assert by_id["national_competition_prize"]["status"] == "applies"
    assert by_id["national_competition_prize"]["amount"]["total_yuan"] == 80000
    assert by_id["provincial_competition_prize"]["amount"]["total_yuan"] == 10000
    assert body["total_yuan"] == 90000
    assert "第22条" in body["explanation"] and "8万元" in body["explanation"]
    assert body["next_questions"] and body["next_questions"][0]["question"]


def test_unknown_fact_is_422_naming_it_and_the_allowed_names() -> None:
    response = client.post("/api/eligibility", json={"facts": {"salary": 1}})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["fact"] == "salary" and "agreed_annual_salary" in detail["allowed"]


def test_invalid_value_is_422_naming_the_allowed_values() -> None:
    response = client.post("/api/eligibility", json={"facts": {"certificate_level": "三级"}})
    assert response.status_code == 422
    assert response.json()["detail"]["allowed"][:3] == ["none", "junior", "intermediate"]


def test_malformed_requests_are_4xx_not_500() -> None:
    for body in (b"not json", b'{"facts": 5}', b'{"facts": {}, "as_of": "yesterday"}',
                 b'{"facts": {}, "extra": 1}'):
        response = client.post("/api/eligibility", content=body,
                               headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, body
