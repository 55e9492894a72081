"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.channels.rasa_client import RasaClient
from bot.settings import Settings
from bot.web.guards import SenderLimiter


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


def rasa_client(request: Request) -> RasaClient:
    client: RasaClient = request.app.state.rasa_client
    return client


RasaClientDep = Annotated[RasaClient, Depends(rasa_client)]


def sender_limiter(request: Request) -> SenderLimiter:
    limiter: SenderLimiter = request.app.state.sender_limiter
    return limiter


SenderLimiterDep = Annotated[SenderLimiter, Depends(sender_limiter)]
