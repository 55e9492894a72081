"""The web chat in a real browser (Debian's Chromium) against the real stack.

Rasa, the action server and the web app are the session's `stack`; only the tests of
the page's own failure handling use a second web app (a closed Rasa port) or take the
browser offline. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from bot.settings import Settings
from bot.supervisor import REPO_ROOT
from bot.web.app import create_app
from tests.browser_support import DESKTOP, PHONE, serve_app, serve_directory
from tests.support import StackUrls, free_ports

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCRIPTED_SITUATION = "我是技校毕业的，高级工，2025年毕业，在张店一家企业全职上班"
BOT_TIMEOUT_MS = 60_000

OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """Open a URL in a fresh browser context (its own localStorage) at a viewport.

    Every page records its JavaScript errors and dialogs; a test fails if any occurred.
    """
    contexts = []
    problems: list[str] = []

    def open_(url: str, viewport: dict[str, int] = PHONE, ready: str = ".zc-input") -> Page:
        context = browser.new_context(viewport=viewport, device_scale_factor=2, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

        def on_dialog(dialog: Any) -> None:
            problems.append(f"dialog: {dialog.type} {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        expect(page.locator(ready)).to_be_visible()
        return page

    yield open_
    for context in contexts:
        context.close()
    assert problems == []


def send(page: Page, text: str) -> None:
    page.locator(".zc-input").fill(text)
    page.locator(".zc-input").press("Enter")


def bot_answers(page: Page) -> int:
    return page.locator(".zc-conversation .zc-bubble-bot").count()


def wait_for_answer(page: Page, before: int) -> None:
    """Until the bot has said more than `before` things and stopped typing.

    Locators, not document.querySelector: they also see into the widget's shadow root."""
    page.locator(".zc-conversation .zc-bubble-bot").nth(before).wait_for(timeout=BOT_TIMEOUT_MS)
    expect(page.locator(".zc-typing")).to_have_count(0, timeout=BOT_TIMEOUT_MS)


def screenshot_at(page: Page, element: Locator, path: Path) -> None:
    """The screen as a person sees it with `element` scrolled to the top of the chat."""
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(path))


# --- the interview (needs the interview actions) ----------------------------------------


def answer_questions_by_buttons(page: Page, until: str, max_turns: int = 8) -> list[str]:
    """Click through the bot's questions until `until` (a selector) shows; the titles clicked.

    The scripted person has no awards and no talent titles ("都没有") and studied and works
    full time ("是").
    """
    clicked: list[str] = []
    for _ in range(max_turns):
        if page.locator(until).count():
            return clicked
        active = page.locator(".zc-quick-reply:not([disabled])")
        titles = active.all_inner_texts()
        choice = next((t for t in ("都没有", "是") if t in titles), None)
        assert choice, f"no answer for the buttons {titles}"
        before = bot_answers(page)
        active.filter(has_text=re.compile(f"^{choice}$")).first.click()
        clicked.append(choice)
        expect(page.locator(".zc-bubble-user").last).to_have_text(choice)
        wait_for_answer(page, before)
    return clicked


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375x667", "desktop-1280x800"])
def test_a_full_interview_by_typing_and_clicking_ends_in_a_result_card_with_the_amounts(
    stack: StackUrls, open_page: OpenPage, artifacts: Path, viewport: dict[str, int]
) -> None:
    page = open_page(f"{stack.web}/", viewport)
    size = f"{viewport['width']}x{viewport['height']}"

    before = bot_answers(page)
    send(page, SCRIPTED_SITUATION)
    expect(page.locator(".zc-bubble-user").last).to_have_text(SCRIPTED_SITUATION)
    wait_for_answer(page, before)
    clicked = answer_questions_by_buttons(page, until=".zc-result")
    assert clicked, "the interview asked nothing by buttons"

    card = page.locator(".zc-result").last
    article_4 = card.locator('.zc-measure[data-article="4"]')
    expect(article_4).to_have_count(1)
    expect(article_4.locator(".zc-article")).to_have_text("第4条")
    expect(article_4.locator(".zc-measure-title")).to_have_text("技工院校毕业生生活补贴")
    expect(article_4.locator(".zc-status")).to_have_text("可以享受")
    expect(article_4).to_contain_text("500元/月×60个月=30000元")
    expect(article_4).to_contain_text("本人")
    expect(article_4).to_contain_text("怎么申请")
    expect(card.locator(".zc-total-value")).to_have_text(re.compile(r"^\d+元$"))
    screenshot_at(page, card, artifacts / f"chat-result-{size}.png")
    screenshot_at(page, article_4, artifacts / f"chat-result-article-4-{size}.png")

    # "电话咨询 12333" hands off and shows the consultation code.
    page.get_by_role("button", name="电话咨询 12333").click()
    code = page.locator(".zc-code-value")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4,10}$"), timeout=BOT_TIMEOUT_MS)
    expect(page.locator(".zc-code-card .zc-call")).to_have_attribute("href", "tel:12333")
    screenshot_at(page, page.locator(".zc-code-card"), artifacts / f"chat-consultation-code-{size}.png")

    # "重新开始" clears the screen and starts a new conversation.
    sender_before = page.evaluate("localStorage.getItem('zibo-chat.sender')")
    page.get_by_role("button", name="重新开始").click()
    expect(page.locator(".zc-result")).to_have_count(0)
    expect(page.locator(".zc-conversation .zc-bubble-user")).to_have_text(["重新开始"])
    wait_for_answer(page, 0)
    assert page.evaluate("localStorage.getItem('zibo-chat.sender')") != sender_before


