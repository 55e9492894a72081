"""The OpenAPI docs: /docs (Swagger UI) and /openapi.json.

Open to anyone in development. In production they need a staff login (or, for
/openapi.json, the staff API token): the schema holds no data, but its readers are the
staff and the integrators of the hotline systems, nobody else needs the list of
endpoints, and Swagger UI loads its script from a CDN that the public pages should not
depend on.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from bot.settings import Settings
from bot.web.staff_auth import require_page_session, require_staff

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
def openapi(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    if settings.is_production:
        require_staff(request)
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    if settings.is_production:
        require_page_session(request)
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{request.app.title} · API")
