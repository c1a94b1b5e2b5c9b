"""Rasa's tracker store read as turns: each visitor message with the actions and replies that
followed it, until the conversation's next visitor message. Read-only, from the ``events`` table
of TRACKER_STORE_URL (the columns bot/staff/transcript.py reads, plus action_name)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, List, Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, select

from bot.staff.transcript import engine_for

events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("action_name", String(255)),
    Column("data", Text),
)
TYPES = ("user", "bot", "action")


@dataclass
class Reply:
    event_id: int
    data: dict


@dataclass
class Turn:
    conversation_id: str
    event_id: int  # the user event's row
    text: str
    at: datetime
    actions: List[str] = field(default_factory=list)
    replies: List[Reply] = field(default_factory=list)


def tracker_engine(url: str):
    """The tracker store's engine, or None when there is nothing to read (a SQLite file not made yet:
    connecting would create it)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:" and not Path(url[len("sqlite:///"):]).is_file():
        return None
    return engine_for(url)


def event_data(raw: Optional[str]) -> dict:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _at(value) -> datetime:
    return datetime.fromtimestamp(float(value or 0), tz=timezone.utc)


def read_turns(engine, after_id: int = 0, since: Optional[datetime] = None,
               conversation_id: Optional[str] = None) -> Iterator[Turn]:
    """Turns whose events have ids above ``after_id`` (and times from ``since``), per conversation in
    event order. A slash command (a button's payload, "/restart") is a turn too, with its text."""
    stmt = select(events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp,
                  events.c.action_name, events.c.data).where(events.c.type_name.in_(TYPES), events.c.id > after_id)
    if since is not None:
        stmt = stmt.where(events.c.timestamp >= since.timestamp())
    if conversation_id is not None:
        stmt = stmt.where(events.c.sender_id == conversation_id)
    open_turns: dict[str, Turn] = {}
    with engine.connect() as conn:
        for row in conn.execute(stmt.order_by(events.c.sender_id, events.c.id)):
            if row.type_name == "user":
                previous = open_turns.pop(row.sender_id, None)
                if previous is not None:
                    yield previous
                data = event_data(row.data)
                open_turns[row.sender_id] = Turn(row.sender_id, row.id, str(data.get("text") or ""), _at(row.timestamp))
                continue
            turn = open_turns.get(row.sender_id)
            if turn is None:
                continue  # before the first visitor message (session start, greeting rules)
            if row.type_name == "action":
                turn.actions.append(row.action_name or event_data(row.data).get("name") or "")
            else:
                turn.replies.append(Reply(row.id, event_data(row.data)))
    yield from open_turns.values()
