"""Who is a hotline staff member: the session cookie of /staff, or the API token.

A login sets ``staff_session``: the user name, a CSRF token and the login time, signed
with ``SESSION_SECRET`` (itsdangerous). It expires ``STAFF_SESSION_MINUTES`` after the
login however active the user is; an account removed from ``STAFF_USERS`` loses access
at its next request. Forms that change something (log in, log out, the eligibility
form) carry a CSRF token: the session's, or before login the ``staff_login_csrf``
cookie's (double submit). Scripts use ``Authorization: Bearer <STAFF_API_TOKEN>``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.settings import Settings
from bot.staff.accounts import Accounts

SESSION_COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
LOGIN_PATH = "/staff/login"


@dataclass(frozen=True)
class StaffSession:
    user: str
    csrf: str


def accounts(request: Request) -> Accounts:
    """The accounts of STAFF_USERS (or the development account), built once per app."""
    state = request.app.state
    if getattr(state, "staff_accounts", None) is None:
        settings: Settings = state.settings
        if settings.staff_users is None:
            state.staff_accounts = Accounts.development()
        else:
            from bot.staff.accounts import parse_accounts

            state.staff_accounts = Accounts(parse_accounts(settings.staff_users.get_secret_value()))
    found: Accounts = state.staff_accounts
    return found


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.session_secret_value, salt="staff-session")


def start_session(request: Request, response: Response, user: str) -> None:
    settings: Settings = request.app.state.settings
    payload = {"user": user, "csrf": secrets.token_urlsafe(32)}
    response.set_cookie(
        SESSION_COOKIE,
        _serializer(settings).dumps(payload),
        max_age=settings.staff_session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def staff_session(request: Request) -> StaffSession | None:
    """The valid session of this request, or None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    settings: Settings = request.app.state.settings
    try:
        payload: Any = _serializer(settings).loads(cookie, max_age=settings.staff_session_minutes * 60)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or payload.get("user") not in accounts(request):
        return None
    return StaffSession(user=str(payload["user"]), csrf=str(payload.get("csrf", "")))


def require_page_session(request: Request) -> StaffSession:
    """For the /staff pages: the session, or a redirect to the login page and back."""
    session = staff_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            303,
            detail="请先登录",
            headers={"Location": f"{LOGIN_PATH}?{urlencode({'next': target})}"},
        )
    return session


def require_staff(request: Request) -> str:
    """For the staff API: a session cookie, or ``Authorization: Bearer <STAFF_API_TOKEN>``; else 401."""
    session = staff_session(request)
    if session is not None:
        return session.user
    settings: Settings = request.app.state.settings
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.staff_api_token.get_secret_value() if settings.staff_api_token else None
    if expected and scheme.lower() == "bearer" and secrets.compare_digest(token.strip().encode(), expected.encode()):
        return "api-token"
    raise HTTPException(
        401,
        detail="需要登录工作人员账号，或提供 Authorization: Bearer <STAFF_API_TOKEN>",
        headers={"WWW-Authenticate": "Bearer"},
    )


def check_csrf(expected: str, submitted: str | None) -> None:
    if not expected or not submitted or not secrets.compare_digest(expected.encode(), submitted.encode()):
        raise HTTPException(403, detail="表单已过期，请刷新页面后重试")


StaffPageDep = Annotated[StaffSession, Depends(require_page_session)]
StaffApiDep = Annotated[str, Depends(require_staff)]
AccountsDep = Annotated[Accounts, Depends(accounts)]
