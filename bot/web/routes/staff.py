"""The hotline staff console under /staff: 政策查询, 资格测算 and 咨询编号, behind a login.

Server-rendered Jinja2 pages (autoescaped), no script at all: the Content-Security-Policy
forbids every script and inline style. Pages are never cached (they show citizens' facts).
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.rules import STATUSES, knowledge
from bot.rules.model import Fact
from bot.staff.search import MAX_QUERY_CHARS, search_index
from bot.web.routes.conversations import describe, find_consultation
from bot.web.routes.rules import EligibilityRequest, eligibility
from bot.web.staff_auth import (
    LOGIN_CSRF_COOKIE,
    LOGIN_PATH,
    AccountsDep,
    StaffPageDep,
    check_csrf,
    end_session,
    staff_session,
    start_session,
)

router = APIRouter(prefix="/staff", tags=["staff pages"], include_in_schema=False)

WEB_DIR = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
STYLESHEET = WEB_DIR / "static" / "staff" / "staff.css"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

STATUS_LABELS = {
    "applies": "可以享受",
    "may_apply": "可能适用（需经选拔或核定）",
    "undecided": "还需确认",
    "not_applicable": "不适用",
}
assert set(STATUS_LABELS) == set(STATUSES)

# Failed logins per user name: after MAX_FAILURES within FAILURE_WINDOW seconds, refuse
# further attempts for that name until the window has passed (per process).
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60
_failures: dict[str, deque[float]] = defaultdict(deque)


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    session = staff_session(request)
    base = {"user": session.user if session else None, "csrf": session.csrf if session else ""}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status, headers=HEADERS)


def _safe_next(target: str | None) -> str:
    # Only back into the console: never an absolute or protocol-relative URL.
    if target and target.startswith("/staff") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff/search"


@router.get("/static/staff.css")
def stylesheet() -> FileResponse:
    return FileResponse(STYLESHEET, media_type="text/css", headers={"Cache-Control": "no-cache"})


@router.get("")
@router.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/staff/search", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = _page(request, "staff/login.html", {"login_csrf": token, "next": _safe_next(next), "error": None})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path=LOGIN_PATH)
    return response


@router.post("/login")
def login(
    request: Request,
    accounts: AccountsDep,
    username: str = Form(..., max_length=64),
    password: str = Form(..., max_length=256),
    csrf: str = Form(..., max_length=128),
    next: str = Form("/staff/search", max_length=500),
) -> Response:
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf)
    username = username.strip()
    now = time.monotonic()
    recent = _failures[username]
    while recent and now - recent[0] > FAILURE_WINDOW:
        recent.popleft()
    if len(recent) >= MAX_FAILURES:
        error = "登录失败次数过多，请15分钟后再试"
    elif accounts.verify(username, password):
        recent.clear()
        response = RedirectResponse(_safe_next(next), status_code=303)
        start_session(request, response, username)
        return response
    else:
        recent.append(now)
        error = "用户名或密码不正确"
    return _page(request, "staff/login.html", {"login_csrf": csrf, "next": _safe_next(next), "error": error}, 401)


@router.post("/logout")
def logout(session: StaffPageDep, csrf: str = Form(..., max_length=128)) -> Response:
    check_csrf(session.csrf, csrf)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    end_session(response)
    return response


def _marked(snippet: str, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """The snippet as (text, highlighted) pieces, so the template escapes every piece."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        if start > position:
            pieces.append((snippet[position:start], False))
        pieces.append((snippet[start:end], True))
        position = end
    if position < len(snippet):
        pieces.append((snippet[position:], False))
    return pieces


@router.get("/search")
def search_page(request: Request, session: StaffPageDep, q: str = "") -> Response:
    query = q.strip()[:MAX_QUERY_CHARS]
    hits = []
    if query:
        for hit in search_index().search(query, 5):
            row = hit.to_dict()
            row["pieces"] = _marked(hit.snippet, row["highlights"])  # type: ignore[arg-type]
            hits.append(row)
    return _page(request, "staff/search.html", {"page": "search", "q": query, "hits": hits, "searched": bool(query)})


def _fields() -> list[dict[str, Any]]:
    """The form's fields, one per fact of knowledge/facts.yml, in its order."""
    fields = []
    for fact in knowledge().facts.values():
        fields.append(
            {
                "name": fact.name,
                "type": fact.type,
                "label": fact.label,
                "question": fact.question,
                "audience": fact.audience,
                "choices": [(value.id, value.label) for value in fact.values.values()],
            }
        )
    return fields


def _facts_from_form(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(facts for the rule module, what to show back in the form)."""
    facts: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    for fact in knowledge().facts.values():
        values = [str(v).strip() for v in form.getlist(fact.name) if str(v).strip()]
        if fact.type == "set":
            shown[fact.name] = values
            if "__none__" in values:
                facts[fact.name] = []
            elif values:
                facts[fact.name] = values
            continue
        if not values:
            continue
        value = values[0]
        shown[fact.name] = value
        facts[fact.name] = _typed(fact, value)
    return facts, shown


def _typed(fact: Fact, value: str) -> Any:
    if fact.type == "bool":
        return value == "true"
    if fact.type in ("int", "money"):
        try:
            number = float(value)
        except ValueError:
            return value  # the rule module rejects it with its own message
        return int(number) if fact.type == "int" or number.is_integer() else number
    return value


def _grouped(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "status": status,
            "label": STATUS_LABELS[status],
            "measures": [m for m in result["measures"] if m["status"] == status],
        }
        for status in STATUSES
    ]


@router.get("/eligibility")
def eligibility_form(request: Request, session: StaffPageDep) -> Response:
    context: dict[str, Any] = {"page": "eligibility", "fields": _fields(), "shown": {}, "result": None, "error": None}
    return _page(request, "staff/eligibility.html", context)


@router.post("/eligibility")
async def eligibility_result(request: Request, session: StaffPageDep) -> Response:
    form = await request.form(max_files=0, max_fields=500)
    check_csrf(session.csrf, str(form.get("csrf") or ""))
    facts, shown = _facts_from_form(form)
    context: dict[str, Any] = {
        "page": "eligibility", "fields": _fields(), "shown": shown, "result": None, "error": None,
    }
    try:
        result = eligibility(EligibilityRequest(facts=facts, as_of=None))
    except HTTPException as error:
        detail = error.detail if isinstance(error.detail, dict) else {"problem": str(error.detail)}
        fact = knowledge().facts.get(str(detail.get("fact")))
        context["error"] = f"“{fact.label if fact else detail.get('fact', '')}”填写有误：{detail.get('problem', '')}"
        return _page(request, "staff/eligibility.html", context, 422)
    context["result"] = result
    context["groups"] = _grouped(result)
    return _page(request, "staff/eligibility.html", context)


@router.get("/consultation")
def consultation_page(request: Request, session: StaffPageDep, code: str = "") -> Response:
    context: dict[str, Any] = {"page": "consultation", "code": code.strip()[:32], "found": None, "error": None}
    status = 200
    if context["code"]:
        try:
            found = describe(find_consultation(request, context["code"]))
        except HTTPException as error:
            context["error"], status = str(error.detail), error.status_code
        else:
            context["found"] = found
            context["groups"] = _grouped(found["result"]) if found["result"] else []
    return _page(request, "staff/consultation.html", context, status)
