"""Before minutes of set-up: can the production profile reach its PostgreSQL and Redis? One clear
sentence per unreachable server instead of a traceback deep inside start-up."""
from __future__ import annotations

import redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.database import make_engine
from bot.settings import Settings


def shown(url: str) -> str:
    """A URL fit to print: the password masked."""
    return make_url(url).render_as_string(hide_password=True) if "://" in url else url


def _postgresql_problem(name: str, url: str) -> str | None:
    # The server's maintenance database: the project's own may not exist yet (prepare creates it).
    engine = make_engine(make_url(url).set(database="postgres"))  # gives up connecting after 5 s
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return f"Cannot reach the PostgreSQL server of {name} ({shown(url)}): {reason}"
    finally:
        engine.dispose()


def _redis_problem(url: str) -> str | None:
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.ping()
        return None
    except redis.RedisError as error:
        return f"Cannot reach the Redis lock store ({shown(url)}): {error}"
    finally:
        client.close()


def store_problems(settings: Settings) -> list[str]:
    """Unreachable servers of the production profile (the embedded profile has none to reach)."""
    if settings.profile != "production":
        return []
    problems = [
        _postgresql_problem(name, url)
        for name, url in (("DATABASE_URL", settings.database_url), ("TRACKER_STORE_URL", settings.tracker_store_url))
        if make_url(url).get_backend_name() == "postgresql"
    ]
    problems.append(_redis_problem(settings.lock_store_url))
    return [problem for problem in problems if problem]
