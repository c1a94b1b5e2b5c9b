"""The production tracker store (bot.rasa_integration.resilient_tracker_store) against the real PostgreSQL:
it rides out a restart -- connections cut, server away for a while -- where Rasa's SQLTrackerStore loses the
conversation; a longer outage or a bad statement still fails."""
from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.database import ensure_database, make_engine
from bot.settings import PRODUCTION_DATABASE_URL, PROJECT_ROOT
from bot.rasa_integration.resilient_tracker_store import ResilientSQLTrackerStore
from tests.bot.outage_proxy import OutageProxy
from tests.bot.trackers import conversation

SERVER = make_url(PRODUCTION_DATABASE_URL)


def admin_engine():
    return make_engine(SERVER.set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def tracker_db():
    """A PostgreSQL database of this test's own, dropped afterwards."""
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    url = SERVER.set(database=name)
    try:
        ensure_database(str(url))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable ({type(error).__name__})")
    yield url
    admin = admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def proxy():
    relay = OutageProxy(SERVER.port or 5432).up()
    yield relay
    relay.down()


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))] if tracker else []


def stored_event_count(url, sender: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender})
    finally:
        engine.dispose()


def cut_connections(url) -> int:
    """What a restart does to pooled connections: the server ends every session of the database."""
    admin = admin_engine()
    try:
        with admin.connect() as connection:
            return len(connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                {"d": url.database}).all())
    finally:
        admin.dispose()


def later(seconds: float, action) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()))
    thread.start()
    return thread


def store_on(url, **options) -> ResilientSQLTrackerStore:
    return ResilientSQLTrackerStore(domain=Domain.empty(), host=str(url), **options)


def test_endpoints_production_yml_loads_this_store(tracker_db, monkeypatch):
    variables = {"TRACKER_STORE_URL": str(tracker_db), "ACTION_ENDPOINT_URL": "http://127.0.0.1:1/webhook",
                 "LOCK_STORE_URL": "redis://127.0.0.1:6379/0", "LOCK_STORE_PREFIX": "unused"}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.production.yml"), "tracker_store")
    store = create_tracker_store(config, Domain.empty())
    assert isinstance(store, ResilientSQLTrackerStore)
    store.engine.dispose()


def test_pooled_connections_cut_by_a_restart_cost_no_conversation(tracker_db):
    store, rasas = store_on(tracker_db), SQLTrackerStore(domain=Domain.empty(), host=str(tracker_db))
    asyncio.run(store.save(conversation("visitor")))
    assert texts(asyncio.run(store.retrieve("visitor")))  # a connection is now in each pool
    assert texts(asyncio.run(rasas.retrieve("visitor")))
    assert cut_connections(tracker_db) >= 2

    assert texts(asyncio.run(store.retrieve("visitor"))) == texts(conversation("visitor"))
    # Rasa's own store fails here, and its FailSafeTrackerStore would answer "no conversation".
    with pytest.raises(OperationalError):
        asyncio.run(rasas.retrieve("visitor"))
    assert texts(asyncio.run(rasas.retrieve("visitor")))  # a fresh pool, cut again
    cut_connections(tracker_db)
    assert asyncio.run(FailSafeTrackerStore(rasas).retrieve("visitor")) is None
    store.engine.dispose(), rasas.engine.dispose()


def test_a_read_waits_until_the_server_is_back(tracker_db, proxy):
    store = store_on(tracker_db.set(host="127.0.0.1", port=proxy.port))
    asyncio.run(store.save(conversation("visitor")))
    proxy.down()
    comeback = later(1.5, proxy.up)
    started = time.monotonic()
    restored = asyncio.run(store.retrieve("visitor"))
    waited = time.monotonic() - started
    comeback.join()
    assert texts(restored) == texts(conversation("visitor"))
    assert 1.4 < waited < 5
    store.engine.dispose()


def test_a_save_during_an_outage_is_written_once_when_the_server_is_back(tracker_db, proxy):
    store = store_on(tracker_db.set(host="127.0.0.1", port=proxy.port))
    first = conversation("visitor", turns=1)
    asyncio.run(store.save(first))
    longer = conversation("visitor", turns=3)
    proxy.down()
    comeback = later(1.0, proxy.up)
    asyncio.run(store.save(longer))
    comeback.join()
    assert stored_event_count(tracker_db, "visitor") == len(longer.events)
    assert texts(asyncio.run(store.retrieve("visitor"))) == texts(longer)
    store.engine.dispose()


def test_other_conversations_are_served_while_one_waits(tracker_db, proxy):
    """The wait is an asyncio sleep: the Rasa server's event loop is not blocked by it."""
    waiting = store_on(tracker_db.set(host="127.0.0.1", port=proxy.port))
    direct = store_on(tracker_db)
    asyncio.run(direct.save(conversation("other")))

    async def run():
        slow = asyncio.ensure_future(waiting.retrieve("visitor"))  # waits for the proxy
        await asyncio.sleep(0.3)
        started = time.monotonic()
        other = await direct.retrieve("other")
        elapsed = time.monotonic() - started
        await slow
        return elapsed, other

    proxy.down()
    comeback = later(1.5, proxy.up)
    elapsed, other = asyncio.run(run())
    comeback.join()
    assert texts(other) and elapsed < 0.5
    waiting.engine.dispose(), direct.engine.dispose()


def test_an_outage_longer_than_the_retry_window_still_fails(tracker_db, proxy):
    store = store_on(tracker_db.set(host="127.0.0.1", port=proxy.port), retry_seconds=1)
    asyncio.run(store.save(conversation("visitor")))
    proxy.down()
    started = time.monotonic()
    with pytest.raises(OperationalError):
        asyncio.run(store.retrieve("visitor"))
    assert 0.5 < time.monotonic() - started < 3
    store.engine.dispose()


def test_a_bad_statement_is_not_retried(tracker_db):
    store = store_on(tracker_db)
    engine = make_engine(tracker_db)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE events"))
    engine.dispose()
    started = time.monotonic()
    with pytest.raises(ProgrammingError):
        asyncio.run(store.retrieve("visitor"))
    assert time.monotonic() - started < 1
    store.engine.dispose()


def test_started_while_the_database_restarts_it_waits_and_creates_its_tables(tracker_db, proxy):
    proxy.down()
    later(1.0, proxy.up)
    store = store_on(tracker_db.set(host="127.0.0.1", port=proxy.port), retry_seconds=15)
    asyncio.run(store.save(conversation("visitor")))  # stored for real, not in a fallback
    assert stored_event_count(tracker_db, "visitor") > 0
    store.engine.dispose()


def test_it_refuses_to_start_when_its_tables_cannot_be_made(tracker_db, proxy):
    # Rasa's own store only logs this and starts; every message would then be lost.
    proxy.down()
    with pytest.raises(RuntimeError, match="tables could not be created"):
        store_on(tracker_db.set(host="127.0.0.1", port=proxy.port), retry_seconds=1)
