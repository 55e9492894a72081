"""End to end: WeChat's server (wechatpy, safe mode) -> /wechat -> the real Rasa and action server."""

from __future__ import annotations

import re

import pytest

from bot.channels.wechat.render import CONTINUE_HINT, MORE_HINT, REPLY_LIMIT_BYTES, utf8_len
from tests.support import StackUrls
from tests.wechat.support import WeChatServer, asgi_client, reply_content, text_xml, wechat_app, wechat_settings

pytestmark = pytest.mark.slow


class Conversation:
    """One WeChat user talking to the real bot; every reply is checked against the 2048-byte limit."""

    def __init__(self, stack: StackUrls, openid: str) -> None:
        # No customer-service API here, and a deadline long enough that the real bot always
        # answers in the passive reply: the late path has its own tests.
        self.app, self.channel = wechat_app(wechat_settings(stack.rasa, "http://127.0.0.1:9"), deadline=30)
        self.wechat = WeChatServer("safe")
        self.openid = openid
        self.msg_id = abs(hash(openid)) % 10**12

    async def say(self, text: str) -> str:
        self.msg_id += 1
        signed = self.wechat.sign(text_xml(text, msg_id=self.msg_id, openid=self.openid))
        async with asgi_client(self.app) as client:
            response = await client.post("/wechat", params=signed.params, content=signed.body)
        reply = reply_content(self.wechat.read_reply(signed, response))
        assert 0 < utf8_len(reply) <= REPLY_LIMIT_BYTES
        return reply


async def test_a_greeting_through_wechat_gets_the_chinese_greeting(stack: StackUrls) -> None:
    conversation = Conversation(stack, "oE2E-greeting")

    reply = await conversation.say("你好")
    await conversation.channel.aclose()

    assert "技能兴淄" in reply and "26" in reply
    assert "**" not in reply


def option(reply: str, *titles: str) -> str | None:
    """The number of the first option (in the order of `titles`) the reply offers."""
    offered = dict((title, number) for number, title in re.findall(r"^(\d)\. (.+)$", reply, re.MULTILINE))
    return next((offered[t] for t in titles if t in offered), None)


async def test_a_graduate_answers_by_numbers_and_gets_the_living_allowance(stack: StackUrls) -> None:
    conversation = Conversation(stack, "oE2E-graduate")

    reply = await conversation.say("我是技校毕业的，高级工，2025年毕业，在张店一家企业全职上班")
    replies = [reply]
    for _ in range(15):
        number = option(reply, "都没有", "是", "不清楚")
        if number is None:
            break
        assert re.search(r"回复1(/\d)*选择", reply)
        reply = await conversation.say(number)
        replies.append(reply)
    else:
        pytest.fail("still asking after 15 questions:\n" + reply)
    while reply.endswith((MORE_HINT, CONTINUE_HINT)):
        reply = await conversation.say("详情")
        replies.append(reply)
    await conversation.channel.aclose()

    everything = "\n".join(replies)
    assert "第4条" in everything
    assert "500元/月×60个月=30000元" in everything
