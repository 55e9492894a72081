"""A staff test client and a tracker store written by Rasa's own SQLTrackerStore."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.staff.accounts import DEV_PASSWORD, DEV_USER
from bot.web.app import create_app

API_TOKEN = "staff-token-for-tests"
FACTS = {"asker": "person", "awards": ["national_silver"], "in_zibo": True}


def client(**settings: Any) -> TestClient:
    values: dict[str, Any] = {"staff_api_token": API_TOKEN, **settings}
    return TestClient(create_app(Settings(_env_file=None, **values)))  # type: ignore[arg-type]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def log_in(c: TestClient, user: str = DEV_USER, password: str = DEV_PASSWORD) -> None:
    page = c.get("/staff/login")
    response = c.post(
        "/staff/login",
        data={"username": user, "password": password, "csrf": csrf_of(page.text), "next": "/staff/search"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _run_in_thread(coroutine: Any) -> None:
    # Playwright's sync API keeps an event loop running in the main thread when the
    # browser tests share the session, so asyncio.run() has to happen elsewhere.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def write_tracker_store(directory: Path, code: str, sender: str = "web-abc123") -> Path:
    """A SQLite tracker store with one conversation that handed out ``code``; returns its endpoints.yml."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    db = directory / "tracker.db"
    domain = Domain.load("domain.yml")
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    result = {"type": "eligibility_result", "measures": [], "total_yuan": 80000}
    events = [
        ActionExecuted("action_listen"),
        UserUttered("我拿了全国技能大赛银牌", {"name": "inform", "confidence": 1.0}),
        SlotSet("facts", FACTS),
        BotUttered("您可以享受第22条全国技能大赛获奖选手奖励：8万元。", {"custom": result}),
        ActionExecuted("action_listen"),
        UserUttered("<b>转人工</b>", {"name": "ask_human", "confidence": 1.0}),
        BotUttered(f"请拨打12333，您的咨询编号：{code}", {"custom": {"type": "consultation_code", "code": code}}),
        SlotSet("consultation_code", code),
    ]
    other = [UserUttered("你好", {"name": "greet", "confidence": 1.0}), SlotSet("consultation_code", "ZZZZZZ")]
    for sender_id, evts in ((sender, events), ("someone-else", other)):
        _run_in_thread(store.save(DialogueStateTracker.from_events(sender_id, evts, domain.slots)))
    store.engine.dispose()
    endpoints = directory / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(db)}}), encoding="utf-8"
    )
    return endpoints
