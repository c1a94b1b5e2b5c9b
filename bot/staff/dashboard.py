"""The console start page's dashboard: how the assistant is doing over the last days, read from
Rasa's tracker store (conversations, messages, how each was answered) and our tables (votes, the
most-asked unanswered questions). Days are the staff time zone's (STAFF_TIMEZONE)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.feedback.harvest import harvest
from bot.feedback.models import AnswerVote
from bot.feedback.replies import KNOWLEDGE_ACTION, reason_of, response_names
from bot.feedback.tracker_turns import read_turns, tracker_engine
from bot.inquiries.timeutil import utcnow

from .unanswered.listing import UnansweredFilter, list_groups

DAYS = 14
TOP = 10


@dataclass(frozen=True)
class Day:
    day: date
    conversations: int
    messages: int


@dataclass(frozen=True)
class Dashboard:
    days: Tuple[Day, ...]
    messages: int  # typed visitor messages in the period
    outcomes: Tuple[Tuple[str, int], ...]  # (outcome, messages): knowledge, not_on_page, fallback, ...
    helpful: int
    not_helpful: int
    top_unanswered: Tuple[Tuple[str, int], ...]  # (masked wording, times asked)
    error: Optional[str] = None

    def share(self, outcome: str) -> float:
        return dict(self.outcomes).get(outcome, 0) / self.messages if self.messages else 0.0


OUTCOMES = ("knowledge", "not_on_page", "fallback", "out_of_scope", "other")
OUTCOME_LABELS = {"knowledge": "Answered from the knowledge base", "not_on_page": "The page does not say",
                  "fallback": "Not understood (fallback)", "out_of_scope": "Out of scope",
                  "other": "Other (greetings, the request form, …)"}


def _outcome(actions: List[str], names: set) -> str:
    reason = reason_of(names)
    if reason:
        return reason
    return "knowledge" if KNOWLEDGE_ACTION in actions else "other"


def build(engine, tracker_store_url: str, tz: tzinfo, days: int = DAYS, now: Optional[datetime] = None) -> Dashboard:
    now = now or utcnow()
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=tz)
    conversations: dict[date, set] = {first + timedelta(days=i): set() for i in range(days)}
    messages: Counter = Counter()
    outcomes: Counter = Counter()
    error = None
    tracker = tracker_engine(tracker_store_url)
    if tracker is not None:
        try:
            for turn in read_turns(tracker, since=since):
                if not turn.text or turn.text.startswith("/"):
                    continue  # buttons and commands: the visitor typed nothing
                day = turn.at.astimezone(tz).date()
                if day not in conversations:
                    continue
                conversations[day].add(turn.conversation_id)
                messages[day] += 1
                names = {n for reply in turn.replies for n in response_names(reply.data)}
                outcomes[_outcome(turn.actions, names)] += 1
        except Exception as exc:  # noqa: BLE001 -- the rest of the start page still works
            error = f"The conversations could not be read from the tracker store ({type(exc).__name__})."
        harvest(engine, tracker_store_url)
    with Session(engine, future=True) as session:
        votes = dict(session.execute(select(AnswerVote.value, func.count(AnswerVote.id))
                                     .where(AnswerVote.created_at >= since).group_by(AnswerVote.value)).all())
    top = list_groups(engine, UnansweredFilter(date_from=first, order="most"), tz)[:TOP]
    return Dashboard(
        days=tuple(Day(d, len(conversations[d]), messages[d]) for d in sorted(conversations)),
        messages=sum(messages.values()), outcomes=tuple((o, outcomes[o]) for o in OUTCOMES),
        helpful=votes.get("helpful", 0), not_helpful=votes.get("not_helpful", 0),
        top_unanswered=tuple((g.sample, g.count) for g in top), error=error)
