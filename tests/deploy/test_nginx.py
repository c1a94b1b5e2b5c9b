"""deploy/nginx.conf, run for real: Debian's nginx starts a copy of it whose upstream host names
(the compose services) point at small recording HTTP servers on loopback ports, and whose listen
port is free. Requests through it must reach the right service with the headers each needs."""
from __future__ import annotations

import getpass
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from tests.deploy.deploy_files import NGINX_CONF, compose, compose_environment, settings_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PUBLIC_HOST = "chat.example.org:8080"  # the Host a browser sends; the web app checks origins against it


class Recorder(ThreadingHTTPServer):
    """Answers every request with what it received: its name, the path and the headers."""

    def __init__(self, name: str):
        self.name = name

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = json.dumps({"server": name, "path": self.path,
                                   "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local_copy(root: Path, listen: int, upstreams: dict[str, list[int]]) -> Path:
    """deploy/nginx.conf with its upstream servers (host:port → loopback ports), its listen port and
    its working paths moved into `root`; everything else as committed."""
    text = NGINX_CONF.read_text()
    for address, ports in upstreams.items():
        line = re.compile(rf"^(\s*)server {re.escape(address)};$", re.M)
        assert line.search(text), f"no upstream server {address} in deploy/nginx.conf"
        text = line.sub(lambda m, ports=ports: "".join(f"{m.group(1)}server 127.0.0.1:{port};\n" for port in ports).rstrip("\n"), text)
    assert re.search(r"^\s*listen 80;$", text, re.M)
    text = re.sub(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen};", text, flags=re.M)
    temp = " ".join(f"{kind}_temp_path {root / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = text.replace("http {", f"http {{\n    {temp}", 1)
    path = root / "nginx.conf"
    path.write_text(text)
    return path


def nginx_globals(root: Path) -> str:
    # As root, nginx would run its workers as nobody, who cannot enter a private temporary folder.
    user = f" user {getpass.getuser()};" if os.geteuid() == 0 else ""
    return f"pid {root / 'nginx.pid'};{user}"


@contextmanager
def running_nginx(config: Path, root: Path, port: int) -> Iterator[None]:
    log = open(root / "nginx.out", "wb")
    process = subprocess.Popen([NGINX, "-c", str(config), "-e", str(root / "error.log"),
                                "-g", f"daemon off; {nginx_globals(root)}"], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 10
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert process.poll() is None, (root / "nginx.out").read_text() + (root / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start listening"
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def request(port: int, method: str, path: str, headers: dict[str, str] | None = None) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = b'{"sender": "s", "message": "hi"}' if method == "POST" else None
        connection.request(method, path, body=body, headers={"Host": PUBLIC_HOST, **(headers or {})})
        response = connection.getresponse()
        assert response.status == 200, (response.status, response.read())
        return json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def balancer(tmp_path_factory):
    """nginx on a free port in front of one web app and two Rasa servers (recorders)."""
    root = tmp_path_factory.mktemp("nginx")
    web, rasa_a, rasa_b = Recorder("web"), Recorder("rasa-a"), Recorder("rasa-b")
    port = free_port()
    config = local_copy(root, port, {"web:8000": [web.port], "rasa-server:5005": [rasa_a.port, rasa_b.port]})
    try:
        with running_nginx(config, root, port):
            yield port
    finally:
        for server in (web, rasa_a, rasa_b):
            server.shutdown()
            server.server_close()


def test_the_committed_config_is_valid_nginx(tmp_path):
    """`nginx -t` on the committed file, its compose host names pointed at loopback."""
    config = local_copy(tmp_path, 80, {"web:8000": [8000], "rasa-server:5005": [5005, 5006]})
    result = subprocess.run([NGINX, "-t", "-c", str(config), "-e", str(tmp_path / "error.log"),
                             "-g", nginx_globals(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_upstreams_are_the_compose_services_and_their_ports():
    services = compose()["services"]
    text = NGINX_CONF.read_text()
    upstream_servers = set(re.findall(r"^\s*server ([\w.-]+):(\d+);$", text, re.M))
    web = settings_for(compose_environment(services["web"]))
    rasa = settings_for(compose_environment(services["rasa-server"]))
    assert upstream_servers == {("web", str(web.web_port)), ("rasa-server", str(rasa.rasa_port))}
    assert services["nginx"]["ports"][0].rsplit(":", 1)[1] == "80"
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]


def test_the_chat_page_and_the_staff_console_reach_the_web_app_with_the_browsers_host(balancer):
    for path in ("/", "/staff/", "/staff/login", "/health", "/static/chat.js"):
        answer = request(balancer, "GET", path)
        assert (answer["server"], answer["path"]) == ("web", path)
        assert answer["headers"]["host"] == PUBLIC_HOST  # the console's same-origin check needs it
        assert answer["headers"]["x-forwarded-proto"] == "http"
        assert answer["headers"]["x-forwarded-for"] == "127.0.0.1"


def test_rest_messages_are_spread_over_the_rasa_servers(balancer):
    servers = [request(balancer, "POST", "/webhooks/rest/webhook")["server"] for _ in range(6)]
    assert set(servers) == {"rasa-a", "rasa-b"}  # no affinity needed: the lock store serialises


def test_socketio_keeps_a_client_on_one_rasa_server(balancer):
    servers = {request(balancer, "GET", f"/socket.io/?EIO=4&transport=polling&t={i}")["server"] for i in range(6)}
    assert len(servers) == 1 and servers <= {"rasa-a", "rasa-b"}


def test_socketio_websocket_upgrades_are_passed_on(balancer):
    answer = request(balancer, "GET", "/socket.io/?EIO=4&transport=websocket",
                     {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert answer["server"].startswith("rasa-")
    assert answer["headers"]["upgrade"] == "websocket"
    assert answer["headers"]["connection"].lower() == "upgrade"
    assert answer["headers"]["host"] == PUBLIC_HOST
    # Without an Upgrade header the connection is not kept open as a tunnel.
    assert request(balancer, "GET", "/socket.io/?EIO=4&transport=polling")["headers"]["connection"] == "close"


def test_rasas_http_api_is_not_routed_to_rasa(balancer):
    for path in ("/conversations/someone/tracker", "/model", "/status", "/version"):
        answer = request(balancer, "GET", path)
        assert answer["server"] == "web", path
