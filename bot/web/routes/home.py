"""GET /: the chat page citizens open (on a phone first, in the WeChat in-app browser).

The page is a shell; bot/web/static/chat/ draws the conversation. No inline script or
style, so the Content-Security-Policy can forbid both: even if some text slipped
through as HTML, the browser would run none of it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["pages"])

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)

CHAT_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="format-detection" content="telephone=no">
<meta name="theme-color" content="#b3261e">
<title>技能兴淄 政策咨询助手</title>
<meta name="description" content="对照淄博市技能兴淄政策（共26条），测算您能享受哪些补贴、能领多少、找谁办理。">
<link rel="stylesheet" href="/static/chat/chat.css">
</head>
<body class="zc-page">
<div class="zc-root" data-zibo-chat>
<noscript><p class="zc-noscript">请开启浏览器的 JavaScript 后使用本助手，或拨打人社服务热线 12333 咨询。</p></noscript>
</div>
<script src="/static/chat/render.js"></script>
<script src="/static/chat/chat.js"></script>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, summary="聊天页面")
async def home() -> HTMLResponse:
    return HTMLResponse(
        CHAT_PAGE,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )
