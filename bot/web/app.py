"""The FastAPI app: `create_app()` and the module-level `app` that uvicorn serves."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

import bot
from bot.settings import Settings, get_settings
from bot.web.routes import health, home, rules

# Every router of the app. Add a route module here to serve it.
ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    health.router,
    rules.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="技能兴淄 政策咨询助手",
        version=bot.__version__,
        # Interactive API docs only in development.
        docs_url=None if settings.is_production else "/docs",
        redoc_url=None,
        openapi_url=None if settings.is_production else "/openapi.json",
    )
    app.state.settings = settings
    for router in ROUTERS:
        app.include_router(router)
    return app


app = create_app()
