"""What staff decide for a group of unanswered messages, each audited in the same transaction:
point it to an existing answer (its wordings go to the training-suggestions queue) or dismiss it.
A decision takes the group's message ids as shown on the page; ids already decided (by a colleague
a moment ago) or unknown are refused, so nothing is decided twice.

"Write an answer" (a staff-written answer served live) is a separate part of issue 13 and has no
code here yet; bot/web/staff/templates/unanswered.html marks its place."""
from __future__ import annotations

from typing import Iterable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.feedback.models import TrainingSuggestion, UnansweredMessage
from bot.inquiries.timeutil import utcnow
from bot.staff import audit

from .answers import answer_choices
from .masking import mask

MAX_GROUP_IDS = 5000


class DecisionError(ValueError):
    pass


class AlreadyDecided(DecisionError):
    pass


def parse_ids(values: Iterable[str]) -> List[int]:
    ids = []
    for value in values:
        for part in str(value).split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise DecisionError("The group on the page is not valid; reload the page.")
                ids.append(int(part))
    if not ids or len(ids) > MAX_GROUP_IDS:
        raise DecisionError("Choose a group from the list.")
    return sorted(set(ids))


def _open_rows(session: Session, ids: List[int]) -> List[UnansweredMessage]:
    rows = session.scalars(select(UnansweredMessage).where(UnansweredMessage.id.in_(ids))
                           .with_for_update()).all()
    if len(rows) != len(ids):
        raise DecisionError("Some of these messages no longer exist; reload the page.")
    if any(r.decision is not None for r in rows):
        raise AlreadyDecided("Someone has already acted on this group; reload the page.")
    return rows


def _decide(session: Session, rows, decision: str, actor_id: Optional[int]) -> None:
    now = utcnow()
    for row in rows:
        row.decision, row.decided_at, row.decided_by = decision, now, actor_id


def training_text(text: str) -> str:
    """A visitor's wording as an NLU example: one line, contact details masked, and no square brackets
    or braces (Rasa would read them as entity annotations)."""
    return " ".join(mask(text).replace("[", "").replace("]", "").replace("{", "").replace("}", "").split())


def point_to_answer(engine, ids: List[int], intent: str, actor_id: Optional[int]) -> int:
    """Returns how many new training suggestions were queued."""
    choices = answer_choices()
    if intent not in choices:
        raise DecisionError("Choose one of the assistant's answers.")
    with Session(engine, future=True) as session, session.begin():
        rows = _open_rows(session, ids)
        known = set(session.scalars(select(TrainingSuggestion.text).where(TrainingSuggestion.intent == intent)))
        added = 0
        for row in rows:
            example = training_text(row.text)
            if example and example not in known:
                known.add(example)
                session.add(TrainingSuggestion(intent=intent, text=example, source_id=row.id, created_by=actor_id))
                added += 1
        _decide(session, rows, "pointed", actor_id)
        audit.record(session, actor_id, "point_to_answer", "feedback.unanswered", _key(rows),
                     before={"decision": None, "messages": len(rows)},
                     after={"decision": "pointed", "intent": intent, "suggestions_added": added})
        return added


def dismiss(engine, ids: List[int], actor_id: Optional[int]) -> int:
    with Session(engine, future=True) as session, session.begin():
        rows = _open_rows(session, ids)
        _decide(session, rows, "dismissed", actor_id)
        audit.record(session, actor_id, "dismiss", "feedback.unanswered", _key(rows),
                     before={"decision": None, "messages": len(rows)}, after={"decision": "dismissed"})
        return len(rows)


# Visitors' wordings kept with a staff answer as its other wordings (the matcher's best help).
MAX_PARAPHRASES = 20


def write_answer(engine, ids: List[int], answer: str, topic: str, actor_id: Optional[int]) -> str:
    """A staff answer to the group, served at once: the group's newest wording is its question and
    the others its other wordings (contact details masked). Then the group is decided "answered".
    Returns the answer's key."""
    from bot.staff.kb import registry
    from bot.staff.kb.edits import EditRejected

    with Session(engine, future=True) as session:
        rows = _open_rows(session, ids)
        wordings = list(dict.fromkeys(w for w in (training_text(r.text) for r in sorted(rows, key=lambda r: r.at,
                                                                                          reverse=True)) if w))
    if not wordings:
        raise DecisionError("These messages have no words to answer.")
    try:
        key = registry.answers.save(engine, actor_id, None, {
            "question": wordings[0], "paraphrases": wordings[1:MAX_PARAPHRASES + 1], "answer": answer,
            "answer_ja": "", "topic": topic})
    except EditRejected as rejected:
        raise DecisionError(" ".join(rejected.errors)) from None
    with Session(engine, future=True) as session, session.begin():
        rows = _open_rows(session, ids)
        _decide(session, rows, "answered", actor_id)
        audit.record(session, actor_id, "write_answer", "feedback.unanswered", _key(rows),
                     before={"decision": None, "messages": len(rows)}, after={"decision": "answered", "answer": key})
    return key


def _key(rows) -> str:
    """The audit key: the group's newest wording (masked) and its size; the ids are in the rows."""
    newest = max(rows, key=lambda r: (r.at, r.id))
    return f"{mask(newest.text)[:200]} ({len(rows)} message{'s' if len(rows) != 1 else ''})"
