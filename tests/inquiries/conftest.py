"""Fixtures: SQLite databases in tmp_path, a PostgreSQL database per test (created and
dropped here), a real SMTP server (aiosmtpd) and drafts to submit."""
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.inquiries.models import create_schema
from .inquiry_helpers import SmtpServer, free_port
from knowledge import DATA_DIR, KnowledgeBase, load_into_database

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def engine(tmp_path):
    """An empty SQLite file with the inquiry tables."""
    eng = create_engine(f"sqlite:///{tmp_path / 'inquiries.sqlite3'}", future=True)
    create_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def loaded_kb_file(tmp_path_factory):
    """The real knowledge base files loaded once (as tests/knowledge does)."""
    path = tmp_path_factory.mktemp("kb") / "template.sqlite3"
    eng = create_engine(f"sqlite:///{path}", future=True)
    load_into_database(eng, DATA_DIR)
    eng.dispose()
    return path


@pytest.fixture
def kb_engine(tmp_path, loaded_kb_file):
    """A copy of the loaded knowledge base plus the inquiry tables: one shared database."""
    path = tmp_path / "kb.sqlite3"
    shutil.copyfile(loaded_kb_file, path)
    eng = create_engine(f"sqlite:///{path}", future=True)
    create_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def kb(kb_engine):
    return KnowledgeBase(kb_engine)


@pytest.fixture
def pg_engine():
    """A PostgreSQL database made for this test and dropped after it."""
    try:
        admin = create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 -- any failure means "no server to test with"
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({type(error).__name__})")
    name = f"inquiries_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = create_engine(f"postgresql://postgres@127.0.0.1:5432/{name}", future=True, pool_size=20, max_overflow=60)
    create_schema(eng)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def smtp_server():
    server = SmtpServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def start_smtp():
    """Start a server on a given port (for "the mail server came back" tests)."""
    started = []

    def start(port):
        started.append(SmtpServer(port).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()
