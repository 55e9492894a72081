"""Rasa's REST channel, guarded: the same URL (/webhooks/rest/webhook) and the same answers,
plus what a public entry point needs.

- A body that is not a JSON object with a text ``message`` and a ``sender`` gets a 400 with a
  reason, not a 500; an over-long message is cut before the NLU sees it (the web channels refuse
  it earlier with their own note).
- ID card and phone numbers are masked before the message reaches the tracker store or the logs.
- When the bot produced nothing for a real message (the action server is down, an action
  failed), the user gets "系统繁忙，请稍后再试。" instead of silence.

credentials.yml names this class; ``name()`` stays ``rest`` so the URL does not change.
"""

from __future__ import annotations

import gc
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups
from bot.channels.rasa_client import BUSY_TEXT
from bot.privacy import mask_identifiers

# Rasa imports this channel at start-up (credentials.yml): the place to tune Rasa itself.
rasa_speedups.apply()

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000  # more than any channel lets through (web 500, WeChat 2048 bytes)
MAX_SENDER_CHARS = 128
PRIVACY_NOTE = "为保护您的隐私，请不要发送身份证号、手机号等个人信息，我已自动隐藏。"


def _bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            # gc_frozen: objects exempt from garbage collection since start-up (rasa_speedups).
            return response.json({"status": "ok", "gc_frozen": gc.get_freeze_count()})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own error types for malformed JSON
                return _bad_request("请求体不是有效的 JSON")
            if not isinstance(body, dict):
                return _bad_request("请求体必须是 JSON 对象：{\"sender\": \"…\", \"message\": \"…\"}")
            sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return _bad_request(f"sender 必须是1到{MAX_SENDER_CHARS}个字符的字符串")
            if not isinstance(text, str):
                return _bad_request("message 必须是字符串")
            if metadata is not None and not isinstance(metadata, dict):
                return _bad_request("metadata 必须是 JSON 对象")
            text = text.replace("\x00", "")[:MAX_MESSAGE_CHARS]
            text, masked = mask_identifiers(text)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                 metadata=metadata))
            except CancelledError:
                log.error("REST turn cancelled (timeout) for a sender")
            except Exception:
                log.exception("REST turn failed")
            messages: list[dict[str, Any]] = list(collector.messages)
            if not messages and text.strip() and not text.startswith("/session_start"):
                messages.append({"recipient_id": sender, "text": BUSY_TEXT})
            if masked:
                messages.insert(0, {"recipient_id": sender, "text": PRIVACY_NOTE})
            return response.json(messages)

        @webhook.listener("after_server_start")
        async def freeze_loaded_objects(app: Any, loop: Any) -> None:
            # Rasa loads the model before the server starts (a before_server_start listener).
            frozen = rasa_speedups.freeze_heap()
            log.info("froze %d objects loaded at start-up out of garbage collection", frozen)

        @webhook.listener("after_server_stop")
        async def close_connections(app: Any, loop: Any) -> None:
            await rasa_speedups.close_kept_sessions()

        return webhook
