"""Answers CLAIR staff wrote (knowledge base, kb_staff_answer) for what the page does not answer.

Asked only where the assistant would otherwise fall back, call the message off-topic or say the page
does not give it: a staff answer never takes the place of an answer the knowledge base itself gives.
The reply says that CLAIR staff wrote it, and when."""
from __future__ import annotations

from datetime import date
from typing import Optional

from actions.turn import Turn


def written_on(iso_date: str) -> str:
    """"2026-12-08" -> "8 December 2026" (a date the file holds some other way is said as it is)."""
    try:
        day = date.fromisoformat(iso_date)
    except ValueError:
        return iso_date
    return f"{day.day} {day:%B %Y}"


def answered_by_staff(turn: Turn, text: str, gap_topic: Optional[str] = None) -> bool:
    """Says the staff answer ``text`` asks for, if one is close enough (or, for a message the page gap
    ``gap_topic`` caught, one staff wrote for that gap). True when it answered."""
    found = turn.kb.match_staff_answer(text, gap_topic) if text else None
    if found is None:
        return False
    turn.intent = "staff_answer"
    turn.say("utter_staff_answer", answer=found.answer.answer, written=written_on(found.answer.written))
    turn.remember()  # a follow-up is about nothing the knowledge base names
    return True
