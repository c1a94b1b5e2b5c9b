"""Copies the turns the assistant could not answer from Rasa's tracker store into our own table
(feedback_unanswered), incrementally: each run reads only events after the last one it saw. Run
before the console's Unanswered page and dashboard are drawn, so they are never more than a page
view behind; running it twice (or on two replicas at once) adds nothing twice (unique event+reason)."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .language import language_of
from .models import HarvestMark, UnansweredMessage
from .replies import reason_of, response_names
from .tracker_turns import Turn, read_turns, tracker_engine

MARK = "tracker"


def insert_unanswered(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    table = UnansweredMessage.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(rows).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(rows).on_conflict_do_nothing()
    else:  # pragma: no cover - the two engines the project runs on
        raise RuntimeError(f"no insert-or-ignore for {dialect}")
    session.execute(stmt)


def unanswered_row(turn: Turn, reason: str, note: str | None = None) -> dict:
    return {"conversation_id": turn.conversation_id, "event_id": turn.event_id, "text": turn.text[:2000],
            "at": turn.at, "reason": reason, "language": language_of(turn.text), "note": note}


def harvest(engine, tracker_store_url: str) -> int:
    """Reads new turns; returns how many unanswered messages were found (duplicates included)."""
    tracker = tracker_engine(tracker_store_url)
    if tracker is None:
        return 0
    try:
        return _harvest(engine, tracker)
    except IntegrityError:
        return 0  # another replica made the first mark at the same moment: it harvested the same turns


def _harvest(engine, tracker) -> int:
    with Session(engine, future=True) as session, session.begin():
        mark = session.get(HarvestMark, MARK)
        after = mark.last_event_id if mark else 0
        # Rasa saves a message's events in one commit, so a visitor message read here comes with
        # all its replies: events after the mark are only ever new turns.
        rows, last = [], after
        for turn in read_turns(tracker, after_id=after):
            last = max([last, turn.event_id, *(r.event_id for r in turn.replies)])
            if not turn.text or turn.text.startswith("/"):
                continue  # a button payload or command: the visitor typed nothing
            reason = reason_of(name for reply in turn.replies for name in response_names(reply.data))
            if reason:
                rows.append(unanswered_row(turn, reason))
        insert_unanswered(session, rows)
        if mark is None:
            session.add(HarvestMark(name=MARK, last_event_id=last))
        else:
            mark.last_event_id = last
        return len(rows)

