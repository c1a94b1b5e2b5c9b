"""A real action server and Rasa server for this folder's session, on free loopback ports, over
this folder's own database (the settings, model and knowledge base: tests/servers.py)."""
from __future__ import annotations

import pytest

from bot.services import Supervisor, assistant_services
from tests import servers
from tests.servers import Chat

e2e_settings, trained_model, kb = servers.e2e_settings, servers.trained_model, servers.kb


@pytest.fixture(scope="session")
def assistant(e2e_settings, trained_model):
    with Supervisor(assistant_services(e2e_settings, trained_model), e2e_settings) as supervisor:
        yield supervisor


@pytest.fixture(scope="session")
def chat(assistant, e2e_settings):
    return Chat(e2e_settings.rasa_url)
