"""The test client for the staff app: Starlette's TestClient when httpx is installed; otherwise a
small in-process ASGI client with the same surface (get/post/request, cookies, follow_redirects,
status_code/text/headers), so the suite runs either way and exercises the real ASGI app."""
from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlencode, urljoin, urlsplit

try:  # pragma: no cover - depends on the environment
    from starlette.testclient import TestClient as _StarletteClient
except (ImportError, RuntimeError):  # starlette.testclient needs httpx
    _StarletteClient = None


class Headers:
    def __init__(self, raw: List[Tuple[bytes, bytes]]):
        self.raw = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw]

    def get(self, name: str, default=None):
        name = name.lower()
        for key, value in self.raw:
            if key == name:
                return value
        return default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def get_list(self, name: str) -> List[str]:
        return [v for k, v in self.raw if k == name.lower()]


class Response:
    def __init__(self, status_code: int, headers: Headers, content: bytes, url: str):
        self.status_code, self.headers, self.content, self.url = status_code, headers, content, url

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    @property
    def is_redirect(self) -> bool:
        return self.status_code in (301, 302, 303, 307, 308)


class AsgiClient:
    """Enough of a browser for the tests: a cookie jar (name -> value, honouring Max-Age=0), form
    posts, redirects; a fixed client address (change ``client`` to act from another one)."""

    def __init__(self, app, base_url: str = "http://testserver", client: Tuple[str, int] = ("127.0.0.1", 50000)):
        self.app, self.base_url, self.client = app, base_url, client
        self.cookies: Dict[str, str] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def _store_cookies(self, headers: Headers) -> None:
        for line in headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, url: str, data=None, headers: Optional[Dict[str, str]] = None,
                follow_redirects: bool = False, params: Optional[Dict[str, str]] = None) -> Response:
        full = urljoin(self.base_url + "/", url)
        parts = urlsplit(full)
        query = parts.query
        if params:
            query = (query + "&" if query else "") + urlencode(params, doseq=True)
        body = b""
        raw_headers = [(b"host", parts.netloc.encode())]
        if data is not None:
            body = (data if isinstance(data, (bytes, str)) else urlencode(data, doseq=True))
            body = body.encode() if isinstance(body, str) else body
            raw_headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        raw_headers.append((b"content-length", str(len(body)).encode()))
        if self.cookies:
            raw_headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()).encode()))
        for key, value in (headers or {}).items():
            raw_headers.append((key.lower().encode(), value.encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method.upper(),
                 "scheme": parts.scheme, "path": parts.path or "/", "raw_path": (parts.path or "/").encode(),
                 "query_string": query.encode(), "root_path": "", "headers": raw_headers,
                 "client": self.client, "server": (parts.hostname, parts.port or 80)}
        response = asyncio.run(self._call(scope, body))
        response.url = full
        self._store_cookies(response.headers)
        if follow_redirects and response.is_redirect:
            return self.request("GET", urljoin(full, response.headers["location"]), follow_redirects=True)
        return response

    async def _call(self, scope, body: bytes) -> Response:
        sent = False
        status, headers, chunks = 500, [], []

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message):
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], message.get("headers", [])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return Response(status, Headers(headers), b"".join(chunks), "")

    def get(self, url: str, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, data=None, **kwargs) -> Response:
        return self.request("POST", url, data=data, **kwargs)


def make_client(app, client: Tuple[str, int] = ("127.0.0.1", 50000), base_url: str = "http://testserver"):
    if _StarletteClient is not None:  # pragma: no cover - when httpx is installed
        return _StarletteClient(app, base_url=base_url, client=client, follow_redirects=False)
    return AsgiClient(app, base_url=base_url, client=client)
