"""The action server's one knowledge facade, over the database named by DATABASE_URL."""
from __future__ import annotations

from functools import lru_cache

from bot.database import make_engine
from bot.settings import load_settings
from knowledge.query import KnowledgeBase


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    # One engine (a connection pool) per process; the facade opens a Session per query. Its
    # connections are checked before use, so a restarted database costs no failed answer.
    return KnowledgeBase(make_engine(load_settings().database_url))
