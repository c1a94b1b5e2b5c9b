"""The action server's one knowledge facade, over the database named by DATABASE_URL."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

from bot.database import make_engine
from bot.settings import load_settings
from knowledge.query import KnowledgeBase


def _engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        # SQLAlchemy 1.4 opens a new SQLite connection for every session; an answer runs several
        # queries, and opening the file each time was a third of an answer's cost. Connections
        # are reused instead (the action server runs actions on one thread at a time).
        return make_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
    return make_engine(url)


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    # One engine (a connection pool) per process; the facade opens a Session per query. Its
    # connections are checked before use, so a restarted database costs no failed answer.
    settings = load_settings()
    return KnowledgeBase(_engine(settings.database_url), staff_answer_threshold=settings.staff_answer_threshold)
