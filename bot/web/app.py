"""ASGI app factory: one Starlette app serving the public page and mounting the staff console.

Run with `python -m bot web` (make run starts it); binds to WEB_HOST:WEB_PORT (defaults in bot/settings.py).
"""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from bot.settings import Settings, load_settings
from bot.web.public import public_routes
from bot.web.staff import create_staff_app


async def health(request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    routes = [Route("/health", health), *public_routes(settings), Mount("/staff", app=create_staff_app(settings))]
    return Starlette(routes=routes)
