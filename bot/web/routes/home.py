"""GET /: the page users open. The chat widget comes later."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["pages"])

HOME_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>技能兴淄 政策咨询助手</title>
</head>
<body>
<main>
<h1>技能兴淄 政策咨询助手</h1>
<p>本助手依据淄博市2022年印发的《关于开展技能兴淄行动加强新时代技能人才队伍建设的若干措施》（共26条），
帮您了解哪些措施适用于您、能享受多少、由谁发放、找哪个部门办理，并注明出自政策第几条。
其他人社业务请拨打人社服务热线 12333。</p>
</main>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse)
async def home() -> HTMLResponse:
    return HTMLResponse(HOME_PAGE)
