"""The test client for the staff app: Starlette's TestClient, from a fixed client address (the login
rate limits count per address) and without following redirects (tests check them)."""
from __future__ import annotations

from typing import Tuple

from starlette.testclient import TestClient


def make_client(app, client: Tuple[str, int] = ("127.0.0.1", 50000), base_url: str = "http://testserver"):
    return TestClient(app, base_url=base_url, client=client, follow_redirects=False)
