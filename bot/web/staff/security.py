"""The console's guard, in front of every route (default deny):

* a session is required everywhere except the sign-in page and the static files; without one a
  page request is sent to sign in and anything else gets 403;
* every state-changing request (any method but GET/HEAD/OPTIONS) must come from this origin and
  carry the CSRF token of its session (the sign-in form: of its sign-in cookie) in its form body,
  else 403; the body is parsed here once and handed to the route;
* security headers on every response: a strict Content-Security-Policy (no scripts at all, styles
  and images from this origin only), no framing, no sniffing, no caching of pages;
* no personal data in logs: the query string (search terms) is removed from what the server's
  access log sees, and an error is logged by its class only (its text may quote stored values).
"""
from __future__ import annotations

import hmac
import logging
import secrets
from http.cookies import SimpleCookie
from typing import Optional
from urllib.parse import parse_qsl, quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict

from bot.staff.accounts import keyed_hash, load_session

from .common import CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, Console

log = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_BODY_BYTES = 64 * 1024  # the biggest form is a note or a description
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


def route_path(scope) -> str:
    """The path inside the console (without the mount point)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def cookie(scope, name: str) -> Optional[str]:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 -- a malformed cookie header counts as no cookie
                continue
            if name in jar:
                return jar[name].value
    return None


def header(scope, name: bytes) -> Optional[str]:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def is_https(scope, console: Console) -> bool:
    return scope.get("scheme") == "https" or console.settings.staff_secure_cookies


def cookie_header(scope, console: Console, name: str, value: str, max_age: Optional[int] = None,
                  same_site: str = "Lax") -> bytes:
    path = scope.get("root_path") or "/"
    parts = [f"{name}={value}", f"Path={path}", "HttpOnly", f"SameSite={same_site}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if is_https(scope, console):
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def login_form_token(console: Console, cookie_value: str) -> str:
    return keyed_hash(console.secret, "login-form:" + cookie_value)


def _same_origin(scope) -> bool:
    """Browsers say where a request comes from: Sec-Fetch-Site, or Origin. A request saying it
    comes from elsewhere is refused even before its token is looked at."""
    site = header(scope, b"sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = header(scope, b"origin")
    if origin is None:
        return True  # old browsers and tools: the CSRF token decides
    host = header(scope, b"host") or ""
    return origin in (f"{scope.get('scheme', 'http')}://{host}",)


async def _read_body(receive) -> Optional[bytes]:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _plain(send, status: int, text: str, extra_headers=()) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *extra_headers]})
    await send({"type": "http.response.body", "body": body})


class StaffGuard:
    def __init__(self, app, console: Console):
        self.app, self.console = app, console

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        inner = dict(scope)
        inner["state"] = dict(scope.get("state") or {})
        scope["query_string"] = b""  # what the server logs: the path only, never the search terms
        path, method = route_path(inner), inner["method"]
        static = path.startswith("/static/")
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += HEADERS
                headers.append((b"cache-control", b"max-age=3600" if static else b"no-store"))
                if inner.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self._guarded(inner, receive, send_with_headers, path, method, static)
        except Exception as error:  # noqa: BLE001 -- logged by class only; never the values
            log.error("staff console: %s while answering %s %s", type(error).__name__, method, path)
            if started:
                raise RuntimeError("the staff console failed while answering") from None
            await _plain(send_with_headers, 500, "Something went wrong on our side; nothing was shown. "
                                                 "Please try again, and tell IT if it keeps happening.")

    async def _guarded(self, scope, receive, send, path: str, method: str, static: bool):
        console = self.console
        login = path == "/login"
        user = None
        token = cookie(scope, SESSION_COOKIE)
        if token and not static:  # the stylesheet needs no database look-up
            user = await run_in_threadpool(load_session, console.engine, token, console.settings)
        scope["state"]["staff"] = user
        if user is None and not (login or static):
            if method in ("GET", "HEAD"):
                wanted = scope.get("path", "/") + ("?" + scope["query_string"].decode("latin-1")
                                                   if scope.get("query_string") else "")
                target = (scope.get("root_path") or "") + "/login?next=" + quote(wanted, safe="")
                if token:
                    target += "&msg=expired"
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", target.encode("latin-1")), (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
            return await _plain(send, 403, "Sign in first.")
        if method not in SAFE_METHODS:
            if not _same_origin(scope):
                log.warning("staff console: cross-site %s refused", method)
                return await _plain(send, 403, "This request came from another site and was refused.")
            body = await _read_body(receive)
            if body is None:
                return await _plain(send, 413, "That was too much to send at once.")
            content_type = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
            fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True) \
                if content_type == "application/x-www-form-urlencoded" else []
            submitted = dict(fields).get(CSRF_FIELD, "")
            expected: Optional[str] = None
            if user is not None:
                expected = user.csrf_token
            else:  # the sign-in form: its token is tied to the sign-in cookie it came with
                login_cookie = cookie(scope, LOGIN_COOKIE)
                expected = login_form_token(console, login_cookie) if login_cookie else None
            if not expected or not submitted or not hmac.compare_digest(submitted, expected):
                log.warning("staff console: %s without a valid CSRF token refused", method)
                return await _plain(send, 403, "This form has expired or did not come from the console. "
                                               "Go back, reload the page and try again.")
            scope["state"]["form"] = ImmutableMultiDict(fields)
            replayed = False

            async def receive_again():
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            receive = receive_again
        await self.app(scope, receive, send)


def new_login_cookie_value() -> str:
    return secrets.token_urlsafe(32)
