"""GET /metrics and the middleware that times every request by its route template.

The route is named by its template (``/api/conversations/{code}``), never the raw path, so an
id does not become a label. The metrics themselves are defined in ``bot.metrics``. Open in
development; with APP_ENV=production /metrics needs ``Authorization: Bearer <STAFF_API_TOKEN>``.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.metrics import HTTP_LATENCY, HTTP_REQUESTS, REGISTRY
from bot.web.staff_auth import require_staff

UNMATCHED = "<unmatched>"


def _route_template(scope: Scope) -> str:
    # The same matching Starlette does, to name the route by its template.
    app = scope.get("app")
    router = getattr(app, "router", None)
    for route in getattr(router, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", UNMATCHED))
    return UNMATCHED


class MetricsMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would buffer streamed responses)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        # Before the app runs: a Mount rewrites the scope's root_path on the way in.
        route = _route_template(scope)

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            HTTP_LATENCY.labels(method=method, route=route).observe(time.perf_counter() - started)


router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    # Open in development; in production only for the staff token (Prometheus' bearer_token).
    if request.app.state.settings.is_production:
        require_staff(request)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
