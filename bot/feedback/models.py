"""Tables of the feedback loop (SQLAlchemy 1.4, 2.0 style), in the application's database beside the
inquiries and the staff console, with their own declarative Base. Times are timezone-aware UTC.

An answer is identified by the id of its ``bot`` event row in Rasa's tracker store (``events.id``):
the web app resolves a vote's (conversation, answer number, text) to that row before storing it, so a
vote can only name an answer the assistant really gave (bot/feedback/votes.py).
"""
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

from bot.inquiries.timeutil import UTCDateTime, utcnow
from bot.staff.models import StaffAccount

Base: Any = declarative_base()

VOTE_VALUES = ("helpful", "not_helpful")
REASONS = ("fallback", "out_of_scope", "not_on_page", "not_helpful")
DECISIONS = ("pointed", "dismissed", "answered")


class AnswerVote(Base):
    """One visitor's vote on one answer: one row per answer, changed in place."""

    __tablename__ = "feedback_votes"
    __table_args__ = (UniqueConstraint("conversation_id", "answer_event_id", name="uq_feedback_votes_answer"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    answer_event_id = Column(Integer, nullable=False)  # events.id of the bot event in the tracker store
    value = Column(String(16), nullable=False)  # one of VOTE_VALUES
    comment = Column(String(200), nullable=True)  # "what were you looking for?" (not helpful only)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)


class UnansweredMessage(Base):
    """A visitor message the assistant could not answer, or whose answer was voted not helpful.
    ``event_id`` is the user event's row in the tracker store; with the reason it is unique, so a
    harvest run twice or a vote cast twice adds nothing."""

    __tablename__ = "feedback_unanswered"
    __table_args__ = (UniqueConstraint("event_id", "reason", name="uq_feedback_unanswered_event"),
                      Index("ix_feedback_unanswered_open", "decision", "at"))

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    event_id = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)
    at = Column(UTCDateTime, nullable=False)
    reason = Column(String(16), nullable=False)  # one of REASONS
    language = Column(String(8), nullable=False, default="en")
    note = Column(String(200), nullable=True)  # the visitor's "what were you looking for?"
    decision = Column(String(16), nullable=True)  # None (open), or one of DECISIONS
    decided_at = Column(UTCDateTime, nullable=True)
    decided_by = Column(Integer, ForeignKey(StaffAccount.id), nullable=True)


class TrainingSuggestion(Base):
    """A visitor's wording staff pointed to an existing answer (an intent): exported as NLU examples
    by `python -m bot nlu suggestions --export FILE` for the next training."""

    __tablename__ = "feedback_training_suggestions"
    __table_args__ = (UniqueConstraint("intent", "text", name="uq_feedback_suggestion"),)

    id = Column(Integer, primary_key=True)
    intent = Column(String(100), nullable=False)
    text = Column(Text, nullable=False)
    source_id = Column(Integer, ForeignKey(UnansweredMessage.id), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    created_by = Column(Integer, ForeignKey(StaffAccount.id), nullable=True)


class HarvestMark(Base):
    """How far the harvest has read the tracker store (the last events.id it looked at)."""

    __tablename__ = "feedback_harvest_mark"

    name = Column(String(32), primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)


def create_schema(engine) -> None:
    """Create the feedback tables that do not exist yet (tests' scratch databases); the application's
    database gets them from the migration 0002."""
    Base.metadata.create_all(engine)
