"""POST /api/chat: one turn of the web chat, relayed to Rasa's REST channel.

The page and the widget send ``{"sender": "web-…", "message": "…"}`` and get
``{"messages": [...]}``: the bot's messages exactly as Rasa sends them (``text``,
``buttons``, ``custom``), less ``recipient_id``. Every refusal is JSON with a Chinese
``message`` the page shows as it is: 422 for an empty, over-long or malformed turn,
429 when one conversation sends too fast (bot/web/guards.py), 503 when Rasa cannot answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, validator
from starlette.exceptions import HTTPException

from bot.channels.rasa_client import BUSY_TEXT, RasaUnavailable
from bot.web.deps import RasaClientDep, SenderLimiterDep
from bot.web.guards import too_many

MAX_MESSAGE_CHARS = 500
# Web senders are "web-" and 16-64 letters, digits, "_" or "-" (the page makes 32 random
# hex digits). The prefix keeps web visitors out of other channels' conversations.
SENDER_PATTERN = re.compile(r"web-[A-Za-z0-9_-]{16,64}")

EMPTY_TEXT = "请输入您的问题。"
TOO_LONG_TEXT = f"消息太长了：每条最多{MAX_MESSAGE_CHARS}个字，请分几次发送。"
BAD_SENDER_TEXT = "会话编号无效，请刷新页面后再试。"
BAD_REQUEST_TEXT = "请求格式不正确，请刷新页面后再试。"


class ChatTurn(BaseModel):
    sender: str = Field(..., description='the conversation id the page keeps, "web-" and 16-64 characters')
    message: str = Field(
        ..., description=f"what the user typed or a button's payload, at most {MAX_MESSAGE_CHARS} characters"
    )

    class Config:
        extra = "forbid"
        schema_extra: ClassVar[dict[str, Any]] = {
            "example": {"sender": "web-3f9c2a7be1d04c55a0e4b6f1c2d3e4f5", "message": "我是技校毕业的，高级工"}
        }

    @validator("sender")
    def _sender_format(cls, value: str) -> str:
        if not SENDER_PATTERN.fullmatch(value):
            raise ValueError(BAD_SENDER_TEXT)
        return value

    @validator("message")
    def _message_text(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError(EMPTY_TEXT)
        if len(text) > MAX_MESSAGE_CHARS:
            raise ValueError(TOO_LONG_TEXT)
        return text


def refusal(status_code: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status_code)


class ChatRoute(APIRoute):
    """Answers an invalid turn with the Chinese reason instead of FastAPI's English list."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                # Our validators raise ValueError with a Chinese sentence; anything else
                # (missing field, wrong type, not JSON) is a broken client, not a user's mistake.
                ours = [e["msg"] for e in exc.errors() if e.get("type") == "value_error"]
                return refusal(422, "invalid_turn", ours[0] if ours else BAD_REQUEST_TEXT)
            except HTTPException as exc:
                # FastAPI's 400 for a body it cannot decode at all (NUL bytes, UTF-16/32 guesses).
                if exc.status_code != 400:
                    raise
                return refusal(422, "invalid_turn", BAD_REQUEST_TEXT)

        return handle


router = APIRouter(prefix="/api", tags=["chat"], route_class=ChatRoute)


@router.post("/chat", summary="网页聊天：发一条消息，返回助手的回复")
async def chat(turn: ChatTurn, rasa: RasaClientDep, limiter: SenderLimiterDep) -> Response:
    if (wait := limiter.allow(turn.sender)) > 0:
        return too_many(wait)
    try:
        messages = await rasa.send(turn.sender, turn.message, metadata={"channel": "web"})
    except RasaUnavailable:
        return refusal(503, "rasa_unavailable", BUSY_TEXT)
    return JSONResponse({"messages": [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages]})
