"""ASGI app factory: one Starlette app serving the public page and mounting the staff console.

Run with `python -m bot web` (make run starts it); binds to WEB_HOST:WEB_PORT (127.0.0.1:8000).
"""
from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from bot.settings import Settings, load_settings
from bot.web.public import public_routes

log = logging.getLogger(__name__)

STAFF_PACKAGE = "bot.web.staff"


async def health(request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def staff_routes(settings: Settings) -> list[Mount]:
    """The staff console at /staff; left out (with a warning) only while its package is not there
    yet. Any other import error inside it (e.g. a missing dependency) stops the app."""
    try:
        from bot.web.staff import create_staff_app
    except ImportError as error:
        if error.name != STAFF_PACKAGE:
            raise
        log.warning("No staff console: %s is not installed.", STAFF_PACKAGE)
        return []
    return [Mount("/staff", app=create_staff_app(settings))]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    routes = [Route("/health", health), *public_routes(settings), *staff_routes(settings)]
    return Starlette(routes=routes)
