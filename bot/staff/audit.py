"""The audit trail: every change made by staff (console or command line), with who, when, and the
thing's state before and after. Written in the same transaction as the change it records."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import utcnow

from .models import AuditEntry, StaffAccount


def _json(value: Any) -> Optional[str]:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(session: Session, actor_id: Optional[int], action: str, entity: str, key: str,
           before: Any = None, after: Any = None, at: Optional[datetime] = None) -> AuditEntry:
    entry = AuditEntry(at=at or utcnow(), actor_id=actor_id, action=action, entity=entity, entity_key=key[:300],
                       before=_json(before), after=_json(after))
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str  # the staff member's name or e-mail, or "command line"
    action: str
    entity: str
    key: str
    before: Any
    after: Any

    @property
    def changes(self) -> Tuple[Change, ...]:
        """Fields that differ between before and after (both mappings), in a stable order."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        names = list(dict.fromkeys([*before, *after]))
        return tuple(Change(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n))


def _records(session: Session, stmt) -> List[AuditRecord]:
    rows = session.execute(stmt.add_columns(StaffAccount.name, StaffAccount.email)
                           .outerjoin(StaffAccount, AuditEntry.actor_id == StaffAccount.id)).all()
    return [AuditRecord(e.id, e.at, (name or email) if (name or email) else "command line", e.action, e.entity,
                        e.entity_key, json.loads(e.before) if e.before else None,
                        json.loads(e.after) if e.after else None)
            for e, name, email in rows]


def history(engine, entity: str, key: str) -> List[AuditRecord]:
    """One thing's changes, oldest first."""
    with Session(engine, future=True) as session:
        return _records(session, select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_key == key)
                        .order_by(AuditEntry.at, AuditEntry.id))


def recent(engine, entity_prefix: Optional[str] = None, limit: int = 50, offset: int = 0) -> Tuple[List[AuditRecord], int]:
    """Newest first, optionally only entities starting with ``entity_prefix``; with the total."""
    stmt = select(AuditEntry)
    count = select(func.count(AuditEntry.id))
    if entity_prefix:
        stmt = stmt.where(AuditEntry.entity.startswith(entity_prefix, autoescape=True))
        count = count.where(AuditEntry.entity.startswith(entity_prefix, autoescape=True))
    with Session(engine, future=True) as session:
        total = session.scalar(count) or 0
        return _records(session, stmt.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)), total


def entities(engine) -> Dict[str, int]:
    with Session(engine, future=True) as session:
        return dict(session.execute(select(AuditEntry.entity, func.count(AuditEntry.id))
                                    .group_by(AuditEntry.entity).order_by(AuditEntry.entity)).all())
