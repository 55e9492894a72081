"""The FastAPI app: `create_app()` and the module-level `app` that uvicorn serves."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

import bot
from bot.channels.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from bot.web import guards, metrics
from bot.web.routes import api_docs, chat, conversations, health, home, rules, search, staff, wechat, widget
from bot.web.static_files import STATIC_DIR, StaticFiles

# Every router of the app. Add a route module here to serve it.
ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    widget.router,
    chat.router,
    health.router,
    rules.router,
    search.router,
    conversations.router,
    staff.router,
    api_docs.router,
    wechat.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    rasa_client = RasaClient(settings.rasa_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything alive once the app is built lives as long as the process: exempt it from
        # later garbage collections (a full collection walked ~95,000 such objects, 33 ms in
        # a request; measured with gc.collect() after importing the app), as bot.rasa_speedups
        # does for the Rasa server.
        # Unfrozen at shutdown, so an app stopped in a longer-lived process (tests) is freed.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            await rasa_client.aclose()

    app = FastAPI(
        title="技能兴淄 政策咨询助手",
        version=bot.__version__,
        # /docs and /openapi.json are served by routes/api_docs.py: open in development,
        # behind the staff login in production.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rasa_client = rasa_client
    # Body-size cap and rate limits (bot/web/guards.py), inside CORS so refusals carry its headers.
    guards.install(app, settings)
    if settings.cors_origins:
        # Only the configured sites may call the API from their pages (the embedded widget).
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    for router in ROUTERS:
        app.include_router(router)
    # GET /metrics, and every request timed by its route template (bot/web/metrics.py).
    app.include_router(metrics.router)
    app.add_middleware(metrics.MetricsMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


app = create_app()
