"""One WeChat message in, at most one reply out, always inside WeChat's 5-second window.

`WeChatChannel.handle` checks the request (`protocol`), starts the turn once per
message however often WeChat retries it, and answers with the bot's reply when Rasa
has answered within `reply_deadline_seconds`; otherwise with "success", and the answer
follows through the customer-service API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wechatpy.events import SubscribeEvent, SubscribeScanEvent, UnsubscribeEvent
from wechatpy.messages import TextMessage, VoiceMessage
from wechatpy.replies import TextReply

from bot.channels.rasa_client import BUSY_TEXT, RasaClient, RasaUnavailable
from bot.channels.wechat.customer_service import CustomerService, CustomerServiceError
from bot.channels.wechat.protocol import (
    make_crypto,
    open_envelope,
    read_message,
    require_fresh,
    require_signature,
)
from bot.channels.wechat.render import render
from bot.channels.wechat.store import ChannelStore, MemoryStore
from bot.settings import Settings

log = logging.getLogger(__name__)

SUCCESS = "success"  # WeChat's "received, nothing to say": no retry, nothing shown
REPLY_DEADLINE_SECONDS = 4.0  # WeChat gives up after 5 s, network time included
SEEN_TTL_SECONDS = 600  # WeChat retries three times within about 15 s
USER_STATE_TTL_SECONDS = 24 * 3600
MAX_TEXT_CHARS = 600

DETAIL_WORDS = {"详情", "详细", "查看详情", "完整结果", "更多"}
WELCOME_PAYLOAD = "/greet"  # the same greeting as every channel
WELCOME_FALLBACK = "您好！欢迎关注技能兴淄 政策咨询助手。请用文字说说您的情况，我来告诉您哪些措施适用于您。"
PLEASE_SEND_TEXT = "您好，我目前只能阅读文字消息，请用文字描述您的问题。"
VOICE_NOT_RECOGNISED = "抱歉，没能识别这段语音，请用文字描述您的问题。"
NO_MORE_DETAILS = "没有更多内容了。您可以继续提问。"

_PENDING = json.dumps({"state": "pending"})
_LATE = json.dumps({"state": "late"})


@dataclass(frozen=True)
class WeChatConfig:
    token: str
    encoding_aes_key: str | None
    app_id: str | None
    app_secret: str | None
    api_base_url: str
    sender_hash_key: bytes
    reply_deadline_seconds: float = REPLY_DEADLINE_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> WeChatConfig | None:
        """The channel's configuration, or None when WECHAT_TOKEN is not set (channel off)."""
        if settings.wechat_token is None:
            return None
        return cls(
            token=settings.wechat_token.get_secret_value(),
            encoding_aes_key=(
                settings.wechat_encoding_aes_key.get_secret_value() if settings.wechat_encoding_aes_key else None
            ),
            app_id=settings.wechat_app_id,
            app_secret=settings.wechat_app_secret.get_secret_value() if settings.wechat_app_secret else None,
            api_base_url=settings.wechat_api_base_url,
            sender_hash_key=settings.sender_hash_secret,
        )


