"""The hotline staff console in a real browser, against the real stack.

A citizen chats with the real Rasa and action server and asks for a human (转人工);
the bot's ``custom`` payload gives the consultation code. A staff member then logs in,
searches, fills in the eligibility form and looks the code up. Screenshots go to
tests/artifacts/.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.staff.accounts import DEV_PASSWORD, DEV_USER
from bot.staff.conversations import CODE
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.support import StackUrls

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def chat(stack: StackUrls, sender: str, message: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()
    return messages


@pytest.fixture(scope="module")
def own_browser() -> Iterator[Browser]:
    # This module's own Playwright, stopped at its end: the sync API keeps an event loop
    # running in the main thread while it is open, which breaks later asyncio tests
    # (asyncio.run, pytest-asyncio) if the browser lives for the whole session.
    if not CHROMIUM.is_file():
        pytest.fail(f"no browser at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(own_browser: Browser) -> Iterator[Page]:
    context = own_browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


def log_in(page: Page, web: str) -> None:
    page.goto(f"{web}/staff/search")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))
    page.get_by_label("用户名").fill(DEV_USER)
    page.get_by_label("密码").fill(DEV_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/staff/search$"))


def test_log_in_search_measure_and_look_up_a_real_chats_code(
    stack: StackUrls, page: Page, artifacts: Path
) -> None:
    # A citizen's chat, ending with a request for a human: the bot gives a code.
    sender = f"staff-browser-{uuid.uuid4().hex[:8]}"
    chat(stack, sender, "我是技校毕业的，高级工，2025年毕业，在张店一家企业全职上班")
    replies = chat(stack, sender, "转人工")
    payloads = [m.get("custom") for m in replies]
    codes = [p["code"] for p in payloads if isinstance(p, dict) and p.get("type") == "consultation_code"]
    assert codes, f"no consultation_code payload in {replies}"
    code = str(codes[0])
    assert CODE.match(code)

    log_in(page, stack.web)

    # 政策查询
    page.get_by_label("来电问题").fill("全国技能大赛银牌奖励多少")
    page.get_by_role("button", name="查询").click()
    first = page.locator(".hit").first
    expect(first).to_contain_text("第22条")
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator(".amount")).to_contain_text(["10万元", "8万元", "5万元"])
    page.screenshot(path=str(artifacts / "staff-search.png"), full_page=True)

    # 资格测算
    page.get_by_role("link", name="资格测算").click()
    page.get_by_label("咨询身份").select_option("person")
    page.get_by_label("全国技能大赛银牌").check()
    page.get_by_role("button", name="测算").click()
    result = page.locator(".result")
    expect(result).to_contain_text("全国技能大赛获奖选手奖励")
    expect(result).to_contain_text("全国技能大赛银牌8万元")
    page.screenshot(path=str(artifacts / "staff-eligibility.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("form.facts")).to_be_hidden()
    expect(result).to_be_visible()
    page.screenshot(path=str(artifacts / "staff-eligibility-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # 咨询编号: the code from the real chat, typed in lower case as staff might.
    page.get_by_role("link", name="咨询编号").click()
    page.get_by_label("咨询编号").fill(code.lower())
    page.get_by_role("button", name="查找").click()
    expect(page.locator(".code")).to_have_text(code)
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text("我是技校毕业的")
    expect(transcript).to_contain_text("转人工")
    expect(transcript).to_contain_text(code)
    expect(page.locator(".facts-table")).to_contain_text("高级工（三级）")
    expect(page.locator(".result")).to_contain_text("技工院校毕业生生活补贴")
    page.screenshot(path=str(artifacts / "staff-consultation.png"), full_page=True)

    # Logging out ends the session.
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/staff/login"))
    page.goto(f"{stack.web}/staff/consultation?code={code}")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))
