"""GET and POST /wechat: the callback URL of the WeChat Official Account.

Off (404 with the reason) unless WECHAT_TOKEN is set; the start-up log says which.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from bot.channels.rasa_client import RasaClient
from bot.channels.wechat import WeChatChannel, WeChatConfig, WeChatRequestError
from bot.channels.wechat.protocol import MAX_BODY_BYTES
from bot.settings import Settings

log = logging.getLogger(__name__)

OFF_REASON = "the WeChat channel is off: WECHAT_TOKEN is not set"


def channel_for(app: FastAPI) -> WeChatChannel | None:
    """The app's channel, made on first use (tests may put their own in `app.state.wechat_channel`)."""
    if not hasattr(app.state, "wechat_channel"):
        settings: Settings = app.state.settings
        config = WeChatConfig.from_settings(settings)
        app.state.wechat_channel = WeChatChannel(config, RasaClient(settings.rasa_url)) if config else None
    channel: WeChatChannel | None = app.state.wechat_channel
    return channel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    channel = channel_for(app)
    if channel is None:
        log.warning("WeChat channel off: WECHAT_TOKEN is not set, /wechat answers 404")
    else:
        mode = "plain, compatible and safe mode" if channel.crypto else "plain mode only (no WECHAT_ENCODING_AES_KEY)"
        late = "on" if channel.customer_service else "off (no WECHAT_APP_ID/WECHAT_APP_SECRET: slow answers are lost)"
        log.info("WeChat channel on at /wechat: %s; late answers via the customer-service API %s", mode, late)
    yield
    if channel is not None:
        await channel.aclose()


router = APIRouter(tags=["wechat"], lifespan=lifespan)


def wechat_channel(request: Request) -> WeChatChannel:
    channel = channel_for(request.app)
    if channel is None:
        raise HTTPException(404, detail=OFF_REASON)
    return channel


ChannelDep = Annotated[WeChatChannel, Depends(wechat_channel)]


def _refused(error: WeChatRequestError) -> PlainTextResponse:
    log.warning("WeChat request refused (%d): %s", error.status_code, error.reason)
    return PlainTextResponse(error.reason, status_code=error.status_code)


async def _capped_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise WeChatRequestError(413, "body too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise WeChatRequestError(413, "body too large")
    return body


@router.get("/wechat", include_in_schema=False)
async def verify(request: Request, channel: ChannelDep) -> Response:
    try:
        return PlainTextResponse(channel.verify(request.query_params))
    except WeChatRequestError as error:
        return _refused(error)


@router.post("/wechat", include_in_schema=False)
async def receive(request: Request, channel: ChannelDep) -> Response:
    try:
        body = await _capped_body(request)
        content, media_type = await channel.handle(request.query_params, body)
    except WeChatRequestError as error:
        return _refused(error)
    return Response(content, media_type=media_type)
