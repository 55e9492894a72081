"""Fuzzing every entry point of the web app in-process: 2,000 inputs each, never a 500.

The web app runs in this process (FastAPI's TestClient); Rasa is `FakeRasa`, a real HTTP server
on loopback answering like Rasa's REST channel, so /api/chat and /wechat go through the real
RasaClient and HTTP without the 0.1-0.3 s a real Rasa turn costs. What the real Rasa makes of the
same texts is fuzzed in test_fuzz_rest.py against the running stack.
Rate limits are off here (they would answer 429 before the routes see the input); the body cap
stays on, so the 100 KB bodies meet it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.web.app import create_app
from bot.web.routes.chat import SENDER_PATTERN
from tests.security.strategies import CONTENT_TYPES, bodies, chat_turns, eligibility_request, json_value, text, to_body
from tests.wechat.support import FakeRasa, WeChatServer, running, text_xml, wechat_settings

FUZZ = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STAFF_TOKEN = "staff-token-for-fuzzing"


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    with running(fake):
        yield fake


@pytest.fixture(scope="module")
def client(rasa: FakeRasa) -> Iterator[TestClient]:
    config = wechat_settings(rasa.url, "http://127.0.0.1:9", rate_limit_ip_per_minute=0,
                             rate_limit_sender_per_minute=0, staff_api_token=STAFF_TOKEN)
    with TestClient(create_app(config), raise_server_exceptions=False) as test_client:
        yield test_client


def refusal_in_chinese(body: dict[str, Any]) -> bool:
    message = str(body.get("message", ""))
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


short_text = text.filter(lambda t: len(t) <= 200)
senders = st.one_of(
    st.just("web-0123456789abcdef0123456789abcdef"),
    st.from_regex(SENDER_PATTERN, fullmatch=True),
    text,
)


@FUZZ
@given(body=bodies(chat_turns(senders)), content_type=st.sampled_from(CONTENT_TYPES))
def test_api_chat_answers_every_body_with_messages_or_a_chinese_refusal(
    client: TestClient, body: bytes, content_type: str
) -> None:
    response = client.post("/api/chat", content=body, headers={"content-type": content_type})

    assert response.status_code in (200, 413, 422), (response.status_code, response.text[:300])
    answer = response.json()
    if response.status_code == 200:
        assert isinstance(answer["messages"], list) and answer["messages"]
    else:
        assert refusal_in_chinese(answer), answer


@FUZZ
@given(request=eligibility_request, content_type=st.sampled_from(CONTENT_TYPES), broken=st.booleans())
def test_api_eligibility_answers_every_body_with_a_result_or_422(
    client: TestClient, request: Any, content_type: str, broken: bool
) -> None:
    body = to_body(request)
    response = client.post("/api/eligibility", content=body[:-1] if broken else body,
                           headers={"content-type": content_type})

    assert response.status_code in (200, 413, 422), (response.status_code, response.text[:300])
    if response.status_code == 200:
        assert "measures" in response.json()


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    path=st.sampled_from(["/api/measures", "/api/eligibility", "/api/chat", "/api/search"]),
    query=st.dictionaries(short_text, short_text, max_size=3),  # URLs have a length limit of their own
    body=st.one_of(st.binary(max_size=200), json_value.map(to_body)),
)
def test_api_routes_answer_any_method_query_and_body_without_a_500(
    client: TestClient, method: str, path: str, query: dict[str, str], body: bytes
) -> None:
    response = client.request(method, path, params=query, content=body)
    assert response.status_code < 500, (method, path, response.status_code, response.text[:300])


@FUZZ
@given(query=short_text, token=st.sampled_from([None, STAFF_TOKEN, "wrong"]), code=text)
def test_staff_api_answers_any_query_and_code_without_a_500(
    client: TestClient, query: str, token: str | None, code: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    search = client.get("/api/search", params={"q": query}, headers=headers)
    conversation = client.get(f"/api/conversations/{quote(code, safe='')}", headers=headers)

    assert search.status_code < 500, (search.status_code, search.text[:300])
    # 503: no tracker store in this process (no SQLite file); that is the honest answer.
    assert conversation.status_code < 500 or conversation.status_code == 503, conversation.text[:300]
    if token != STAFF_TOKEN:
        assert search.status_code == 401 and conversation.status_code in (401, 404)


def xml_legal(text: str) -> bool:
    return all(ch in "\t\n\r" or " " <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000"
               for ch in text)


_msg_ids = itertools.count(10_000)
plain, safe = WeChatServer("plain"), WeChatServer("safe")


wechat_bodies = st.one_of(
    st.builds(lambda content: ("message", text_xml(content.replace("]]>", ""), msg_id=next(_msg_ids))), text),
    st.builds(lambda raw: ("xml", raw), st.one_of(text, st.sampled_from([
        "<xml></xml>", "<xml><MsgType>text</MsgType></xml>", "<!DOCTYPE x [<!ENTITY a 'b'>]><xml>&a;</xml>",
        "<xml><ToUserName>" + "a" * 70_000 + "</ToUserName></xml>", "<not-xml", "<xml><Encrypt>abc</Encrypt></xml>",
    ]))),
    st.builds(lambda raw: ("bytes", raw), st.binary(max_size=300)),
)


@FUZZ
@given(kind_and_body=wechat_bodies, server=st.sampled_from([plain, safe]), signed=st.booleans())
def test_wechat_answers_every_callback_with_a_reply_or_a_4xx(
    client: TestClient, kind_and_body: tuple[str, Any], server: WeChatServer, signed: bool
) -> None:
    kind, body = kind_and_body
    if kind == "bytes":
        params, content = {"signature": "x", "timestamp": str(int(time.time())), "nonce": "1"}, body
    else:
        envelope = server.sign(body)
        params, content = envelope.params, envelope.body.encode("utf-8")
        if not signed:
            params = {**params, "signature": "0" * 40, "msg_signature": "0" * 40}
    response = client.post("/wechat", params=params, content=content, headers={"content-type": "text/xml"})

    assert response.status_code in (200, 400, 403, 413), (response.status_code, response.text[:300])
    if kind == "message" and signed:
        # WeChat never sends characters XML 1.0 forbids (NUL, most control characters); we refuse them.
        assert response.status_code == 200 or (response.status_code == 400 and not xml_legal(body)), response.text
        if response.status_code == 200 and response.text != "success":
            assert len(server.read_reply(envelope, response).encode("utf-8")) < 4096