def sender_id(openid: str, key: bytes) -> str:
    """The id Rasa knows the user by: a keyed hash of the openid, so the openid itself is never stored."""
    return "wx-" + hmac.new(key, openid.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def option_number(text: str) -> int | None:
    """1..9 when the user answered with a number of the options (full-width digits too)."""
    normalised = unicodedata.normalize("NFKC", text).strip().rstrip(".。")
    return int(normalised) if re.fullmatch(r"[1-9]", normalised) else None


class WeChatChannel:
    def __init__(self, config: WeChatConfig, rasa: RasaClient, store: ChannelStore | None = None) -> None:
        self.config = config
        self.rasa = rasa
        self.store: ChannelStore = store or MemoryStore()
        self.crypto = make_crypto(config.token, config.encoding_aes_key, config.app_id)
        self.customer_service = (
            CustomerService(config.api_base_url, config.app_id, config.app_secret, self.store)
            if config.app_id and config.app_secret
            else None
        )
        self._background: set[asyncio.Task[None]] = set()

    # -- the two requests WeChat makes -------------------------------------------------

    def verify(self, query: Mapping[str, str]) -> str:
        """GET /wechat, when the server URL is saved in the account's settings: echo `echostr`."""
        require_fresh(query.get("timestamp"))
        require_signature(query.get("signature"), self.config.token, query.get("timestamp", ""), query.get("nonce", ""))
        return query.get("echostr", "")

    async def handle(self, query: Mapping[str, str], body: bytes) -> tuple[str, str]:
        """POST /wechat: the response body and its media type."""
        envelope = open_envelope(query, body, token=self.config.token, crypto=self.crypto, app_id=self.config.app_id)
        message = read_message(envelope.xml)
        content = await self._reply_once(message)
        if not content:
            return SUCCESS, "text/plain"
        # "]]>" would end the CDATA section the reply is written in.
        reply = TextReply(message=message, content=content.replace("]]>", "]] >")).render()
        if envelope.encrypted and self.crypto is not None:
            reply = self.crypto.encrypt_message(reply, query.get("nonce", ""))
        return reply, "application/xml"

    # -- one turn per message, however often WeChat sends it --------------------------

    def _seen_key(self, message: Any) -> str:
        # WeChat's advice: MsgId for messages, FromUserName + CreateTime for events.
        if getattr(message, "id", 0):
            return f"wechat:seen:msg:{message.id}"
        return f"wechat:seen:event:{sender_id(message.source, self.config.sender_hash_key)}:{message.time}"

    async def _reply_once(self, message: Any) -> str | None:
        key = self._seen_key(message)
        if not await self.store.add(key, _PENDING, SEEN_TTL_SECONDS):
            return await self._earlier_reply(key)
        turn = asyncio.create_task(self._turn(message))
        try:
            done, _ = await asyncio.wait({turn}, timeout=self.config.reply_deadline_seconds)
        except asyncio.CancelledError:  # WeChat hung up: the answer still goes out, late
            self._keep(asyncio.create_task(self._deliver_late(turn, message.source, key)))
            raise
        if done:
            reply = turn.result()
            await self.store.set(key, json.dumps({"state": "replied", "reply": reply}), SEEN_TTL_SECONDS)
            return reply
        self._keep(asyncio.create_task(self._deliver_late(turn, message.source, key)))
        return None

    async def _earlier_reply(self, key: str) -> str | None:
        """A retry: the reply given the first time, once it is there; "success" if it goes out late."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.config.reply_deadline_seconds
        while True:
            entry = json.loads(await self.store.get(key) or _LATE)
            if entry["state"] != "pending" or loop.time() >= give_up:
                reply = entry.get("reply")
                return reply if isinstance(reply, str) else None
            await asyncio.sleep(0.05)

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _deliver_late(self, turn: asyncio.Task[str | None], openid: str, key: str) -> None:
        await self.store.set(key, _LATE, SEEN_TTL_SECONDS)
        reply = await turn
        if not reply:
            return
        if self.customer_service is None:
            log.error("WeChat answer lost: the bot took longer than %.1f s and WECHAT_APP_SECRET is not set",
                      self.config.reply_deadline_seconds)
            return
        try:
            await self.customer_service.send_text(openid, reply)
        except CustomerServiceError as exc:
            log.error("WeChat answer lost: the customer-service API refused it (%s)", exc)

    # -- what the bot says --------------------------------------------------------------

    async def _turn(self, message: Any) -> str | None:
        """The reply to one message or event, or None for nothing."""
        sender = sender_id(message.source, self.config.sender_hash_key)
        try:
            if isinstance(message, SubscribeEvent | SubscribeScanEvent):
                try:
                    return await self._ask_rasa(sender, WELCOME_PAYLOAD) or WELCOME_FALLBACK
                except RasaUnavailable:
                    return WELCOME_FALLBACK
            if isinstance(message, UnsubscribeEvent):
                await self.store.delete(self._options_key(sender), self._pages_key(sender))
                return None
            if isinstance(message, VoiceMessage):
                text = (message.recognition or "").strip()
                return await self._answer_text(sender, text) if text else VOICE_NOT_RECOGNISED
            if isinstance(message, TextMessage):
                return await self._answer_text(sender, (message.content or "").strip())
            # wechatpy keeps the raw fields in `_data`; events it has no class for are "unknown" messages.
            if str(getattr(message, "_data", {}).get("MsgType", "")).lower() == "event":
                return None  # menu clicks, location reports, ...: nothing to say
                return None
            return PLEASE_SEND_TEXT  # image, location, link, video, ...
        except RasaUnavailable as exc:
            log.warning("Rasa did not answer a WeChat message: %s", exc)
            return BUSY_TEXT
        except Exception:
            log.exception("WeChat turn failed")
            return BUSY_TEXT

    async def _answer_text(self, sender: str, text: str) -> str | None:
        if not text:
            return PLEASE_SEND_TEXT
        if text in DETAIL_WORDS:
            return await self._next_page(sender)
        number = option_number(text)
        if number is not None:
            options = json.loads(await self.store.get(self._options_key(sender)) or "[]")
            if number <= len(options):
                return await self._ask_rasa(sender, options[number - 1])
        return await self._ask_rasa(sender, text[:MAX_TEXT_CHARS])

    async def _ask_rasa(self, sender: str, text: str) -> str | None:
        rendered = render(await self.rasa.send(sender, text))
        # The options and pages of the previous answer no longer apply.
        await self.store.delete(self._options_key(sender), self._pages_key(sender))
        if rendered.options:
            await self.store.set(self._options_key(sender), json.dumps(rendered.options), USER_STATE_TTL_SECONDS)
        if rendered.pages:
            await self.store.set(
                self._pages_key(sender), json.dumps(rendered.pages, ensure_ascii=False), USER_STATE_TTL_SECONDS
            )
        return rendered.reply or None

    async def _next_page(self, sender: str) -> str:
        pages = json.loads(await self.store.get(self._pages_key(sender)) or "[]")
        if not pages:
            return NO_MORE_DETAILS
        if len(pages) > 1:
            await self.store.set(self._pages_key(sender), json.dumps(pages[1:], ensure_ascii=False),
                                 USER_STATE_TTL_SECONDS)
        else:
            await self.store.delete(self._pages_key(sender))
        return str(pages[0])

    @staticmethod
    def _options_key(sender: str) -> str:
        return f"wechat:options:{sender}"

    @staticmethod
    def _pages_key(sender: str) -> str:
        return f"wechat:pages:{sender}"

    async def aclose(self, grace_seconds: float = 10.0) -> None:
        """Let late answers still going out finish (for up to `grace_seconds`), then close the clients."""
        if self._background:
            await asyncio.wait(set(self._background), timeout=grace_seconds)
        for task in list(self._background):
            task.cancel()
        if self.customer_service is not None:
            await self.customer_service.aclose()
        await self.rasa.aclose()
