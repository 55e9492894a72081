"""WeChat's customer-service message API: how an answer that missed the 5-second window still arrives.

POST {base}/cgi-bin/message/custom/send?access_token=... with the access token from
GET {base}/cgi-bin/token?grant_type=client_credential&appid=...&secret=..., cached in the
channel store (shared by every process when the store is) and fetched again five minutes
before it expires, or at once when WeChat says it is invalid or expired.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any

import httpx

from bot.channels.wechat.store import ChannelStore

log = logging.getLogger(__name__)

TOKEN_KEY = "wechat:access_token"
REFRESH_MARGIN_SECONDS = 300
# 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
TOKEN_ERRORS = {40001, 40014, 42001}
TIMEOUT_SECONDS = 10.0

_SECRET_QUERY = re.compile(r"((?:access_token|secret)=)[^&\s\"']+")


class _RedactSecrets(logging.Filter):
    """httpx logs each request's URL at INFO; the token and the app secret are in its query."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "access_token=" in message or "secret=" in message:
            record.msg, record.args = _SECRET_QUERY.sub(r"\1***", message), None
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


class CustomerServiceError(RuntimeError):
    """WeChat refused the token request or the message (its errcode and errmsg), or did not answer."""


class CustomerService:
    def __init__(self, base_url: str, app_id: str, app_secret: str, store: ChannelStore) -> None:
        self.base_url = base_url.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret
        self._store = store
        self._lock = asyncio.Lock()
        self._http = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, f"{self.base_url}{path}", **kwargs)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise CustomerServiceError(f"{path}: {type(exc).__name__}") from None
        if not isinstance(body, dict):
            raise CustomerServiceError(f"{path}: unexpected answer")
        return body

    async def access_token(self, *, refresh: bool = False) -> str:
        async with self._lock:
            cached = await self._store.get(TOKEN_KEY)
            if cached and not refresh:
                entry = json.loads(cached)
                if entry["expires_at"] - REFRESH_MARGIN_SECONDS > time.time():
                    return str(entry["token"])
            body = await self._call(
                "GET",
                "/cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret},
            )
            if not body.get("access_token"):
                raise CustomerServiceError(f"token: errcode {body.get('errcode')} {body.get('errmsg', '')}".strip())
            expires_in = int(body.get("expires_in", 7200))
            entry = {"token": body["access_token"], "expires_at": time.time() + expires_in}
            await self._store.set(TOKEN_KEY, json.dumps(entry), expires_in)
            return str(body["access_token"])

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text message (at most 2048 bytes) to the user; raise CustomerServiceError if refused."""
        # UTF-8 JSON, not \\u escapes: WeChat would show those literally.
        data = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": content}}, ensure_ascii=False)
        for attempt in (1, 2):
            token = await self.access_token(refresh=attempt == 2)
            body = await self._call(
                "POST",
                "/cgi-bin/message/custom/send",
                params={"access_token": token},
                content=data.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            errcode = body.get("errcode", 0)
            if errcode == 0:
                return
            if errcode not in TOKEN_ERRORS or attempt == 2:
                raise CustomerServiceError(f"send: errcode {errcode} {body.get('errmsg', '')}".strip())

    async def aclose(self) -> None:
        await self._http.aclose()
