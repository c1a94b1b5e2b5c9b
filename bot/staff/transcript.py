"""An inquiry's conversation, read from Rasa's SQL tracker store (the ``events`` table of the database
at TRACKER_STORE_URL): what the visitor and the assistant said, with times. Read-only."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

MAX_EVENTS = 2000  # a conversation longer than this shows its latest part

_events = Table(  # the columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent that we read
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("data", Text),
)


@dataclass(frozen=True)
class Line:
    speaker: str  # "visitor", "assistant" or "session" (a new session started)
    text: str
    at: Optional[datetime]


@dataclass(frozen=True)
class Transcript:
    lines: List[Line]
    error: Optional[str] = None  # why it could not be read (no personal data)
    truncated: bool = False


@lru_cache(maxsize=4)
def engine_for(url: str):
    return create_engine(url, future=True, hide_parameters=True)


def _when(value) -> Optional[datetime]:
    try:
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(data: dict) -> str:
    text = data.get("text")
    if text:
        return str(text)
    # Buttons, images and custom payloads: say what they were rather than nothing.
    extra = [k for k in ("buttons", "image", "custom", "attachment") if data.get(k)]
    return f"[{', '.join(extra)}]" if extra else ""


def read_transcript(tracker_store_url: str, conversation_id: Optional[str]) -> Transcript:
    if not conversation_id:
        return Transcript([], "This inquiry names no conversation.")
    if not tracker_store_url.startswith(("sqlite", "postgresql", "mysql", "oracle", "mssql")):
        return Transcript([], "The tracker store is not an SQL database, so the transcript cannot be read here.")
    if tracker_store_url.startswith("sqlite:///") and tracker_store_url != "sqlite:///:memory:":
        if not Path(tracker_store_url[len("sqlite:///"):]).is_file():  # connecting would create it
            return Transcript([], "The tracker store holds no conversations yet.")
    try:
        engine = engine_for(tracker_store_url)
        stmt = (select(_events.c.type_name, _events.c.timestamp, _events.c.data)
                .where(_events.c.sender_id == conversation_id,
                       _events.c.type_name.in_(("user", "bot", "session_started")))
                .order_by(_events.c.id.desc()).limit(MAX_EVENTS + 1))
        with engine.connect() as conn:
            rows = conn.execute(stmt).all()
    except SQLAlchemyError as error:
        log.warning("cannot read the tracker store (%s)", type(error).__name__)
        return Transcript([], f"The conversation could not be read from the tracker store ({type(error).__name__}).")
    truncated = len(rows) > MAX_EVENTS
    lines = []
    for type_name, timestamp, data in reversed(rows[:MAX_EVENTS]):
        try:
            payload = json.loads(data or "{}")
        except ValueError:
            payload = {}
        if type_name == "session_started":
            lines.append(Line("session", "A new conversation session started.", _when(timestamp)))
            continue
        text = _text(payload)
        if text:
            lines.append(Line("visitor" if type_name == "user" else "assistant", text, _when(timestamp)))
    # A leading "session started" marker says nothing.
    while lines and lines[0].speaker == "session":
        lines.pop(0)
    return Transcript(lines, None, truncated)
