"""One upgrade at a time per database. Several replicas may start together against one PostgreSQL;
without a lock two of them would both see "no alembic_version" and both create the tables."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.database import advisory_lock_key

MIGRATION_LOCK_KEY = advisory_lock_key("clair schema migrations")


def hold_migration_lock(connection: Connection) -> None:
    """Blocks until this connection holds the migration lock; it is released when the connection's
    transaction ends (commit or rollback), so a crashed upgrade never leaves it held."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif dialect == "sqlite":
        # pysqlite has not begun a transaction yet (it only does before DML); taking the write lock
        # now makes the whole upgrade, DDL included, one transaction that other processes wait for.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        raise NotImplementedError(f"schema migrations support SQLite and PostgreSQL, not {dialect}")
