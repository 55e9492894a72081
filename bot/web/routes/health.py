"""GET /healthz: is the web app up, and can it reach Rasa and the action server?"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.channels.rasa_client import split_urls
from bot.web.deps import SettingsDep

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 2.0


async def probe(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    """GET `url`; ok when it answers 200."""
    started = time.perf_counter()
    try:
        response = await client.get(url)
    except httpx.HTTPError as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}".rstrip(": ")}
    return {
        "ok": response.status_code == 200,
        "status_code": response.status_code,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }


@router.get("/healthz")
async def healthz(settings: SettingsDep) -> JSONResponse:
    # Internal services: never go through an HTTP proxy from the environment.
    # RASA_URL and ACTION_SERVER_URL may list several servers (the production profile):
    # each is probed, and all must answer.
    rasa_urls, action_urls = split_urls(settings.rasa_url), split_urls(settings.action_server_url)
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS, trust_env=False) as client:
        results = await asyncio.gather(
            *(probe(client, f"{url}/") for url in rasa_urls),
            *(probe(client, f"{url}/health") for url in action_urls),
        )
    rasa, action_server = results[: len(rasa_urls)], results[len(rasa_urls) :]
    healthy = all(result["ok"] for result in results)
    body: dict[str, Any] = {
        "status": "ok" if healthy else "degraded",
        "rasa": rasa[0],
        "action_server": action_server[0],
    }
    if len(results) > 2:
        body["rasa_servers"] = rasa
        body["action_servers"] = action_server
    return JSONResponse(body, status_code=200 if healthy else 503)
