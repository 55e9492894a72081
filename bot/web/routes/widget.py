"""GET /widget.js: the chat as a floating button on any page, with one script tag.

    <script src="https://<web app>/widget.js" defer></script>

The script finds the web app's address from its own ``src`` and loads the same
files as the chat page (bot/web/static/chat/). The page's site must be listed in
CORS_ORIGINS, or the browser will not let the widget call /api/chat.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.web.static_files import STATIC_DIR

router = APIRouter(tags=["pages"])


@router.get("/widget.js", summary="嵌入脚本：在任意网页上加一个咨询按钮", response_class=FileResponse)
async def widget_script() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
