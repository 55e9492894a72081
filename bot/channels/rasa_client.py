"""The one way every channel of the web app (web chat, WeChat) talks to Rasa.

It posts a user's message to Rasa's REST channel and returns the bot's messages as
Rasa sends them: dicts with ``text``, ``buttons`` (``title``/``payload``) and/or
``custom`` (the ``eligibility_result`` payload, the ``consultation_code``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

BUSY_TEXT = "系统繁忙，请稍后再试。"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, restarting, or too slow)."""


@dataclass
class RasaClient:
    base_url: str
    timeout_seconds: float = 10.0
    _client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            # Internal service: never through a proxy from the environment.
            self._client = httpx.AsyncClient(timeout=self.timeout_seconds, trust_env=False)
        return self._client

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One user turn; raises RasaUnavailable when Rasa cannot answer."""
        body: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._http().post(f"{self.base_url}/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        messages = response.json()
        if not isinstance(messages, list):
            raise RasaUnavailable("Rasa answered something other than a list of messages")
        return [m for m in messages if isinstance(m, dict)]

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
