"""Reads a conversation back from Rasa's SQL tracker store (its `events` table) and checks that
it is whole: each user message is followed by its own complete turn, with nothing interleaved."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class Event:
    id: int
    type: str
    timestamp: float
    action: str | None
    data: dict

    @property
    def text(self) -> str | None:
        return self.data.get("text")


def events(tracker_engine: Engine, sender_id: str) -> list[Event]:
    """The conversation's events in the order they were stored."""
    query = text("SELECT id, type_name, timestamp, action_name, data FROM events WHERE sender_id = :sender ORDER BY id")
    with tracker_engine.connect() as connection:
        rows = connection.execute(query, {"sender": sender_id}).all()
    return [Event(row.id, row.type_name, row.timestamp, row.action_name, json.loads(row.data)) for row in rows]


def turns(conversation: list[Event]) -> list[list[Event]]:
    """The events from each user message up to the next one; what came before the first (the
    session start) is left out."""
    starts = [i for i, event in enumerate(conversation) if event.type == "user"]
    return [conversation[start:end] for start, end in zip(starts, starts[1:] + [len(conversation)])]


def problems(conversation: list[Event], sent: list[str]) -> list[str]:
    """What is wrong with a stored conversation whose visitor sent the messages `sent` (in any
    order): missing or repeated messages, turns that are incomplete or mixed with another."""
    found = []
    stamps = [e.timestamp for e in conversation]  # stored order (ids) must be the order of events
    if stamps != sorted(stamps):
        found.append("timestamps go backwards in id order")
    said = [turn[0].text for turn in turns(conversation)]
    if sorted(said) != sorted(sent):
        found.append(f"user messages stored {said}, sent {sent}")
    for turn in turns(conversation):
        listens = [i for i, e in enumerate(turn) if e.type == "action" and e.action == "action_listen"]
        if listens != [len(turn) - 1]:  # a turn ends in listening, and only there
            found.append(f"turn {turn[0].text!r} does not end with its one action_listen")
        if not any(e.type == "bot" for e in turn):
            found.append(f"turn {turn[0].text!r} has no bot reply")
    return found
