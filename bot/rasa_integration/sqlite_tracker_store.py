"""The embedded profile's tracker store (endpoints.yml): Rasa's SQL tracker store, with SQLite set
up for a server that writes after every message.

Rasa opens SQLite with its defaults: a new connection for every read and write (SQLAlchemy 1.4's
NullPool) and a rollback journal that syncs the disk several times per commit, about 16 ms a
commit on this machine, spent inside the Rasa server's event loop, so every conversation waits.
Here, on SQLite only:

* write-ahead logging (WAL) with synchronous=NORMAL: a commit appends to the log without waiting
  for the disk; the log is synced at checkpoints. The database cannot be corrupted by a crash; a
  power cut may lose the last moments of conversations, never an inquiry (those live in the
  application's own database, untouched here);
* one pooled connection reused (the store's reads and writes run one at a time in the event loop).

Any other database URL (PostgreSQL) keeps Rasa's engine. On any database, long conversations are
handed to Rasa as their recent turns and state (bot/rasa_integration/tracker_window.py).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.pool import QueuePool

from bot.rasa_integration.tracker_window import WindowedTrackers


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SQLiteTrackerStore(WindowedTrackers, SQLTrackerStore):
    """Rasa's SQLTrackerStore with windowed trackers; on SQLite, WAL with synchronous=NORMAL and a
    pooled connection."""

    engine: Any  # Rasa's, replaced in __init__; declared because it is read before it is assigned here

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            return
        url = self.engine.url
        self.engine.dispose()
        # check_same_thread: a pooled connection may be handed to another thread than the one that
        # opened it; the pool still gives it to one user at a time.
        self.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=4,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _tune_sqlite)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
