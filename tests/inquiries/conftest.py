"""Fixtures: SQLite databases in tmp_path, a PostgreSQL database per test (created and
dropped here), a real SMTP server (aiosmtpd) and drafts to submit."""
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.inquiries.models import create_schema
from .inquiry_helpers import SmtpServer, free_port
from knowledge import KnowledgeBase

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def engine(tmp_path):
    """An empty SQLite file with the inquiry tables."""
    eng = create_engine(f"sqlite:///{tmp_path / 'inquiries.sqlite3'}", future=True)
    create_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def kb_engine(kb_file):
    """A copy of the loaded knowledge base (tests/conftest.py) plus the inquiry tables: one shared database."""
    eng = create_engine(f"sqlite:///{kb_file}", future=True)
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
