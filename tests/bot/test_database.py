"""bot.database against the machine's real PostgreSQL (production profile) and SQLite (embedded)."""
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.database import ensure_database, make_engine

SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def database_name():
    name = f"clair_test_{uuid.uuid4().hex[:10]}"
    yield name
    admin = create_engine(f"{SERVER}/postgres", future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_a_missing_postgresql_database_is_created_once(database_name):
    url = f"{SERVER}/{database_name}"
    assert ensure_database(url) is True
    assert ensure_database(url) is False  # the second start finds it
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT current_database()")) == database_name
    engine.dispose()


def test_a_database_name_is_quoted_not_interpolated(database_name):
    odd = f'{database_name}"; SELECT 1; --'
    try:
        assert ensure_database(f"{SERVER}/{odd}") is True
        admin = create_engine(f"{SERVER}/postgres", future=True)
        with admin.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": odd}) == 1
        admin.dispose()
    finally:
        admin = create_engine(f"{SERVER}/postgres", future=True, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS " + admin.dialect.identifier_preparer.quote(odd)))
        admin.dispose()


def test_sqlite_needs_no_server_and_gets_its_folder(tmp_path):
    path = tmp_path / "nested" / "clair.db"
    assert ensure_database(f"sqlite:///{path}") is False
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert path.is_file()


def test_a_sqlite_uri_url_gets_its_files_folder_not_a_folder_named_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "nested" / "clair.db"
    engine = make_engine(f"sqlite:///file:{path}?uri=true")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    assert path.is_file()
    make_engine("sqlite:///file:memdb?mode=memory&uri=true").dispose()
    assert not (tmp_path / "file:").exists() and not list(tmp_path.glob("file*"))


def test_a_postgresql_server_that_never_answers_fails_within_the_connect_timeout():
    # A listening socket that accepts but never speaks: the connection attempt must give up.
    import socket
    import threading

    from bot.database import CONNECT_TIMEOUT_SECONDS

    outcome = []

    def connect(engine):
        try:
            with engine.connect():
                outcome.append("connected")
        except Exception as error:  # noqa: BLE001 - which error is not the point; giving up is
            outcome.append(type(error).__name__)

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        engine = make_engine(f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/clair")
        attempt = threading.Thread(target=connect, args=(engine,), daemon=True)  # a hang must not hang the suite
        attempt.start()
        attempt.join(CONNECT_TIMEOUT_SECONDS + 10)
        assert outcome == ["OperationalError"], "the connection attempt did not give up"
        engine.dispose()
