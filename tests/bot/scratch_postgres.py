"""Scratch PostgreSQL databases for the schema tests: made for one test and dropped after it, even on
failure, and even when another test on this machine restarts the server meanwhile."""
from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

SERVER = "postgresql://postgres@127.0.0.1:5432"


def on_server(statement: str, attempts: int = 30) -> None:
    """Runs one statement on the maintenance database, retrying for up to `attempts` seconds while
    the server is restarting."""
    for attempt in range(attempts):
        admin = create_engine(f"{SERVER}/postgres", future=True, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)
        finally:
            admin.dispose()


def name_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


@contextmanager
def scratch_database_url(prefix: str, *, create: bool) -> Iterator[str]:
    """The URL of a uniquely named database, created now or left for the test to create, and dropped
    at the end either way. Skips the test when no server answers."""
    try:
        on_server("SELECT 1", attempts=3)
    except OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({type(error).__name__})")
    url = f"{SERVER}/{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        if create:
            on_server(f'CREATE DATABASE "{name_of(url)}"')
        yield url
    finally:
        on_server(f'DROP DATABASE IF EXISTS "{name_of(url)}" WITH (FORCE)')
