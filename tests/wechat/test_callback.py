"""/wechat through the real app: WeChat's server (wechatpy) on one side, real HTTP servers on the other.

Rasa is a small real HTTP server on loopback (`FakeRasa`), so these tests stay fast; the
end-to-end test with the real Rasa is in test_wechat_e2e.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from bot.channels.wechat import WeChatChannel, sender_id
from bot.channels.wechat.channel import (
    PLEASE_SEND_TEXT,
    REPLY_DEADLINE_SECONDS,
    VOICE_NOT_RECOGNISED,
)
from bot.channels.wechat.render import MORE_HINT, REPLY_LIMIT_BYTES, utf8_len
from bot.settings import Settings
from bot.web.app import create_app
from tests.wechat.support import (
    OPENID,
    FakeRasa,
    FakeWeChatApi,
    WeChatServer,
    asgi_client,
    event_xml,
    message_xml,
    reply_content,
    running,
    sha1_signature,
    text_xml,
    wechat_app,
    wechat_settings,
)

MODES = ["plain", "compatible", "safe"]


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    with running(fake):
        yield fake


@pytest.fixture
def wechat_api() -> Iterator[FakeWeChatApi]:
    fake = FakeWeChatApi()
    with running(fake):
        yield fake


class Setup:
    def __init__(self, client: httpx.AsyncClient, channel: WeChatChannel) -> None:
        self.client = client
        self.channel = channel

    async def post(self, wechat: WeChatServer, xml: str, **sign: Any) -> tuple[httpx.Response, Any]:
        signed = wechat.sign(xml, **sign)
        response = await self.client.post("/wechat", params=signed.params, content=signed.body)
        return response, signed

    async def say(self, text: str, msg_id: int, mode: str = "plain") -> str:
        wechat = WeChatServer(mode)
        response, signed = await self.post(wechat, text_xml(text, msg_id=msg_id))
        return reply_content(wechat.read_reply(signed, response))


@pytest.fixture
async def setup(rasa: FakeRasa, wechat_api: FakeWeChatApi) -> AsyncIterator[Setup]:
    app, channel = wechat_app(wechat_settings(rasa.url, wechat_api.url), deadline=1.0)
    async with asgi_client(app) as client:
        yield Setup(client, channel)
    await channel.aclose()


# -- the channel on and off -------------------------------------------------------------


async def test_without_a_token_the_channel_is_off_and_says_why() -> None:
    app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    async with asgi_client(app) as client:
        get = await client.get("/wechat", params={"echostr": "x"})
        post = await client.post("/wechat", content=text_xml("你好"))

    assert get.status_code == post.status_code == 404
    assert "WECHAT_TOKEN" in get.json()["detail"]


def test_at_start_up_the_log_says_whether_the_channel_is_on(caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    with caplog.at_level("INFO"), TestClient(create_app(Settings(_env_file=None))):  # type: ignore[call-arg]
        pass
    assert "WeChat channel off: WECHAT_TOKEN is not set" in caplog.text

    caplog.clear()
    settings = wechat_settings("http://127.0.0.1:9", "http://127.0.0.1:9")
    with caplog.at_level("INFO"), TestClient(create_app(settings)):
        pass
    assert "WeChat channel on at /wechat: plain, compatible and safe mode" in caplog.text


# -- GET: the URL check when the account saves its server settings ----------------------


async def test_get_with_a_good_signature_echoes_echostr(setup: Setup) -> None:
    signed = WeChatServer().sign("")
    response = await setup.client.get("/wechat", params=signed.params | {"echostr": "4419837154869129"})

    assert response.status_code == 200
    assert response.text == "4419837154869129"


async def test_get_with_a_bad_signature_is_403(setup: Setup) -> None:
    signed = WeChatServer(token="not-our-token").sign("")
    response = await setup.client.get("/wechat", params=signed.params | {"echostr": "4419837154869129"})

    assert response.status_code == 403
    assert "4419837154869129" not in response.text


async def test_get_with_a_stale_timestamp_is_403(setup: Setup) -> None:
    signed = WeChatServer().sign("", timestamp=int(time.time()) - 301)
    response = await setup.client.get("/wechat", params=signed.params | {"echostr": "x"})

    assert response.status_code == 403
    assert "stale" in response.text


# -- POST: a text message in each mode -----------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_text_message_gets_the_bots_answer_in_each_mode(setup: Setup, rasa: FakeRasa, mode: str) -> None:
    wechat = WeChatServer(mode)
    response, signed = await setup.post(wechat, text_xml("你好", msg_id=11))

    reply = wechat.read_reply(signed, response)  # decrypted and its signature checked in safe/compatible mode
    assert reply_content(reply) == "收到：你好"
    assert f"<ToUserName><![CDATA[{OPENID}]]></ToUserName>" in reply
    if mode != "plain":
        assert "<Encrypt>" in response.text and "收到" not in response.text


async def test_rasa_sees_a_keyed_hash_of_the_openid_never_the_openid(setup: Setup, rasa: FakeRasa) -> None:
    await setup.say("你好", msg_id=12)

    sender = rasa.turns[0]["sender"]
    assert sender == sender_id(OPENID, b"test-sender-hash-key")
    assert OPENID not in sender and sender != sender_id(OPENID, b"another-key")


@pytest.mark.parametrize("mode", MODES)
async def test_a_bad_signature_is_403_and_reaches_no_one(setup: Setup, rasa: FakeRasa, mode: str) -> None:
    response, _ = await setup.post(WeChatServer(mode, token="not-our-token"), text_xml("你好"))

    assert response.status_code == 403
    assert rasa.turns == []


async def test_a_stale_message_is_403(setup: Setup, rasa: FakeRasa) -> None:
    response, _ = await setup.post(WeChatServer("safe"), text_xml("你好"), timestamp=int(time.time()) - 3600)

    assert response.status_code == 403
    assert rasa.turns == []


async def test_a_forged_msg_signature_is_403(setup: Setup, rasa: FakeRasa) -> None:
    signed = WeChatServer("safe").sign(text_xml("你好"))
    signed.params["msg_signature"] = sha1_signature("guess", signed.timestamp, signed.nonce)

    response = await setup.client.post("/wechat", params=signed.params, content=signed.body)

    assert response.status_code == 403
    assert rasa.turns == []


async def test_a_message_for_another_app_id_is_403(setup: Setup, rasa: FakeRasa) -> None:
    response, _ = await setup.post(WeChatServer("safe", app_id="wxAnotherAccount"), text_xml("你好"))

    assert response.status_code == 403
    assert rasa.turns == []


XXE = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + text_xml("&xxe;")
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    + text_xml("&d;")
)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("document", [XXE, LAUGHS, "<xml><Content>", "<xml><MsgType>text</xml>"],
                         ids=["xxe", "billion-laughs", "truncated", "mismatched"])
async def test_hostile_or_malformed_xml_is_400_in_every_mode(
    setup: Setup, rasa: FakeRasa, mode: str, document: str
) -> None:
    response, _ = await setup.post(WeChatServer(mode), document)

    assert response.status_code == 400
    assert "root:" not in response.text
    assert rasa.turns == []


async def test_an_oversized_body_is_413(setup: Setup, rasa: FakeRasa) -> None:
    response, _ = await setup.post(WeChatServer(), text_xml("好" * 30_000))

    assert response.status_code == 413
    assert rasa.turns == []


# -- retries: one turn per message --------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_retried_msgid_gets_the_same_reply_and_starts_no_second_turn(
    setup: Setup, rasa: FakeRasa, mode: str
) -> None:
    wechat = WeChatServer(mode)
    xml = text_xml("我是高级工", msg_id=777)
    first, signed_first = await setup.post(wechat, xml)
    retry, signed_retry = await setup.post(wechat, xml)  # WeChat signs each retry anew

    assert reply_content(wechat.read_reply(signed_first, first)) == "收到：我是高级工"
    assert reply_content(wechat.read_reply(signed_retry, retry)) == "收到：我是高级工"
    assert len(rasa.turns) == 1


async def test_a_retry_while_the_first_is_still_running_waits_for_the_same_reply(
    setup: Setup, rasa: FakeRasa
) -> None:
    rasa.delay = 0.4
    wechat = WeChatServer()
    xml = text_xml("并发", msg_id=778)
    (first, s1), (retry, s2) = await asyncio.gather(setup.post(wechat, xml), setup.post(wechat, xml))

    assert reply_content(wechat.read_reply(s1, first)) == reply_content(wechat.read_reply(s2, retry)) == "收到：并发"
    assert len(rasa.turns) == 1


async def test_events_are_deduplicated_by_sender_and_create_time(setup: Setup, rasa: FakeRasa) -> None:
    wechat = WeChatServer()
    created = int(time.time())
    first, s1 = await setup.post(wechat, event_xml("subscribe", created=created))
    retry, s2 = await setup.post(wechat, event_xml("subscribe", created=created))

    assert reply_content(wechat.read_reply(s1, first)) == reply_content(wechat.read_reply(s2, retry))
    assert [turn["message"] for turn in rasa.turns] == ["/greet"]


# -- messages and events ---------------------------------------------------------------------


async def test_subscribe_gets_the_greeting_of_every_channel(setup: Setup, rasa: FakeRasa) -> None:
    rasa.replies = lambda text: [{"text": "您好！我是技能兴淄 政策咨询助手。"}] if text == "/greet" else []
    wechat = WeChatServer("safe")
    response, signed = await setup.post(wechat, event_xml("subscribe"))

    assert reply_content(wechat.read_reply(signed, response)) == "您好！我是技能兴淄 政策咨询助手。"


async def test_unsubscribe_gets_nothing_and_forgets_the_options(setup: Setup, rasa: FakeRasa) -> None:
    rasa.replies = lambda text: [{"text": "选一个", "buttons": [{"title": "甲", "payload": "/choose_a"}]}]
    await setup.say("开始", msg_id=31)
    response, _ = await setup.post(WeChatServer(), event_xml("unsubscribe"))

    assert response.text == "success"
    assert await setup.channel.store.get(f"wechat:options:{sender_id(OPENID, b'test-sender-hash-key')}") is None
    assert len(rasa.turns) == 1


async def test_a_menu_click_or_location_report_gets_nothing(setup: Setup, rasa: FakeRasa) -> None:
    for event in ("CLICK", "LOCATION", "VIEW_MINIPROGRAM"):
        response, _ = await setup.post(WeChatServer(), event_xml(event, created=int(time.time()) - len(event)))
        assert response.text == "success"
    assert rasa.turns == []


async def test_voice_with_recognition_is_treated_as_its_text(setup: Setup, rasa: FakeRasa) -> None:
    wechat = WeChatServer("safe")
    xml = message_xml("voice", "<MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format>"
                               "<Recognition><![CDATA[我是技师]]></Recognition>")
    response, signed = await setup.post(wechat, xml)

    assert reply_content(wechat.read_reply(signed, response)) == "收到：我是技师"


async def test_voice_without_recognition_asks_for_text(setup: Setup, rasa: FakeRasa) -> None:
    wechat = WeChatServer()
    xml = message_xml("voice", "<MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format>", msg_id=2002)
    response, signed = await setup.post(wechat, xml)

    assert reply_content(wechat.read_reply(signed, response)) == VOICE_NOT_RECOGNISED
    assert rasa.turns == []


@pytest.mark.parametrize(
    ("msg_type", "fields"),
    [
        ("image", "<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId>"),
        ("location", "<Location_X>36.8</Location_X><Location_Y>118.05</Location_Y><Scale>15</Scale>"
                     "<Label><![CDATA[淄博]]></Label>"),
        ("link", "<Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description><Url><![CDATA[u]]></Url>"),
        ("shortvideo", "<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>"),
    ],
)
async def test_other_message_types_get_a_polite_request_for_text(
    setup: Setup, rasa: FakeRasa, msg_type: str, fields: str
) -> None:
    wechat = WeChatServer()
    response, signed = await setup.post(wechat, message_xml(msg_type, fields, msg_id=3000 + len(msg_type)))

    assert reply_content(wechat.read_reply(signed, response)) == PLEASE_SEND_TEXT
    assert "请" in PLEASE_SEND_TEXT and "文字" in PLEASE_SEND_TEXT
    assert rasa.turns == []


# -- numbered options and "详情" ------------------------------------------------------------------

LEVELS = [
    {"title": "高级工", "payload": '/inform{"certificate_level":"senior"}'},
    {"title": "技师", "payload": '/inform{"certificate_level":"technician"}'},
    {"title": "高级技师", "payload": '/inform{"certificate_level":"senior_technician"}'},
]


async def test_a_number_answers_with_the_payload_of_that_option(setup: Setup, rasa: FakeRasa) -> None:
    rasa.replies = lambda text: (
        [{"text": "您持有哪一级证书？", "buttons": LEVELS}] if text == "证书补贴" else [{"text": f"记下了：{text}"}]
    )

    question = await setup.say("证书补贴", msg_id=41)
    answer = await setup.say("２", msg_id=42)  # a full-width 2 from a Chinese keyboard
    again = await setup.say("2", msg_id=43)  # the options were used up by the answer

    assert question == "您持有哪一级证书？\n1. 高级工\n2. 技师\n3. 高级技师\n\n回复1/2/3选择"
    assert [turn["message"] for turn in rasa.turns] == ["证书补贴", LEVELS[1]["payload"], "2"]
    assert answer == f"记下了：{LEVELS[1]['payload']}"
    assert again == "记下了：2"


async def test_a_number_beyond_the_options_is_sent_as_text(setup: Setup, rasa: FakeRasa) -> None:
    rasa.replies = lambda text: [{"text": "选", "buttons": LEVELS[:2]}]
    await setup.say("开始", msg_id=51)
    await setup.say("3", msg_id=52)

    assert rasa.turns[-1]["message"] == "3"


async def test_an_over_long_answer_fits_2048_bytes_and_details_return_the_rest(setup: Setup, rasa: FakeRasa) -> None:
    sentence = "本条措施的条件、金额和办理部门都在这里详细说明，请对照您的情况阅读。"
    long_text = "\n".join(f"第{n}条：" + sentence * 3 for n in range(1, 27))
    rasa.replies = lambda text: [{"text": long_text}]

    first = await setup.say("全部措施", msg_id=61, mode="safe")
    pages = []
    for msg_id in range(62, 80):
        page = await setup.say("详情", msg_id=msg_id, mode="safe")
        pages.append(page)
        if "继续查看" not in page:
            break

    assert utf8_len(first) <= REPLY_LIMIT_BYTES and first.endswith(MORE_HINT)
    assert all(utf8_len(page) <= REPLY_LIMIT_BYTES for page in pages)
    assert len(rasa.turns) == 1  # "详情" is answered from the stored pages
    seen = "".join((first + "".join(pages)).split())
    assert all(f"第{n}条" in seen for n in range(1, 27))
    assert "没有更多内容" in await setup.say("详情", msg_id=90)


# -- the 4-second rule ---------------------------------------------------------------------------


def test_the_production_deadline_leaves_a_second_of_wechats_five() -> None:
    assert REPLY_DEADLINE_SECONDS <= 4.0


async def test_a_slow_bot_gets_success_at_once_and_the_answer_through_the_customer_service_api(
    setup: Setup, rasa: FakeRasa, wechat_api: FakeWeChatApi
) -> None:
    rasa.delay = 1.5  # the channel's deadline is 1 s here (4 s in production)
    wechat = WeChatServer("safe")
    xml = text_xml("慢一点", msg_id=99)

    started = time.monotonic()
    response, _ = await setup.post(wechat, xml)
    elapsed = time.monotonic() - started
    retry, _ = await setup.post(wechat, xml)

    assert response.text == "success" and retry.text == "success"
    assert 1.0 <= elapsed < 1.5
    await asyncio.wait_for(asyncio.to_thread(wechat_api.sent_event.wait, 5), 6)
    assert wechat_api.sent == [{"touser": OPENID, "msgtype": "text", "text": {"content": "收到：慢一点"}}]
    assert len(rasa.turns) == 1
    assert [q["grant_type"] for q in wechat_api.token_requests] == [["client_credential"]]


async def test_the_access_token_is_cached_and_fetched_again_when_wechat_rejects_it(
    setup: Setup, wechat_api: FakeWeChatApi
) -> None:
    service = setup.channel.customer_service
    assert service is not None

    await service.send_text(OPENID, "一")
    await service.send_text(OPENID, "二")
    wechat_api.reject_tokens.add("token-1")  # as after the secret was reset
    await service.send_text(OPENID, "三")

    assert len(wechat_api.token_requests) == 2
    assert wechat_api.send_tokens == ["token-1", "token-1", "token-1", "token-2"]
    assert [m["text"]["content"] for m in wechat_api.sent] == ["一", "二", "三"]


async def test_an_access_token_near_its_expiry_is_fetched_again(setup: Setup, wechat_api: FakeWeChatApi) -> None:
    wechat_api.token_lifetime = 200  # less than the 300 s margin: every send fetches a fresh one
    service = setup.channel.customer_service
    assert service is not None

    await service.send_text(OPENID, "一")
    await service.send_text(OPENID, "二")

    assert wechat_api.send_tokens == ["token-1", "token-2"]


async def test_rasa_down_gets_a_busy_message_not_an_error(wechat_api: FakeWeChatApi) -> None:
    app, channel = wechat_app(wechat_settings("http://127.0.0.1:9", wechat_api.url))
    async with asgi_client(app) as client:
        wechat = WeChatServer()
        signed = wechat.sign(text_xml("你好", msg_id=5))
        response = await client.post("/wechat", params=signed.params, content=signed.body)
    await channel.aclose()

    assert "系统繁忙" in reply_content(wechat.read_reply(signed, response))
