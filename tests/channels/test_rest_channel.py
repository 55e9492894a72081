"""The guarded REST channel of the running Rasa server: bad bodies, privacy, the same answers."""

from __future__ import annotations

import httpx
import pytest

from tests.support import StackUrls

pytestmark = pytest.mark.slow


def post(stack: StackUrls, content: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.post(f"{stack.rasa}/webhooks/rest/webhook", content=content,
                      headers={"content-type": content_type}, timeout=60, trust_env=False)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b'{"message": "hi"}',
                                  b'{"sender": "", "message": "hi"}', b'{"sender": "a", "message": 5}',
                                  b'{"sender": "a", "message": "hi", "metadata": [1]}',
                                  b"\xff\xfe\xfa", b'{"sender": "' + b"x" * 200 + b'", "message": "hi"}'])
def test_malformed_bodies_get_400_with_a_reason(stack: StackUrls, body: bytes) -> None:
    response = post(stack, body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_wrong_content_type_is_refused_not_crashed(stack: StackUrls) -> None:
    response = post(stack, b"sender=a&message=hi", "application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500


def test_id_and_phone_numbers_never_reach_the_tracker_store(stack: StackUrls) -> None:
    response = post(stack, '{"sender": "privacy-1", "message": "我的身份证号370302199001011234，手机13812345678"}'
                    .encode())
    assert response.status_code == 200
    texts = [m.get("text") or "" for m in response.json()]
    assert "保护您的隐私" in texts[0]
    tracker = httpx.get(f"{stack.rasa}/conversations/privacy-1/tracker", timeout=30, trust_env=False)
    assert tracker.status_code == 200
    assert "370302199001011234" not in tracker.text and "13812345678" not in tracker.text
    assert "身份证号已隐藏" in tracker.json()["latest_message"]["text"]
