"""Finding the answer a vote names. The widget numbers the bubbles it shows (1, 2, …); Rasa's
socket.io channel makes one bubble of each part of a bot message's text between blank lines
(SocketIOOutput.send_text_message / send_text_with_buttons), so the same numbering is rebuilt here
from the tracker store's bot events, and a bubble is only accepted when its text matches too. The
answer is then that bot event's row (events.id): one answer however many bubbles it took."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select

from .tracker_turns import event_data, events


@dataclass(frozen=True)
class Answer:
    event_id: int
    first_bubble: int
    last_bubble: int


def bubbles(text: str) -> list[str]:
    return text.strip().split("\n\n")


def conversation_exists(tracker, conversation_id: str) -> bool:
    stmt = select(events.c.id).where(events.c.sender_id == conversation_id).limit(1)
    with tracker.connect() as conn:
        return conn.execute(stmt).first() is not None


def find_answer(tracker, conversation_id: str, bubble: int, text: str) -> Optional[Answer]:
    stmt = (select(events.c.id, events.c.data)
            .where(events.c.sender_id == conversation_id, events.c.type_name == "bot").order_by(events.c.id))
    number = 0
    with tracker.connect() as conn:
        for row in conn.execute(stmt):
            said = event_data(row.data).get("text")
            if not isinstance(said, str) or not said.strip():
                continue  # the widget numbers only bubbles with text
            parts = bubbles(said)
            if number < bubble <= number + len(parts):
                if parts[bubble - number - 1] != text:
                    return None
                return Answer(row.id, number + 1, number + len(parts))
            number += len(parts)
    return None


def question_before(tracker, conversation_id: str, answer_event_id: int):
    """The visitor message the answer replied to: (event id, text, time), or None (a greeting)."""
    stmt = (select(events.c.id, events.c.timestamp, events.c.data)
            .where(events.c.sender_id == conversation_id, events.c.type_name == "user",
                   events.c.id < answer_event_id).order_by(events.c.id.desc()).limit(1))
    with tracker.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    return row.id, str(event_data(row.data).get("text") or ""), row.timestamp