# --- works with today's bot (greeting, out of scope) ---------------------------------


def test_the_page_greets_in_chinese_and_answers_with_a_typing_indicator_meanwhile(
    stack: StackUrls, open_page: OpenPage, artifacts: Path
) -> None:
    page = open_page(f"{stack.web}/")
    page.screenshot(path=str(artifacts / "chat-welcome-375x667.png"))
    # Record whether the typing indicator ever appeared, however short the wait.
    page.evaluate(
        """() => {
          window.__typingSeen = false;
          new MutationObserver(() => {
            if (document.querySelector('.zc-typing')) window.__typingSeen = true;
          }).observe(document.body, {childList: true, subtree: true});
        }"""
    )

    send(page, "你好")
    wait_for_answer(page, 0)

    assert page.evaluate("window.__typingSeen") is True
    expect(page.locator(".zc-conversation .zc-bubble-bot").first).to_contain_text("技能兴淄")
    expect(page.locator(".zc-input")).to_have_value("")


def test_the_conversation_survives_a_reload(stack: StackUrls, open_page: OpenPage) -> None:
    page = open_page(f"{stack.web}/")
    send(page, "你好")
    wait_for_answer(page, 0)
    sender = page.evaluate("localStorage.getItem('zibo-chat.sender')")
    assert re.fullmatch(r"web-[0-9a-f]{32}", sender)
    shown = page.locator(".zc-conversation .zc-bubble").all_inner_texts()

    page.reload()

    expect(page.locator(".zc-conversation .zc-bubble")).to_have_text(shown)
    assert page.evaluate("localStorage.getItem('zibo-chat.sender')") == sender
    before = bot_answers(page)
    send(page, "谢谢")
    wait_for_answer(page, before)


def test_markup_in_a_message_is_shown_as_text_and_runs_nothing(
    stack: StackUrls, open_page: OpenPage, artifacts: Path
) -> None:
    page = open_page(f"{stack.web}/")
    hostile = (
        "<script>window.__pwned = 1; alert('script')</script>"
        "<img src=x onerror=\"window.__pwned = 2; alert('img')\"> 我的证书是<b>高级工</b>"
    )

    send(page, hostile)
    wait_for_answer(page, 0)

    expect(page.locator(".zc-bubble-user").last).to_have_text(hostile)
    assert page.locator(".zc-root img, .zc-root b, .zc-conversation script").count() == 0
    page.wait_for_timeout(500)  # an onerror handler would have run by now
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(artifacts / "chat-markup-as-text-375x667.png"))
    # The open_page fixture fails the test if any dialog (alert) opened.


def test_an_over_long_message_is_refused_with_a_visible_note_and_never_sent(
    stack: StackUrls, open_page: OpenPage, artifacts: Path
) -> None:
    page = open_page(f"{stack.web}/")
    chat_requests: list[str] = []
    page.on("request", lambda request: chat_requests.append(request.url) if "/api/chat" in request.url else None)

    page.locator(".zc-input").fill("补" * 501)
    page.locator(".zc-send").click()

    note = page.locator(".zc-limit")
    expect(note).to_be_visible()
    expect(note).to_have_text("消息太长了：每条最多500个字，您已输入501个字。请删减后再发送。")
    expect(page.locator(".zc-input")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".zc-bubble-user")).to_have_count(0)
    page.screenshot(path=str(artifacts / "chat-too-long-375x667.png"))

    page.locator(".zc-input").fill("补" * 500)  # at the limit it goes
    expect(note).to_have_text("已输入500/500字")
    page.locator(".zc-send").click()
    expect(page.locator(".zc-bubble-user")).to_have_count(1)
    page.wait_for_timeout(200)
    assert len(chat_requests) == 1


