"""ASGI app factory: one Starlette app serving the public page (with the widget's votes) and mounting
the staff console.

Run with `python -m bot web` (make run starts it); binds to WEB_HOST:WEB_PORT (defaults in bot/settings.py).
"""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from bot.settings import Settings, load_settings
from bot.web.public import public_routes
from bot.web.public.votes import vote_routes
from bot.web.staff import create_staff_app
from bot.web.staff.app import database_engine


async def health(request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def create_app(settings: Settings | None = None, engine=None) -> Starlette:
    """`engine`, when given, is the caller's and already has the schema (tests make their own)."""
    settings = settings or load_settings()
    engine = engine or database_engine(settings)
    routes = [Route("/health", health), *public_routes(settings), *vote_routes(settings, engine),
              Mount("/staff", app=create_staff_app(settings, engine))]
    return Starlette(routes=routes)
