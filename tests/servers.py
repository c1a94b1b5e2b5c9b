"""The real assistant for tests that talk to it: its settings, model, knowledge base and servers on
free loopback ports, and a chat client for Rasa's REST channel. The model is trained once and cached
by fingerprint (shared with `make run`).

A folder that uses the fixtures binds them in its conftest (`e2e_settings = servers.e2e_settings`):
each folder then has its own instances (its own database and ports), so one folder's conversations
and inquiries are never seen by another's. Under --import-mode=importlib a conftest is only seen by
its own folder."""
from __future__ import annotations

import json
import socket
import urllib.request
from dataclasses import replace

import pytest
from sqlalchemy import create_engine

from bot.prepare import prepare
from bot.services import Supervisor, assistant_services
from bot.settings import load_settings
from knowledge import KnowledgeBase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chat:
    """Talks to the assistant through Rasa's REST channel, as a chat front end does."""

    def __init__(self, rasa_url: str):
        self.url = f"{rasa_url}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def text(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text))


@pytest.fixture(scope="session")
def e2e_settings(tmp_path_factory):
    """Settings for a real assistant on free loopback ports, over a fresh database."""
    var = tmp_path_factory.mktemp("var")
    return replace(
        load_settings(), var_dir=var,
        database_url=f"sqlite:///{var / 'clair.db'}", tracker_store_url=f"sqlite:///{var / 'tracker.db'}",
        rasa_port=free_port(), action_port=free_port(), rasa_api_token="",
    )


@pytest.fixture(scope="session")
def trained_model(e2e_settings):
    return prepare(e2e_settings)


@pytest.fixture(scope="session")
def kb(e2e_settings, trained_model):
    return KnowledgeBase(create_engine(e2e_settings.database_url, future=True))


# --- the whole system as `make run` starts it, web app included (tests/web, tests/staff) -------------
@pytest.fixture(scope="session")
def web_settings(e2e_settings):
    """e2e_settings with ports of its own, so this stack can run beside tests/e2e's `assistant`."""
    return replace(e2e_settings, rasa_port=free_port(), action_port=free_port(), web_port=free_port())


@pytest.fixture(scope="session")
def web_assistant(web_settings, trained_model):
    """Action server, Rasa server (REST and socket.io, CORS for the page), web app and notifier."""
    services = assistant_services(web_settings, trained_model, web_app=True)
    with Supervisor(services, web_settings) as supervisor:
        yield supervisor
