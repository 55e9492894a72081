"""The one way every channel of the web app (web chat, WeChat) talks to Rasa.

It posts a user's message to Rasa's REST channel and returns the bot's messages as
Rasa sends them: dicts with ``text``, ``buttons`` (``title``/``payload``) and/or
``custom`` (the ``eligibility_result`` payload, the ``consultation_code``).

Several Rasa servers (the production profile): ``RasaClient("http://a:5005,http://b:5006")``
or a list sends each turn to the next server in turn. That is safe because the servers share
the tracker store (PostgreSQL) and the lock store (Redis): whichever server gets a turn loads
the conversation as the previous turn left it. A server that does not answer is skipped for
that turn (the next one is tried), so one restarting server does not fail turns.

Every turn is counted in the web app's metrics (bot/metrics.py), whatever the channel.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot import metrics

BUSY_TEXT = "系统繁忙，请稍后再试。"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, restarting, or too slow)."""


def split_urls(base_url: str | Sequence[str]) -> list[str]:
    """``"http://a,http://b/"`` or ``["http://a", ...]`` -> ``["http://a", "http://b"]``."""
    items = base_url.split(",") if isinstance(base_url, str) else list(base_url)
    urls = [item.strip().rstrip("/") for item in items if item.strip()]
    if not urls:
        raise ValueError("RasaClient needs at least one Rasa URL")
    return urls


@dataclass
class RasaClient:
    base_url: str | Sequence[str]
    timeout_seconds: float = 10.0
    _client: httpx.AsyncClient | None = None
    base_urls: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.base_urls = split_urls(self.base_url)
        self._turn = itertools.count()

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            # Internal service: never through a proxy from the environment.
            self._client = httpx.AsyncClient(timeout=self.timeout_seconds, trust_env=False)
        return self._client

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One user turn; raises RasaUnavailable when Rasa cannot answer."""
        started = time.perf_counter()
        try:
            messages = await self._send(sender_id, text, metadata)
        except RasaUnavailable:
            metrics.record_turn("unavailable", time.perf_counter() - started)
            raise
        metrics.record_turn("ok", time.perf_counter() - started, messages)
        return messages

    async def _send(self, sender_id: str, text: str, metadata: dict[str, Any] | None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        first = next(self._turn) % len(self.base_urls)
        error: RasaUnavailable | None = None
        for offset in range(len(self.base_urls)):
            base_url = self.base_urls[(first + offset) % len(self.base_urls)]
            try:
                response = await self._http().post(f"{base_url}/webhooks/rest/webhook", json=body)
            except httpx.ConnectError as exc:
                # Nothing reached Rasa: the turn can safely go to the next server.
                error = RasaUnavailable(f"{type(exc).__name__}: {exc}")
                continue
            except httpx.HTTPError as exc:
                # A timeout after sending may have been processed: do not send the turn twice.
                raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
            messages = response.json()
            if not isinstance(messages, list):
                raise RasaUnavailable("Rasa answered something other than a list of messages")
            return [m for m in messages if isinstance(m, dict)]
        assert error is not None
        raise error

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
