"""Fixtures several test folders share; a fixture only one folder uses stays in that folder's conftest.

The real knowledge base is loaded once per session (a full load takes a while, and used to be
repeated by each folder) and every test gets its own copy, so no test sees another's writes.

The real assistant's settings, model and database (e2e_settings, trained_model, kb) and the whole
system with the web app (web_settings, web_assistant) serve tests/e2e, tests/web, tests/staff,
tests/bench and tests/bot: under --import-mode=importlib a conftest is only seen by its own folder.
The model is trained once and cached by fingerprint (shared with `make run`).
"""
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.prepare import prepare
from bot.services import Supervisor, assistant_services
from bot.settings import load_settings
from knowledge import DATA_DIR, KnowledgeBase, load_into_database
from tests.servers import free_port


@pytest.fixture(scope="session")
def loaded_kb_file(tmp_path_factory) -> Path:
    """The real data files loaded once into a SQLite file. Never written to: tests take a copy
    (kb_file) or build a template of their own from one."""
    path = tmp_path_factory.mktemp("kb") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}", future=True)
    load_into_database(engine, DATA_DIR)
    engine.dispose()
    return path


@pytest.fixture
def kb_file(tmp_path, loaded_kb_file) -> Path:
    """This test's own copy of the loaded knowledge base, in tmp_path."""
    path = tmp_path / "kb.sqlite3"
    shutil.copyfile(loaded_kb_file, path)
    return path


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the real data directory (for malformed files, or exports to write into)."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


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
