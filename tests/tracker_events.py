"""Writes conversations into a SQL tracker store as Rasa's SQLTrackerStore does (its ``events``
table and the JSON it keeps per event), for the feedback loop's tests. A bot event may name the
response it said (``metadata.utter_action``), as Rasa records it."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Iterable, Optional, Tuple, Union

from sqlalchemy import create_engine, text

START = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
Event = Union[Tuple[str, Optional[str]], Tuple[str, Optional[str], Optional[str]]]


class TrackerWriter:
    def __init__(self, url: str):
        self.engine = create_engine(url, future=True)
        key = "SERIAL PRIMARY KEY" if url.startswith("postgresql") else "INTEGER PRIMARY KEY"
        with self.engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE IF NOT EXISTS events (id {key}, sender_id VARCHAR(255) "
                              "NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                              "action_name VARCHAR(255), data TEXT)"))

    def add(self, conversation_id: str, events: Iterable[Event], start: datetime = START) -> None:
        """events: (type, text) or (type, text, name): a bot event's response, an action's name."""
        with self.engine.begin() as conn:
            for i, event in enumerate(events):
                kind, said = event[0], event[1]
                name = event[2] if len(event) > 2 else None
                at = (start + timedelta(seconds=10 * i)).timestamp()
                data: dict = {"event": kind, "timestamp": at}
                if said is not None:
                    data["text"] = said
                if kind == "bot" and name:
                    data["metadata"] = {"utter_action": name}
                if kind == "action":
                    data["name"] = name
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, action_name, data) "
                                  "VALUES (:s, :t, :ts, :a, :d)"),
                             {"s": conversation_id, "t": kind, "ts": at, "a": name if kind == "action" else None,
                              "d": json.dumps(data)})

    def turn(self, conversation_id: str, question: str, answer: str, response: str,
             start: datetime = START, action: str = "action_answer") -> None:
        self.add(conversation_id, [("user", question), ("action", None, action), ("bot", answer, response),
                                   ("action", None, "action_listen")], start)

    def dispose(self) -> None:
        self.engine.dispose()
