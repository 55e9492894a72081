"""The /staff pages: login, sessions that expire, CSRF, escaping, and the three tools."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from bot.settings import DEV_SESSION_SECRET
from bot.staff.accounts import hash_password
from bot.web.staff_auth import SESSION_COOKIE
from tests.staff.support import client, csrf_of, log_in, write_tracker_store


@pytest.mark.parametrize("path", ["/staff/search", "/staff/eligibility", "/staff/consultation?code=ZB3K7Q"])
def test_pages_need_a_login(path: str) -> None:
    response = client().get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=%2Fstaff%2F")


def test_log_in_then_out() -> None:
    c = client()
    log_in(c)
    page = c.get("/staff/search")
    assert page.status_code == 200 and "政策查询" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script at all

    logout = c.post("/staff/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert logout.status_code == 303
    assert c.get("/staff/search", follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_name() -> None:
    c = client()
    form = c.get("/staff/login")
    for _ in range(5):
        data = {"username": "staff-x", "password": "nope", "csrf": csrf_of(form.text)}
        response = c.post("/staff/login", data=data)
        assert response.status_code == 401 and "用户名或密码不正确" in response.text
    response = c.post("/staff/login", data={"username": "staff-x", "password": "nope", "csrf": csrf_of(form.text)})
    assert "登录失败次数过多" in response.text


def test_login_without_the_csrf_cookie_is_refused() -> None:
    c = client()
    token = csrf_of(c.get("/staff/login").text)
    c.cookies.clear()
    response = c.post("/staff/login", data={"username": "staff", "password": "zibo-staff-dev", "csrf": token})
    assert response.status_code == 403


def test_the_eligibility_form_needs_the_session_csrf_token() -> None:
    c = client()
    log_in(c)
    assert c.post("/staff/eligibility", data={"asker": "person"}).status_code == 403
    assert c.post("/staff/eligibility", data={"asker": "person", "csrf": "forged"}).status_code == 403


def test_sessions_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    c = client(staff_session_minutes=5)
    signer = URLSafeTimedSerializer(DEV_SESSION_SECRET, salt="staff-session")
    fresh = signer.dumps({"user": "staff", "csrf": "x"})
    # The same cookie, signed six minutes ago: past the five-minute lifetime.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 360)
    stale = signer.dumps({"user": "staff", "csrf": "x"})
    monkeypatch.undo()

    c.cookies.set(SESSION_COOKIE, fresh)
    assert c.get("/staff/search", follow_redirects=False).status_code == 200
    c.cookies.clear()
    c.cookies.set(SESSION_COOKIE, stale)
    assert c.get("/staff/search", follow_redirects=False).status_code == 303


def test_a_forged_or_foreign_cookie_is_ignored() -> None:
    c = client()
    c.cookies.set(SESSION_COOKIE, URLSafeTimedSerializer("another key", salt="staff-session").dumps({"user": "staff"}))
    assert c.get("/staff/search", follow_redirects=False).status_code == 303


def test_configured_accounts_replace_the_development_one() -> None:
    c = client(staff_users=f"zhangsan:{hash_password('a long passphrase')}")
    log_in(c, "zhangsan", "a long passphrase")
    assert c.get("/staff/search").status_code == 200
    other = client(staff_users=f"zhangsan:{hash_password('a long passphrase')}")
    form = other.get("/staff/login")
    data = {"username": "staff", "password": "zibo-staff-dev", "csrf": csrf_of(form.text)}
    refused = other.post("/staff/login", data=data)
    assert refused.status_code == 401


def test_login_redirects_only_inside_the_console() -> None:
    c = client()
    form = c.get("/staff/login")
    data = {"username": "staff", "password": "zibo-staff-dev", "csrf": csrf_of(form.text), "next": "//evil.example/x"}
    response = c.post("/staff/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/staff/search"


def test_search_page_highlights_the_sentence_and_escapes_the_query() -> None:
    c = client()
    log_in(c)
    page = c.get("/staff/search", params={"q": "全国技能大赛银牌<script>alert(1)</script>"})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert "<mark>全国技能大赛</mark>" in page.text and "第22条" in page.text
    assert '<span class="amount">8万元</span>' in page.text


def test_the_form_has_every_fact_and_gives_the_result_with_amounts() -> None:
    from bot.rules import knowledge

    c = client()
    log_in(c)
    form = c.get("/staff/eligibility")
    for name in knowledge().facts:
        assert f'name="{name}"' in form.text
    data = {"csrf": csrf_of(form.text), "asker": "person", "awards": ["national_silver", "provincial_gold"]}
    result = c.post("/staff/eligibility", data=data)
    assert result.status_code == 200
    assert "全国技能大赛获奖选手奖励" in result.text and "全国技能大赛银牌8万元" in result.text
    assert 'value="national_silver" checked' in result.text  # the form keeps what was entered
    assert "答复口径" in result.text


def test_a_bad_form_value_is_explained_not_a_500() -> None:
    c = client()
    log_in(c)
    csrf = csrf_of(c.get("/staff/eligibility").text)
    response = c.post("/staff/eligibility", data={"csrf": csrf, "certificate_date": "去年", "asker": "hacker"})
    assert response.status_code == 422 and "填写有误" in response.text


def test_the_consultation_page_shows_facts_result_and_escaped_transcript(tmp_path: Path) -> None:
    c = client(rasa_endpoints=write_tracker_store(tmp_path, "ZB3K7Q"))
    log_in(c)
    page = c.get("/staff/consultation", params={"code": "zb3k7q"})
    assert page.status_code == 200
    assert "ZB3K7Q" in page.text and "全国技能大赛银牌" in page.text and "可以享受" in page.text
    assert "&lt;b&gt;转人工&lt;/b&gt;" in page.text
    missing = c.get("/staff/consultation", params={"code": "ABCDEF"})
    assert missing.status_code == 404 and "没有找到咨询编号" in missing.text


def test_api_docs_are_open_in_development_and_behind_the_login_in_production() -> None:
    assert client().get("/docs").status_code == 200
    assert "/api/search" in client().get("/openapi.json").json()["paths"]
    production = client(
        app_env="production", staff_users=f"zhangsan:{hash_password('a long passphrase')}", session_secret="s" * 40,
        rasa_api_token="r" * 16,
    )
    assert production.get("/docs", follow_redirects=False).status_code == 303
    assert production.get("/openapi.json").status_code == 401
    assert production.get("/openapi.json", headers={"Authorization": "Bearer staff-token-for-tests"}).status_code == 200
