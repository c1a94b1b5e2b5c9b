"""Which database errors mean "the server is away" (worth waiting for) -- real errors from the
real PostgreSQL and SQLite, not constructed ones."""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.database import make_engine
from bot.database_outage import server_unavailable
from bot.settings import PRODUCTION_DATABASE_URL

SERVER = make_url(PRODUCTION_DATABASE_URL).set(database="postgres")


def error_of(engine, statement=None, *, parameters=None) -> DBAPIError:
    try:
        with engine.begin() as connection:
            connection.execute(text(statement or "SELECT 1"), parameters or {})
    except DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError("no error")


@pytest.fixture
def postgres():
    engine = make_engine(SERVER)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable ({type(error).__name__})")
    return engine


def test_a_refused_connection_is_an_outage():
    assert server_unavailable(error_of(make_engine("postgresql://postgres@127.0.0.1:1/none")))


def test_a_connection_the_server_ended_is_an_outage(postgres):
    engine = make_engine(SERVER, pool_pre_ping=False)
    with engine.connect() as connection:
        pid = connection.scalar(text("SELECT pg_backend_pid()"))
        with postgres.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as caught:
            connection.execute(text("SELECT 1"))
    engine.dispose()
    assert server_unavailable(caught.value)


def test_statement_errors_are_not(postgres):
    assert not server_unavailable(error_of(postgres, "SELEC 1"))
    assert not server_unavailable(error_of(postgres, "SELECT 1 / 0"))
    table = f"t_{uuid.uuid4().hex[:8]}"
    assert not server_unavailable(error_of(
        postgres, f"CREATE TEMP TABLE {table} (id int primary key); INSERT INTO {table} VALUES (1), (1)"))


def test_sqlite_has_no_server_to_wait_for(tmp_path):
    assert not server_unavailable(error_of(make_engine(f"sqlite:///{tmp_path / 'a.db'}"), "SELECT * FROM missing"))
    (tmp_path / "ro.db").touch()
    read_only = create_engine(f"sqlite:///file:{tmp_path / 'ro.db'}?mode=ro&uri=true", future=True)
    assert not server_unavailable(error_of(read_only, "CREATE TABLE t (id int)"))
