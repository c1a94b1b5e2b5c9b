"""The staff console: a Starlette app that bot/web/app.py mounts at /staff.

Every route is behind StaffGuard (security.py): sign-in required except for the sign-in page and
the static files, CSRF token and same-origin check on every POST, security headers on every answer.
"""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from bot.database import migrated_engine
from bot.settings import Settings, load_settings
from bot.staff.accounts import Limits, secret_key
from bot.staff.queue import zone

from . import auth_views, inquiry_views, kb_views, unanswered_views
from .common import HERE, Console, make_environment, render
from .security import StaffGuard

GET, POST = ["GET"], ["POST"]
REFERENCE = "{reference:str}"


def routes() -> list:
    return [
        Route("/login", auth_views.login_page, methods=GET, name="login_page"),
        Route("/login", auth_views.login, methods=POST, name="login"),
        Route("/logout", auth_views.logout, methods=POST, name="logout"),
        Route("/", inquiry_views.queue_page, methods=GET, name="queue"),
        Route("/queue.csv", inquiry_views.queue_csv, methods=GET, name="queue_csv"),
        Route(f"/inquiries/{REFERENCE}", inquiry_views.inquiry_page, methods=GET, name="inquiry"),
        Route(f"/inquiries/{REFERENCE}/status", inquiry_views.change_status, methods=POST, name="inquiry_status"),
        Route(f"/inquiries/{REFERENCE}/assign", inquiry_views.assign, methods=POST, name="inquiry_assign"),
        Route(f"/inquiries/{REFERENCE}/notes", inquiry_views.add_note, methods=POST, name="inquiry_note"),
        Route("/audit", inquiry_views.audit_page, methods=GET, name="audit"),
        Route("/unanswered", unanswered_views.unanswered_page, methods=GET, name="unanswered"),
        Route("/unanswered/point", unanswered_views.point, methods=POST, name="unanswered_point"),
        Route("/unanswered/dismiss", unanswered_views.dismiss, methods=POST, name="unanswered_dismiss"),
        Route("/unanswered/answer", unanswered_views.write_answer, methods=POST, name="unanswered_answer"),
        Route("/conversations/{conversation_id:str}", unanswered_views.conversation_page, methods=GET,
              name="conversation"),
        *kb_views.routes(),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    # Starlette types every handler as taking an Exception; this one is registered for HTTPException only.
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return render(request, "error.html", {"status": 405, "detail": "That does not work here."}, 405)
    return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail}, exc.status_code)


def database_engine(settings: Settings):
    # make_engine sets hide_parameters: a database error's text never carries the values (personal
    # data) into a log. The schema is upgraded to the latest migration, so the console works on a
    # fresh database too.
    return migrated_engine(settings.database_url)


def create_staff_app(settings: Settings | None = None, engine=None) -> Starlette:
    """`engine`, when given, is the caller's and already has the schema (tests make their own)."""
    settings = settings or load_settings()
    engine = engine or database_engine(settings)
    console = Console(settings=settings, engine=engine, env=make_environment(), secret=secret_key(settings),
                      tz=zone(settings.staff_timezone), limits=Limits.from_settings(settings))
    app = Starlette(routes=routes(), middleware=[Middleware(StaffGuard, console=console)],
                    exception_handlers={HTTPException: _http_error})
    app.state.console = console
    return app
