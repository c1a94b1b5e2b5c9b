"""Telling a database server that is away (restarting, failing over, unreachable) from a statement
that failed on its own merits: only the first is worth waiting for and trying again."""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# PostgreSQL's SQLSTATEs for a server going or not yet back: class 08 (connection exception),
# admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up").
POSTGRESQL_AWAY_CODES = ("57P01", "57P02", "57P03")


def server_unavailable(error: BaseException) -> bool:
    """True when `error` says the database server could not be reached or dropped the connection."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True  # SQLAlchemy recognised a lost connection
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    original = error.orig
    if type(original).__module__.startswith("sqlite3"):
        return False  # a file, not a server: "no such table", "readonly database", "locked"
    code = getattr(original, "pgcode", None)
    # No SQLSTATE: the driver failed to connect or lost the socket (refused, reset, timed out).
    return code is None or code.startswith("08") or code in POSTGRESQL_AWAY_CODES
