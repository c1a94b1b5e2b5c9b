"""What every staff page shares: the console's state (settings, database, templates), rendering with
autoescaping, links that work under any mount point, and the parsed form of a POST."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Dict, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import ImmutableMultiDict
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from bot.inquiries.models import STATUSES
from bot.settings import Settings
from bot.staff.accounts import Limits, StaffUser
from bot.staff.queue import KIND_LABELS
from bot.staff.workflow import STATUS_LABELS

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "clair_staff"
LOGIN_COOKIE = "clair_staff_login"  # the sign-in form's CSRF cookie (before there is a session)
CSRF_FIELD = "csrf_token"

# Fixed notices after a change (?msg=...): never free text from the URL.
MESSAGES = {
    "signed-out": "You are signed out.",
    "expired": "Your session ended. Please sign in again.",
    "status": "The status was changed.",
    "assigned": "The assignment was changed.",
    "note": "The note was added.",
    "saved": "Saved. The assistant answers from the change already.",
    "removed": "Removed. The assistant no longer uses it.",
    "retired": "Retired: it stays on file but the assistant no longer gives it.",
    "restored": "Restored: the assistant gives it again.",
    "pointed": "Pointed to the answer: its wordings are in the training suggestions.",
    "dismissed": "Dismissed: the group is off the list.",
    "answered": "Answered: visitors who ask it get your answer now (Knowledge base → Staff answers).",
}


@dataclass
class Console:
    settings: Settings
    engine: Any
    env: Environment
    secret: bytes
    tz: tzinfo
    limits: Limits


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(STATUSES=STATUSES, STATUS_LABELS=STATUS_LABELS, KIND_LABELS=KIND_LABELS)
    return env


def console(request: Request) -> Console:
    return request.app.state.console


def staff(request: Request) -> Optional[StaffUser]:
    return request.scope.get("state", {}).get("staff")


def signed_in(request: Request) -> StaffUser:
    """The staff member of a page behind the sign-in guard (StaffGuard lets no one else through)."""
    user = staff(request)
    if user is None:
        raise HTTPException(403, "Sign in first.")
    return user


def form(request: Request) -> ImmutableMultiDict:
    """The POST body, parsed (and CSRF-checked) by the middleware."""
    return request.scope.get("state", {}).get("form") or ImmutableMultiDict()


def path_for(request: Request, name: str, **params) -> str:
    """The path of one of the console's routes, mount point included (e.g. /staff/inquiries/SC-...).
    Looked up in the console's own router: request.url_for would ask the outermost app's router,
    where a name like "static" can belong to another part of the site."""
    root = request.scope.get("root_path", "").rstrip("/")
    return root + str(request.app.router.url_path_for(name, **params))  # request.app: the console


def when(value: Optional[datetime], tz: tzinfo, with_zone: bool = True) -> str:
    if value is None:
        return "—"
    local = value.astimezone(tz)
    text = f"{local.day} {local:%b %Y, %H:%M}"
    zone_name = local.tzname() or ""
    if zone_name[:1] in "+-":  # Asia/Singapore's abbreviation is "+08"
        zone_name = "UTC" + zone_name
    return f"{text} {zone_name}" if with_zone and zone_name else text


def render(request: Request, template: str, context: Optional[Dict[str, Any]] = None,
           status_code: int = 200) -> HTMLResponse:
    c = console(request)
    user = staff(request)
    message_key = request.query_params.get("msg", "")
    values: Dict[str, Any] = {
        "request": request,
        "staff": user,
        "csrf_token": user.csrf_token if user else "",
        "message": MESSAGES.get(message_key, ""),
        "url": lambda name, **params: path_for(request, name, **params),
        "static": lambda file: path_for(request, "static", path=file),
        "when": lambda value, with_zone=True: when(value, c.tz, with_zone),
        "errors": [],
    }
    values.update(context or {})
    html = c.env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def redirect(request: Request, name: str, msg: str = "", query: str = "", **params) -> RedirectResponse:
    target = path_for(request, name, **params)
    parts = [p for p in (query, f"msg={msg}" if msg else "") if p]
    return RedirectResponse(target + ("?" + "&".join(parts) if parts else ""), status_code=303)
