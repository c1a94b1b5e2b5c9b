"""The web app behind a TLS-terminating proxy: forwarded headers are believed from the proxies in
WEB_TRUSTED_PROXIES only. Runs the real `python -m bot web` (uvicorn) on a free loopback port."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bot.settings import PROJECT_ROOT
from tests.servers import free_port

CROSS_SITE = "This request came from another site"


@pytest.fixture
def start_web_app(tmp_path):
    started = []

    def start(trusted: str) -> str:
        port = free_port()
        env = {**os.environ, "CLAIR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'clair.db'}",
               "CLAIR_PROFILE": "embedded", "WEB_TRUSTED_PROXIES": trusted}
        process = subprocess.Popen([sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2)
                return url
            except OSError:
                assert process.poll() is None, "the web app exited during start-up"
                time.sleep(0.3)
        raise AssertionError("the web app did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(15)


def _sign_in_through_tls_proxy(url: str) -> str:
    """A sign-in post as a browser on https://chat.example.org sends it, relayed by the proxy."""
    request = urllib.request.Request(
        f"{url}/staff/login", data=b"email=a%40example.org&password=x", method="POST",
        headers={"Host": "chat.example.org", "Origin": "https://chat.example.org",
                 "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                 "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def test_behind_a_trusted_proxy_the_browsers_https_origin_is_recognised(start_web_app):
    answer = _sign_in_through_tls_proxy(start_web_app("127.0.0.1"))
    # Past the same-origin check: what is missing now is the sign-in form's own token.
    assert CROSS_SITE not in answer and "This form has expired" in answer


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(start_web_app):
    assert CROSS_SITE in _sign_in_through_tls_proxy(start_web_app(""))
