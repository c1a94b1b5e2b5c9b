"""The embedded profile's tracker store (endpoints.yml): Rasa's SQL store with SQLite in WAL mode,
synchronous=NORMAL and a pooled connection; conversations still round-trip and other processes
(the staff console's transcripts) still read them; PostgreSQL is left to Rasa's defaults."""
from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.settings import PROJECT_ROOT
from bot.rasa_integration.sqlite_tracker_store import SQLiteTrackerStore
from tests.bot.scratch_postgres import scratch_database_url
from tests.bot.trackers import conversation


@pytest.fixture
def store_from_endpoints(tmp_path, monkeypatch):
    """The tracker store exactly as the Rasa server builds it from endpoints.yml."""
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")  # read with the file, unused here
    store = create_tracker_store(read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store"),
                                 Domain.empty())
    inner = store._tracker_store if isinstance(store, FailSafeTrackerStore) else store
    yield store, inner
    inner.engine.dispose()


def test_endpoints_yml_gives_the_rasa_server_our_store(store_from_endpoints):
    _, inner = store_from_endpoints
    assert type(inner) is SQLiteTrackerStore  # Rasa falls back to memory silently when a type fails to load


def test_sqlite_runs_in_wal_mode_without_waiting_for_the_disk_on_each_commit(store_from_endpoints, tmp_path):
    _, inner = store_from_endpoints
    with inner.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    # WAL is a property of the file: every later connection, from any process, uses it.
    with sqlite3.connect(tmp_path / "tracker.db") as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_one_connection_is_reused(store_from_endpoints):
    _, inner = store_from_endpoints
    with inner.engine.connect() as first:
        first_id = id(first.connection.dbapi_connection)
    with inner.engine.connect() as second:
        assert id(second.connection.dbapi_connection) == first_id


def test_conversations_round_trip_and_another_process_reads_them(store_from_endpoints, tmp_path):
    store, _ = store_from_endpoints
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender, 3)))
    tracker = conversation(sender, 3)
    tracker.update(UserUttered("one more", {"name": "greet", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve(sender))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == [
        "message 0", "message 1", "message 2", "one more"]
    with sqlite3.connect(tmp_path / "tracker.db") as other:  # e.g. the staff console's transcript
        assert other.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0] == 13


def test_postgresql_keeps_rasas_engine(tmp_path):
    with scratch_database_url("sqlite_store_test", create=True) as url:
        store = SQLiteTrackerStore(domain=Domain.empty(), host=url)
        assert store.engine.dialect.name == "postgresql"
        assert not isinstance(store.engine.pool, NullPool) and store.engine.pool.size() == 50  # Rasa's pool
        store.engine.dispose()