def test_a_lost_network_shows_a_friendly_line_and_the_message_goes_when_it_is_back(
    stack: StackUrls, open_page: OpenPage, artifacts: Path
) -> None:
    page = open_page(f"{stack.web}/")
    page.context.set_offline(True)

    send(page, "你好")

    status = page.locator(".zc-notice")
    expect(status).to_contain_text("网络连接中断了")
    expect(page.locator(".zc-typing")).to_be_visible()
    page.screenshot(path=str(artifacts / "chat-offline-375x667.png"))

    page.context.set_offline(False)
    wait_for_answer(page, 0)
    expect(status).to_have_count(0)
    expect(page.locator(".zc-conversation .zc-bubble-bot").first).to_contain_text("技能兴淄")


def test_when_rasa_is_down_the_page_says_so_and_offers_a_retry(open_page: OpenPage, artifacts: Path) -> None:
    (closed,) = free_ports(1)
    app = create_app(Settings(_env_file=None, rasa_url=f"http://127.0.0.1:{closed}"))  # type: ignore[call-arg]
    with serve_app(app) as web:
        page = open_page(f"{web}/")

        send(page, "你好")

        line = page.locator(".zc-notice-error")
        expect(line).to_contain_text("系统繁忙，请稍后再试。")
        expect(line.get_by_role("button", name="重试")).to_be_visible()
        expect(page.locator(".zc-typing")).to_have_count(0)
        expect(page.locator(".zc-send")).to_be_enabled()
        page.screenshot(path=str(artifacts / "chat-busy-375x667.png"))


# --- the page draws every part of the message contract ---------------------------------

