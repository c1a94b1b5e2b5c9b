"""UTC, timezone-aware datetimes everywhere, whatever the database stores."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: Optional[datetime]) -> datetime:
    """``value`` (aware) in UTC, or the current time when None; naive times are refused
    because nobody could tell which zone they were meant in."""
    if value is None:
        return utcnow()
    if value.tzinfo is None:
        raise ValueError("naive datetime; pass a timezone-aware one")
    return value.astimezone(timezone.utc)


class UTCDateTime(TypeDecorator):
    """timestamptz on PostgreSQL; on SQLite (no zones) naive UTC text, read back as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
