"""The Unanswered list: open messages (bot/feedback's table), filtered by date, reason and language,
masked, grouped by wording, ordered by newest or most asked. A message that was both a fallback and
voted not helpful is one message with two reasons."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import List, Mapping, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.feedback.language import LANGUAGES
from bot.feedback.models import REASONS, UnansweredMessage
from bot.staff.dates import day_from

from .grouping import MAX_MESSAGES, group_indices
from .masking import mask

REASON_LABELS = {"fallback": "Not understood (fallback)", "out_of_scope": "Out of scope",
                 "not_on_page": "The page does not say", "not_helpful": "Voted not helpful"}
ORDERS = {"newest": "Newest first", "most": "Most asked first"}


@dataclass(frozen=True)
class UnansweredFilter:
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    reason: str = ""
    language: str = ""
    order: str = "newest"

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "UnansweredFilter":
        reason, language, order = params.get("reason", ""), params.get("language", ""), params.get("order", "")
        return cls(day_from(params.get("from")), day_from(params.get("to")), reason if reason in REASONS else "",
                   language if language in LANGUAGES else "", order if order in ORDERS else "newest")

    def query(self, **changes) -> dict:
        values = {"from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", "reason": self.reason,
                  "language": self.language, "order": self.order}
        values.update(changes)
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Message:
    ids: Tuple[int, ...]  # its rows (one per reason)
    conversation_id: str
    text: str  # masked
    at: datetime
    reasons: Tuple[str, ...]
    language: str
    notes: Tuple[str, ...]  # masked "what were you looking for?"


@dataclass(frozen=True)
class Group:
    messages: Tuple[Message, ...]  # newest first
    ids: Tuple[int, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.messages)

    @property
    def sample(self) -> str:
        return self.messages[0].text

    @property
    def first_seen(self) -> datetime:
        return min(m.at for m in self.messages)

    @property
    def last_seen(self) -> datetime:
        return max(m.at for m in self.messages)

    @property
    def reasons(self) -> Tuple[str, ...]:
        return tuple(r for r in REASONS if any(r in m.reasons for m in self.messages))

    @property
    def languages(self) -> Tuple[str, ...]:
        return tuple(sorted({m.language for m in self.messages}))


def _bounds(f: UnansweredFilter, tz: tzinfo):
    start = datetime.combine(f.date_from, time.min, tzinfo=tz) if f.date_from else None
    end = datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=tz) if f.date_to else None
    return start, end


def open_messages(engine, f: UnansweredFilter, tz: tzinfo) -> List[Message]:
    stmt = select(UnansweredMessage).where(UnansweredMessage.decision.is_(None))
    start, end = _bounds(f, tz)
    if start:
        stmt = stmt.where(UnansweredMessage.at >= start)
    if end:
        stmt = stmt.where(UnansweredMessage.at < end)
    if f.language:
        stmt = stmt.where(UnansweredMessage.language == f.language)
    with Session(engine, future=True) as session:
        rows = session.scalars(stmt.order_by(UnansweredMessage.at.desc(), UnansweredMessage.id.desc())
                               .limit(MAX_MESSAGES * 2)).all()
    by_event: dict[int, list] = {}
    for row in rows:
        by_event.setdefault(row.event_id, []).append(row)
    messages = [Message(tuple(r.id for r in same), same[0].conversation_id, mask(same[0].text), same[0].at,
                        tuple(r.reason for r in same), same[0].language,
                        tuple(mask(r.note) for r in same if r.note))
                for same in by_event.values()]
    if f.reason:
        messages = [m for m in messages if f.reason in m.reasons]
    return messages[:MAX_MESSAGES]


def list_groups(engine, f: UnansweredFilter, tz: tzinfo) -> List[Group]:
    messages = open_messages(engine, f, tz)
    groups = []
    for members in group_indices([m.text for m in messages]):
        chosen = tuple(messages[i] for i in members)
        groups.append(Group(chosen, tuple(i for m in chosen for i in m.ids)))
    if f.order == "most":
        groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp()))
    else:
        groups.sort(key=lambda g: -g.last_seen.timestamp())
    return groups