CONTRACT_ANSWER = {
    "messages": [
        {"text": "根据您提供的情况，测算结果如下。如需人工帮助，请拨打12333。"},
        {
            "custom": {
                "type": "eligibility_result",
                "as_of": "2026-11-25",
                "total_yuan": 30000,
                "measures": [
                    {
                        "article": 17, "measure": "enterprise_training", "title": "企业职工培训补贴",
                        "status": "not_applicable", "beneficiary": "企业", "amount": None, "missing": [],
                        "reason": "您不是企业", "how_to_apply": "", "responsible_units": [],
                    },
                    {
                        "article": 2, "measure": "chief_technician_allowance", "title": "淄博市首席技师津贴",
                        "status": "may_apply", "beneficiary": "本人（入选者）",
                        "amount": {"total_yuan": 38400, "text": "800元/月×48个月=38400元"}, "missing": [],
                        "reason": "需经选拔", "how_to_apply": "由所在企业推荐申报。",
                        "responsible_units": ["市人力资源社会保障局"],
                    },
                    {
                        "article": 4, "measure": "graduate_living_allowance", "title": "技工院校毕业生生活补贴",
                        "status": "applies", "beneficiary": "本人",
                        "amount": {"total_yuan": 30000, "text": "500元/月×60个月=30000元"}, "missing": [],
                        "reason": "2025年毕业的高级工，在淄博企业全职工作",
                        "how_to_apply": "向工作单位所在区县人力资源社会保障部门申请。",
                        "responsible_units": ["市人力资源社会保障局", "市财政局"],
                    },
                    {
                        "article": 12, "measure": "skill_upgrade_subsidy", "title": "技能提升补贴",
                        "status": "undecided", "beneficiary": "本人", "amount": None,
                        "missing": ["是否参加失业保险满1年"], "reason": "<img src=x onerror=alert(1)>",
                        "how_to_apply": "", "responsible_units": [],
                    },
                ],
            }
        },
        {
            "text": "您是全日制毕业生吗？",
            "buttons": [
                {"title": "是", "payload": '/inform{"full_time_study":"true"}'},
                {"title": "否", "payload": '/inform{"full_time_study":"false"}'},
            ],
        },
    ]
}
CODE_ANSWER = {
    "messages": [
        {"text": "请拨打人社服务热线12333，并告诉工作人员您的咨询编号：ZB3K7Q。"},
        {"custom": {"type": "consultation_code", "code": "ZB3K7Q", "hotline": "12333"}},
    ]
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375x667", "desktop-1280x800"])
def test_the_page_draws_the_result_card_buttons_and_code_of_the_message_contract(
    stack: StackUrls, open_page: OpenPage, artifacts: Path, viewport: dict[str, int]
) -> None:
    """The bot's answers here are fixed contract examples (the same shapes the actions send),
    so every status, a folded "不适用" and the button payloads are checked whatever the
    interview asks today. The real bot's card is checked by the full interview test above."""
    page = open_page(f"{stack.web}/", viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    sent: list[dict[str, str]] = []

    def answer(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        sent.append(body)
        reply = CODE_ANSWER if body["message"] == "转人工" else CONTRACT_ANSWER
        route.fulfill(status=200, content_type="application/json", body=json.dumps(reply, ensure_ascii=False))

    page.route("**/api/chat", answer)
    send(page, SCRIPTED_SITUATION)

    card = page.locator(".zc-result")
    expect(card).to_be_visible()
    expect(card.locator(".zc-card-sub")).to_contain_text("按2026年11月25日的政策测算")
    shown = card.locator(":scope > .zc-measures > .zc-measure")
    expect(shown.locator(".zc-article")).to_have_text(["第4条", "第2条", "第12条"])  # gets first
    expect(shown.locator(".zc-status")).to_have_text(["可以享受", "可以申报", "还需确认"])
    expect(shown.nth(0)).to_contain_text("金额500元/月×60个月=30000元")
    expect(shown.nth(0)).to_contain_text("发给谁本人")
    expect(shown.nth(0)).to_contain_text("办理单位市人力资源社会保障局、市财政局")
    expect(shown.nth(2)).to_contain_text("还需确认是否参加失业保险满1年")
    expect(shown.nth(2)).to_contain_text("<img src=x onerror=alert(1)>")
    folded = card.locator(".zc-not-applicable")
    expect(folded.locator("summary")).to_have_text("不适用的措施（1项）")
    expect(folded.locator(".zc-measure")).not_to_be_visible()
    expect(card.locator(".zc-total-value")).to_have_text("30000元")
    expect(page.locator(".zc-bubble-bot .zc-tel").first).to_have_attribute("href", "tel:12333")
    screenshot_at(page, card, artifacts / f"chat-contract-card-{size}.png")

    # A button sends its payload and shows its title.
    page.locator(".zc-quick-reply", has_text="是").click()
    expect(page.locator(".zc-bubble-user").last).to_have_text("是")
    assert sent[-1]["message"] == '/inform{"full_time_study":"true"}'
    expect(page.locator(".zc-quick-reply").first).to_be_disabled()  # answered: its buttons are done

    page.get_by_role("button", name="电话咨询 12333").click()
    expect(page.locator(".zc-code-value")).to_have_text("ZB3K7Q")
    assert sent[-1]["message"] == "转人工"
    expect(page.locator(".zc-bubble-user").last).to_have_text("电话咨询 12333")
    screenshot_at(page, page.locator(".zc-code-card"), artifacts / f"chat-contract-code-{size}.png")


# --- the widget on somebody else's page ------------------------------------------------

EXAMPLE_PAGE = REPO_ROOT / "docs" / "widget-example.html"
EXAMPLE_SRC = "https://zhushou.example.gov.cn/widget.js"
# A government page's own heavy-handed styles: none of them may reach the widget.
HOSTILE_STYLES = """<style>
  * { font-size: 12px !important; color: #333; }
  button { background: yellow; border: 3px solid green; }
  body { font-family: serif; margin: 0; padding: 16px; }
</style>
</head>"""


def third_party_page(web: str) -> str:
    """The README's example page, pointed at `web`, with a site's clashing styles added."""
    page = EXAMPLE_PAGE.read_text(encoding="utf-8")
    assert EXAMPLE_SRC in page
    return page.replace(EXAMPLE_SRC, f"{web}/widget.js").replace("</head>", HOSTILE_STYLES)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375x667", "desktop-1280x800"])
def test_the_widget_works_on_a_plain_third_party_page(
    stack: StackUrls, open_page: OpenPage, artifacts: Path, tmp_path: Path, viewport: dict[str, int]
) -> None:
    size = f"{viewport['width']}x{viewport['height']}"
    site = tmp_path / "site"
    site.mkdir()
    with serve_directory(site) as page_origin:
        # A web app that, like a deployment, lists that page's site in CORS_ORIGINS.
        settings = Settings(_env_file=None, rasa_url=stack.rasa, cors_origins=[page_origin])  # type: ignore[call-arg]
        with serve_app(create_app(settings)) as web:
            (site / "index.html").write_text(third_party_page(web), encoding="utf-8")
            page = open_page(f"{page_origin}/index.html", viewport, ready=".zc-launcher")

            launcher = page.locator(".zc-launcher")
            expect(launcher).to_have_text("政策咨询")
            page.screenshot(path=str(artifacts / f"widget-closed-{size}.png"))
            launcher.click()

            panel = page.locator(".zc-panel")
            expect(panel).to_be_visible()
            expect(launcher).to_be_hidden()
            send(page, "你好")
            wait_for_answer(page, 0)
            expect(page.locator(".zc-conversation .zc-bubble-bot").first).to_contain_text("技能兴淄")
            # The page's "* { font-size: 12px !important }" does not reach the chat.
            assert page.locator(".zc-bubble-bot").first.evaluate("e => getComputedStyle(e).fontSize") == "17px"
            page.screenshot(path=str(artifacts / f"widget-open-{size}.png"))

            page.locator(".zc-action-close").click()
            expect(panel).to_be_hidden()
            expect(launcher).to_be_visible()

