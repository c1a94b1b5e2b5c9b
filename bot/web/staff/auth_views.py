"""Sign in and sign out."""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.staff.accounts import authenticate, end_session, start_session

from .common import LOGIN_COOKIE, SESSION_COOKIE, console, form, path_for, render, staff
from .security import cookie, cookie_header, login_form_token, new_login_cookie_value


def _safe_next(request: Request, value: str) -> str:
    """Only a path inside the console: never another site (open redirect)."""
    home = path_for(request, "queue")
    root = request.scope.get("root_path", "")
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return home
    if root and not (value == root or value.startswith(root + "/")):
        return home
    return value


def _login_page(request: Request, status_code: int = 200, error: str = "", email: str = "",
                retry_after: int = 0) -> Response:
    c = console(request)
    login_cookie = cookie(request.scope, LOGIN_COOKIE) or new_login_cookie_value()
    response = render(request, "login.html", {
        "login_token": login_form_token(c, login_cookie), "error": error, "email": email,
        "next": _safe_next(request, request.query_params.get("next") or form(request).get("next", "")),
    }, status_code=status_code)
    response.raw_headers.append((b"set-cookie", cookie_header(request.scope, c, LOGIN_COOKIE, login_cookie,
                                                              same_site="Strict")))
    if retry_after:
        response.headers["retry-after"] = str(retry_after)
    return response


async def login_page(request: Request) -> Response:
    if staff(request) is not None:
        return RedirectResponse(_safe_next(request, request.query_params.get("next", "")), status_code=303)
    return _login_page(request)


async def login(request: Request) -> Response:
    c = console(request)
    values = form(request)
    email, password = values.get("email", "").strip(), values.get("password", "")
    client = request.client.host if request.client else "?"
    result = await run_in_threadpool(authenticate, c.engine, email, password, client, c.secret, c.limits)
    if result.outcome == "limited":
        minutes = max(1, -(-result.retry_after // 60))
        return _login_page(request, 429, f"Too many sign-in attempts. Please wait {minutes} minute(s) and try again.",
                           email, result.retry_after)
    if result.outcome != "ok":
        return _login_page(request, 401, "The e-mail address or the password is not right.", email)
    old = cookie(request.scope, SESSION_COOKIE)
    if old:
        await run_in_threadpool(end_session, c.engine, old)
    assert result.account is not None  # an "ok" sign-in always carries its account
    token = await run_in_threadpool(start_session, c.engine, result.account.id, c.settings)
    response = RedirectResponse(_safe_next(request, values.get("next", "")), status_code=303)
    response.raw_headers.append((b"set-cookie", cookie_header(request.scope, c, SESSION_COOKIE, token)))
    response.raw_headers.append((b"set-cookie", cookie_header(request.scope, c, LOGIN_COOKIE, "", max_age=0)))
    return response


async def logout(request: Request) -> Response:
    c = console(request)
    await run_in_threadpool(end_session, c.engine, cookie(request.scope, SESSION_COOKIE))
    response = RedirectResponse(path_for(request, "login_page") + "?msg=signed-out", status_code=303)
    response.raw_headers.append((b"set-cookie", cookie_header(request.scope, c, SESSION_COOKIE, "", max_age=0)))
    return response
