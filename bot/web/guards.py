"""What stands in front of every route of the web app: a cap on request bodies and rate limits.

- ``BodySizeLimit``: a body over ``MAX_BODY_BYTES`` gets 413 before any route reads it (by its
  Content-Length, or while it streams in when the length is not declared).
- ``RateLimit``: at most ``RATE_LIMIT_IP_PER_MINUTE`` requests a minute from one client address
  (429 with a Chinese message and Retry-After). Not counted: ``/static``, ``/healthz``,
  ``/metrics``, and ``/wechat``, whose requests all come from WeChat's few servers and are
  signed by them; a WeChat user is limited per openid instead (``/wechat`` answers "success",
  WeChat's "nothing to say", since a 429 only makes WeChat retry and show an error).
- ``SenderLimiter.allow`` (used by ``/api/chat``): at most ``RATE_LIMIT_SENDER_PER_MINUTE``
  turns a minute for one conversation, whichever address they come from.

The limits are token buckets: a client may spend a whole minute's allowance at once, then gets
it back at an even pace. They live in this process's memory; several web processes each count
their own share. The client address is what uvicorn gives: behind a reverse proxy it must set
X-Forwarded-For and be trusted by uvicorn (``--forwarded-allow-ips``, default 127.0.0.1), or
every citizen shares the proxy's address and its limit.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import Settings

TOO_MANY_TEXT = "您的请求太频繁了，请稍等一分钟再试。"
TOO_LARGE_TEXT = "请求内容太大，请缩短后再发送。"
UNLIMITED_PREFIXES = ("/static/", "/healthz", "/metrics")
WECHAT_PATH = "/wechat"
MAX_KEYS = 100_000  # buckets kept before full (idle) ones are dropped


@dataclass
class TokenBuckets:
    """``per_minute`` tokens per key, refilled continuously; 0 means no limit."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """0 when the request may go on; else the seconds until it would."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        rate = self.per_minute / 60.0
        tokens, at = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_KEYS:
            self._forget_full(now, rate)
        return 0.0

    def _forget_full(self, now: float, rate: float) -> None:
        # A bucket that has refilled is the same as no bucket.
        full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * rate >= self.per_minute]
        for key in full:
            del self._buckets[key]


class SenderLimiter:
    """Turns per minute of one conversation (a web sender id, a WeChat openid)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.buckets = TokenBuckets(per_minute, clock)

    def allow(self, sender: str) -> float:
        """0 when the turn may go on; else the seconds to wait."""
        return self.buckets.take(sender)


def too_many(retry_after: float) -> JSONResponse:
    """The 429 a route answers when a conversation sends too fast."""
    return JSONResponse({"error": "rate_limited", "message": TOO_MANY_TEXT}, status_code=429,
                        headers={"Retry-After": str(math.ceil(retry_after))})


def too_many_body(retry_after: float) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps({"error": "rate_limited", "message": TOO_MANY_TEXT}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"retry-after", str(math.ceil(retry_after)).encode())]
    return body, headers


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RateLimit:
    """Per-address limit on every route but the unlimited ones; per-openid limit on /wechat."""

    def __init__(self, app: ASGIApp, per_ip: int, senders: SenderLimiter) -> None:
        self.app = app
        self.ips = TokenBuckets(per_ip)
        self.senders = senders

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path == WECHAT_PATH and scope.get("method") == "POST":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            openid = (query.get("openid") or [""])[0]
            if openid and self.senders.allow(f"wechat:{openid}") > 0:
                await _respond(send, 200, b"success", [(b"content-type", b"text/plain; charset=utf-8")])
                return
        elif not path.startswith(UNLIMITED_PREFIXES):
            client = scope.get("client")
            address = client[0] if client else "unknown"
            if (wait := self.ips.take(address)) > 0:
                await _respond(send, 429, *too_many_body(wait))
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """413 for a request body over ``max_bytes`` (0: no limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        too_large = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Whatever the route makes of this (FastAPI turns it into a 400), the
                    # client gets the 413 below instead.
                    too_large = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if too_large:
                return
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if too_large and not answered:
            await self._refuse(send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        body = json.dumps({"error": "too_large", "message": TOO_LARGE_TEXT}, ensure_ascii=False).encode()
        await _respond(send, 413, body, [(b"content-type", b"application/json"), (b"connection", b"close")])


def install(app: FastAPI, settings: Settings) -> None:
    """Add both guards to ``app``; ``app.state.sender_limiter`` is the per-conversation limit.

    Call it before adding the CORS middleware, so that a 413 or 429 carries the CORS headers
    and the widget on another site can show its message.
    """
    app.state.sender_limiter = SenderLimiter(settings.rate_limit_sender_per_minute)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimit, per_ip=settings.rate_limit_ip_per_minute, senders=app.state.sender_limiter)
