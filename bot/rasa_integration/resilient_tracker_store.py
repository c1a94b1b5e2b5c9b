"""Rasa's SQL tracker store, made to ride out a database restart (endpoints.production.yml).

Rasa's SQLTrackerStore keeps pooled connections without checking them, and Rasa wraps every
tracker store in a FailSafeTrackerStore that answers a failed read with "no such conversation".
So the first message after a PostgreSQL restart (or during one) was read against a blank tracker:
the visitor's half-filled form was forgotten and their answer taken for a new question. Here:

* pooled connections are checked before use (pool_pre_ping), so a restart costs no request;
* a read or write that fails because the server is away (refused, shutting down, starting up,
  connection dropped) is retried with backoff for up to ``retry_seconds`` (default 20), while
  the conversation's lock is held, so the message is handled once the database is back.

A save is safe to retry: Rasa's save appends only the events beyond those already stored, so
a commit that reached the server before the connection dropped is not written twice. (With an
event broker configured, a retried save may publish its new events again: at least once.)
Past ``retry_seconds`` the error goes to Rasa's FailSafeTrackerStore as before.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable, Iterable, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError

from bot.database_outage import server_unavailable

log = logging.getLogger(__name__)

RETRY_SECONDS = 20.0  # a PostgreSQL restart takes a few seconds; Rasa's lock lasts 60 s
FIRST_PAUSE = 0.2
MAX_PAUSE = 2.0

T = TypeVar("T")


class ResilientSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose reads and writes wait out a database restart (see the module)."""

    engine: Any  # Rasa's, replaced in __init__; declared because it is read before it is assigned here

    def __init__(self, *args: Any, retry_seconds: float = RETRY_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_seconds = float(retry_seconds)
        # Rasa's engine has no pre-ping and may print statement values in errors; swap it for one
        # with the same URL and pool sizes (Rasa's create_engine_kwargs) that has both.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._ensure_tables()

    def _ensure_tables(self) -> None:
        """Rasa only logs a failed CREATE of its tables and starts anyway; every message would then
        fail to be stored (and FailSafeTrackerStore answer with blank conversations). Started while
        the database restarts, wait for it; when the tables still cannot be made, refuse to start."""
        deadline = time.monotonic() + self.retry_seconds
        pause = FIRST_PAUSE
        while True:
            try:
                self.Base.metadata.create_all(self.engine)  # a no-op when they exist
                return
            except DBAPIError as error:
                if server_unavailable(error) and time.monotonic() + pause <= deadline:
                    log.warning("tracker store: creating its tables failed (%s); the database seems to be away, "
                                "retrying in %.1f s", type(error).__name__, pause)
                    time.sleep(pause)  # start-up: nothing else is being served yet
                    pause = min(pause * 2, MAX_PAUSE)
                    continue
                if self._tables_exist():  # another Rasa server created them at the same moment
                    return
                raise RuntimeError("The tracker store's tables could not be created in its database "
                                   f"({type(error).__name__}); see the database's log.") from None

    def _tables_exist(self) -> bool:
        try:
            return sa.inspect(self.engine).has_table(self.Base.metadata.sorted_tables[0].name)
        except DBAPIError:
            return False

    async def _retrying(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + self.retry_seconds
        pause = FIRST_PAUSE
        while True:
            try:
                return await attempt()
            except DBAPIError as error:
                if not server_unavailable(error) or time.monotonic() + pause > deadline:
                    raise
                # Only the class: the text of a database error can quote conversation data.
                log.warning("tracker store: %s failed (%s); the database seems to be away, retrying in %.1f s",
                            what, type(error).__name__, pause)
            await asyncio.sleep(pause)  # the event loop keeps serving other conversations meanwhile
            pause = min(pause * 2, MAX_PAUSE)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrying("a read", lambda: super(ResilientSQLTrackerStore, self).retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrying(
            "a read", lambda: super(ResilientSQLTrackerStore, self).retrieve_full_tracker(conversation_id))

    async def keys(self) -> Iterable[Text]:
        return await self._retrying("listing conversations", lambda: super(ResilientSQLTrackerStore, self).keys())

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._retrying("a save", lambda: super(ResilientSQLTrackerStore, self).save(tracker))
