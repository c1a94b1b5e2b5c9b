"""A real action server and Rasa server for this folder's session, on free loopback ports, over the
e2e database (the settings, model and knowledge base are in tests/conftest.py: other folders use them too)."""
from __future__ import annotations

import pytest

from bot.services import Supervisor, assistant_services
from tests.servers import Chat


@pytest.fixture(scope="session")
def assistant(e2e_settings, trained_model):
    with Supervisor(assistant_services(e2e_settings, trained_model), e2e_settings) as supervisor:
        yield supervisor


@pytest.fixture(scope="session")
def chat(assistant, e2e_settings):
    return Chat(e2e_settings.rasa_url)
