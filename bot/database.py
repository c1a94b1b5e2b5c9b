"""Engines for the project's database URLs: SQLite files (embedded profile) or PostgreSQL
(production profile)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url


def make_engine(url: str, **options) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, and pooled connections are checked
    before use, so a restarted database server costs no failed request."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, hide_parameters=True, **options)


def ensure_database(url: str) -> bool:
    """Creates a PostgreSQL database named in `url` when it does not exist; True when created.
    (SQLite creates its file on first use.)"""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    server = create_engine(parsed.set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": parsed.database})
            if not exists:
                # A name cannot be a bound parameter; quote it as an identifier.
                quoted = server.dialect.identifier_preparer.quote(parsed.database)
                connection.execute(text(f"CREATE DATABASE {quoted}"))
            return not exists
    finally:
        server.dispose()
