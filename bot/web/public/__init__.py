"""The public chat page: an introduction and the chat widget, which talks to the Rasa server's
socket.io channel (bot.rasa_integration.channels.CappedSocketIOInput) straight from the visitor's
browser.

Everything the page loads comes from this app: our own CSS and JS (static/), and socket.io-client
from node_modules/ (pinned in package-lock.json, installed by scripts/setup-web.sh). The page's
Content-Security-Policy allows only these, plus connections to the Rasa server.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import PROJECT_ROOT, Settings

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKET_IO_PATH = "/socket.io/"  # Rasa's default socketio_path (credentials.yml)


def content_security_policy(settings: Settings) -> str:
    """Scripts, styles and images from this app only; connections to it and to the Rasa server."""
    rasa = urlsplit(settings.browser_rasa_url)
    websocket_scheme = "wss" if rasa.scheme == "https" else "ws"
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src 'self' {rasa.scheme}://{rasa.netloc} {websocket_scheme}://{rasa.netloc}",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def security_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",  # revalidate (ETag) so a deploy is picked up at once
    }


class WithHeaders:
    """ASGI wrapper that adds headers to every response of the app it wraps (kept if already set)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]):
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def public_routes(settings: Settings) -> list[BaseRoute]:
    templates = Jinja2Templates(directory=str(HERE / "templates"), autoescape=True)
    headers = security_headers(settings)

    async def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {
            "rasa_url": settings.browser_rasa_url,
            "socket_path": SOCKET_IO_PATH,
            "max_chars": settings.max_message_chars,
        }, headers=headers)

    async def socket_io_client(request: Request) -> Response:
        if not SOCKET_IO_CLIENT.is_file():
            return PlainTextResponse("The chat's browser assets are not installed: run `make setup` "
                                     "(scripts/setup-web.sh).", status_code=503, headers=headers)
        return FileResponse(SOCKET_IO_CLIENT, media_type="text/javascript", headers=headers)

    return [
        Route("/", index),
        Route("/vendor/socket.io.min.js", socket_io_client),
        Mount("/static", app=WithHeaders(StaticFiles(directory=STATIC_DIR), headers), name="static"),
    ]
