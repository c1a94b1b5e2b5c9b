"""Engines for the project's database URLs: SQLite files (embedded profile) or PostgreSQL
(production profile)."""
from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5


def _sqlite_file(url) -> Optional[Path]:
    """The file a SQLite URL writes to, None for memory. URI form (sqlite:///file:PATH?...&uri=true)
    too: its database is "file:PATH", whose folder is not a folder named "file:"."""
    database = url.database
    if not database or database == ":memory:":
        return None
    if url.query.get("uri") in ("true", "1"):
        if url.query.get("mode") in ("memory", "ro") or not database.startswith("file:"):
            return None  # nothing to create: in memory, or read-only (the file must exist)
        database = database[len("file:"):]
    return Path(database)


def make_engine(url: str, **options) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, and pooled connections are checked
    before use, so a restarted database server costs no failed request."""
    parsed = make_url(url)
    path = _sqlite_file(parsed) if parsed.get_backend_name() == "sqlite" else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    options.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "postgresql":
        # A server that does not answer at all must not stall a caller (an action server's event
        # loop) for the operating system's TCP time-out; a URL's own connect_timeout wins.
        connect_args = options.setdefault("connect_args", {})
        if "connect_timeout" not in parsed.query:
            connect_args.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    return create_engine(url, future=True, hide_parameters=True, **options)


def ensure_database(url: str) -> bool:
    """Creates a PostgreSQL database named in `url` when it does not exist; True when created.
    (SQLite creates its file on first use.) Replicas starting together may all try: the losers
    of that race find the database made and return False."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    server = create_engine(parsed.set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
    try:
        with server.connect() as connection:
            if connection.scalar(exists, {"name": parsed.database}):
                return False
            # A name cannot be a bound parameter; quote it as an identifier.
            quoted = server.dialect.identifier_preparer.quote(parsed.database)
            try:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
            except DBAPIError:
                # "already exists", or a unique violation in pg_database when both ran at once.
                if connection.scalar(exists, {"name": parsed.database}):
                    return False
                raise
            return True
    finally:
        server.dispose()


def advisory_lock_key(name: str) -> int:
    """A 64-bit PostgreSQL advisory lock key derived from a name, so that our locks do not collide by
    accident with those of other software using the same database."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def held_lock(engine: Engine, name: str) -> Iterator[None]:
    """Runs the block while this process holds the named lock on the database server: other
    processes asking for it wait. A PostgreSQL session-level advisory lock on a connection of its
    own, released at the end (or by the server if this process dies). SQLite, one machine's
    database, has nothing to coordinate: a no-op."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = advisory_lock_key(name)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()  # the lock is the session's: no transaction left open meanwhile
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def migrated_engine(url: str) -> Engine:
    """An engine on `url` whose schema is at the latest migration: the database is created when
    missing and upgraded under the migration lock (a no-op when already there). For the commands and
    the web app, which may run before `make run` ever has; a change is logged (the commands show this
    logger's lines on stderr, leaving stdout to the command's own output)."""
    from bot.migrations import upgrade

    ensure_database(url)
    engine = make_engine(url)
    result = upgrade(engine)
    if result.changed:
        log.info(result.summary)
    return engine
