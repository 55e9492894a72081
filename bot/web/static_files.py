"""The chat page's own files (bot/web/static/), served at /static."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles as _StarletteStaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"


class StaticFiles(_StarletteStaticFiles):
    """Static files that browsers revalidate on every load (a cheap 304), so a new
    release of the chat reaches a visitor without a stale script from the cache."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "no-cache"
        return response
