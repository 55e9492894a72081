"""The WeChat path reaches Rasa through RasaClient and the guarded REST channel, so an ID or phone
number a WeChat user sends is masked before Rasa's tracker store, and the openid is never stored.

Against the real Rasa of the `stack` fixture; WeChat's server is played by wechatpy.
"""

from __future__ import annotations

import httpx
import pytest

from bot.channels.wechat.channel import sender_id
from tests.support import StackUrls
from tests.wechat.support import OPENID, WeChatServer, asgi_client, reply_content, text_xml, wechat_app, wechat_settings

pytestmark = pytest.mark.slow


async def test_an_id_number_sent_through_wechat_never_reaches_the_tracker_store(stack: StackUrls) -> None:
    settings = wechat_settings(stack.rasa, "http://127.0.0.1:9")
    app, _channel = wechat_app(settings, deadline=30)
    wechat = WeChatServer("safe")
    signed = wechat.sign(text_xml("我的身份证号370302199001011234，手机13812345678", msg_id=77001))

    async with asgi_client(app) as client:
        response = await client.post("/wechat", params=signed.params, content=signed.body)
    reply = reply_content(wechat.read_reply(signed, response))

    assert "保护您的隐私" in reply
    sender = sender_id(OPENID, settings.sender_hash_secret)
    tracker = httpx.get(f"{stack.rasa}/conversations/{sender}/tracker", timeout=30, trust_env=False)
    assert tracker.status_code == 200 and tracker.json()["events"]
    assert "370302199001011234" not in tracker.text and "13812345678" not in tracker.text
    user_texts = [e.get("text") or "" for e in tracker.json()["events"] if e["event"] == "user"]
    assert any("[身份证号已隐藏]" in t and "[手机号已隐藏]" in t for t in user_texts), user_texts
    assert OPENID not in tracker.text
