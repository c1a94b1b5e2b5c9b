"""Recording a visitor's vote on an answer: validated against the tracker store (the conversation
and the answer must exist), one row per answer, changed in place. A "not helpful" vote puts the
question it answered on the Unanswered list (with the visitor's "what were you looking for?");
changed back to helpful, that entry goes again unless staff already acted on it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import utcnow

from .answers import conversation_exists, find_answer, question_before
from .harvest import insert_unanswered
from .language import language_of
from .models import VOTE_VALUES, AnswerVote, UnansweredMessage
from .tracker_turns import tracker_engine

MAX_COMMENT_CHARS = 200
MAX_CONVERSATION_ID_CHARS = 255
MAX_BUBBLE_TEXT_CHARS = 5000


class VoteError(ValueError):
    status = 400


class UnknownConversation(VoteError):
    status = 404


class UnknownAnswer(VoteError):
    status = 404


@dataclass(frozen=True)
class VoteRequest:
    conversation_id: str
    bubble: int
    text: str
    value: str
    comment: Optional[str] = None

    @classmethod
    def from_json(cls, body: object) -> "VoteRequest":
        if not isinstance(body, dict):
            raise VoteError("The vote must be a JSON object.")
        conversation, bubble, text = body.get("conversation_id"), body.get("answer"), body.get("text")
        value, comment = body.get("value"), body.get("comment")
        if not isinstance(conversation, str) or not 0 < len(conversation) <= MAX_CONVERSATION_ID_CHARS:
            raise VoteError("conversation_id must name the conversation.")
        if not isinstance(bubble, int) or isinstance(bubble, bool) or bubble < 1:
            raise VoteError("answer must be the answer's number in the conversation (1, 2, …).")
        if not isinstance(text, str) or not text or len(text) > MAX_BUBBLE_TEXT_CHARS:
            raise VoteError("text must be the answer's text.")
        if value not in VOTE_VALUES:
            raise VoteError("value must be helpful or not_helpful.")
        if comment is not None and not isinstance(comment, str):
            raise VoteError("comment must be text.")
        comment = " ".join((comment or "").split())[:MAX_COMMENT_CHARS] or None  # one line
        if value == "helpful":
            comment = None
        return cls(conversation, bubble, text, value, comment)


@dataclass(frozen=True)
class VoteResult:
    value: str
    changed: bool  # False: the same vote again (a double click, a retry)
    first_bubble: int
    last_bubble: int


def record_vote(engine, tracker_store_url: str, vote: VoteRequest, now: Optional[datetime] = None) -> VoteResult:
    try:
        return _record(engine, tracker_store_url, vote, now)
    except IntegrityError:
        # Two first votes on one answer at once (a double click on two tabs): the other one's row
        # exists now, so this one changes it.
        return _record(engine, tracker_store_url, vote, now)


def _record(engine, tracker_store_url: str, vote: VoteRequest, now: Optional[datetime]) -> VoteResult:
    tracker = tracker_engine(tracker_store_url)
    if tracker is None or not conversation_exists(tracker, vote.conversation_id):
        raise UnknownConversation("There is no such conversation.")
    answer = find_answer(tracker, vote.conversation_id, vote.bubble, vote.text)
    if answer is None:
        raise UnknownAnswer("This conversation has no such answer.")
    question = question_before(tracker, vote.conversation_id, answer.event_id)
    now = now or utcnow()
    with Session(engine, future=True) as session, session.begin():
        row = session.scalar(select(AnswerVote).where(AnswerVote.conversation_id == vote.conversation_id,
                                                      AnswerVote.answer_event_id == answer.event_id)
                             .with_for_update())
        if row is None:
            session.add(AnswerVote(conversation_id=vote.conversation_id, answer_event_id=answer.event_id,
                                   value=vote.value, comment=vote.comment, created_at=now, updated_at=now))
            changed = True
        else:
            if vote.value == row.value == "not_helpful" and vote.comment is None:
                vote = replace(vote, comment=row.comment)  # "not helpful" again keeps what they wrote
            changed = (row.value, row.comment) != (vote.value, vote.comment)
            row.value, row.comment, row.updated_at = vote.value, vote.comment, now
        if question is not None:
            _follow_on_unanswered(session, vote, question)
    return VoteResult(vote.value, changed, answer.first_bubble, answer.last_bubble)


def _follow_on_unanswered(session: Session, vote: VoteRequest, question) -> None:
    event_id, text, timestamp = question
    open_entry = (UnansweredMessage.event_id == event_id, UnansweredMessage.reason == "not_helpful")
    if vote.value == "helpful":
        session.execute(delete(UnansweredMessage).where(*open_entry, UnansweredMessage.decision.is_(None)))
        return
    if not text or text.startswith("/"):
        return  # the answer followed a button or command: there is no typed question to list
    insert_unanswered(session, [{
        "conversation_id": vote.conversation_id, "event_id": event_id, "text": text[:2000],
        "at": datetime.fromtimestamp(float(timestamp or 0), tz=timezone.utc), "reason": "not_helpful",
        "language": language_of(text), "note": vote.comment}])
    existing = session.scalar(select(UnansweredMessage).where(*open_entry))
    if existing is not None and existing.decision is None:
        existing.note = vote.comment  # a comment added or changed with a second "not helpful"
