"""The inquiry workflow: status changes along the allowed transitions, assignment and notes, each
recorded in the audit trail (entity "inquiry", key = the reference) in the same transaction.

    new -> in_review -> contacted -> closed
      \\________\\____________\\-----> declined
    closed / declined -> in_review   (reopen, when a case was closed by mistake or comes back)

A change names the status the person saw; if someone else changed it in the meantime the change
is refused (Conflict) instead of silently overwriting theirs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.inquiries.models import STATUSES, Inquiry
from bot.inquiries.reference import normalise_reference
from bot.inquiries.timeutil import utcnow

from .audit import record
from .models import InquiryAssignment, InquiryNote, StaffAccount

log = logging.getLogger(__name__)

TRANSITIONS: Dict[str, Tuple[str, ...]] = {
    "new": ("in_review", "declined"),
    "in_review": ("contacted", "declined"),
    "contacted": ("closed", "declined"),
    "closed": ("in_review",),
    "declined": ("in_review",),
}
STATUS_LABELS = {"new": "New", "in_review": "In review", "contacted": "Contacted", "closed": "Closed",
                 "declined": "Declined"}
# What the button says for each move (reopening reads differently from reviewing).
ACTION_LABELS = {("new", "in_review"): "Start review", ("in_review", "contacted"): "Mark as contacted",
                 ("contacted", "closed"): "Close", ("closed", "in_review"): "Reopen",
                 ("declined", "in_review"): "Reopen"}
MAX_NOTE_CHARS = 5000

assert set(TRANSITIONS) == set(STATUSES)


class WorkflowError(Exception):
    """A change that cannot be made; the message is shown to staff as is."""


class NotFound(WorkflowError):
    pass


class TransitionNotAllowed(WorkflowError):
    pass


class Conflict(WorkflowError):
    pass


def allowed(status: str) -> Tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def action_label(current: str, target: str) -> str:
    return ACTION_LABELS.get((current, target), "Decline" if target == "declined" else STATUS_LABELS[target])


def _inquiry(session: Session, reference: str) -> Inquiry:
    row = session.scalar(select(Inquiry).where(Inquiry.reference == normalise_reference(reference)))
    if row is None:
        raise NotFound("There is no inquiry with this reference.")
    return row


def change_status(engine, reference: str, expected: str, target: str, actor_id: int,
                  now: Optional[datetime] = None) -> None:
    now = now or utcnow()
    if target not in STATUSES:
        raise TransitionNotAllowed(f"'{target}' is not a status.")
    with Session(engine, future=True) as session, session.begin():
        inquiry = _inquiry(session, reference)
        if inquiry.status != expected:
            raise Conflict(f"Someone changed the status to {STATUS_LABELS[inquiry.status]} in the meantime; "
                           f"nothing was changed. Check the history and try again.")
        if target not in allowed(expected):
            raise TransitionNotAllowed(f"An inquiry that is {STATUS_LABELS[expected]} cannot become "
                                       f"{STATUS_LABELS[target]}.")
        # Compare-and-set: a concurrent change between the read and this write is refused too.
        done = session.execute(update(Inquiry).where(Inquiry.id == inquiry.id, Inquiry.status == expected)
                               .values(status=target, updated_at=now).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise Conflict("Someone changed the status in the meantime; nothing was changed.")
        reference = inquiry.reference
        record(session, actor_id, "status", "inquiry", reference, before={"status": expected},
               after={"status": target}, at=now)
    log.info("inquiry %s: status %s -> %s by staff %s", reference, expected, target, actor_id)


def assign(engine, reference: str, account_id: Optional[int], actor_id: int, now: Optional[datetime] = None) -> None:
    """Assign to an active colleague, or unassign (account_id None)."""
    now = now or utcnow()
    with Session(engine, future=True) as session, session.begin():
        inquiry = _inquiry(session, reference)
        current = session.get(InquiryAssignment, inquiry.id)
        before = _who(session, current.account_id) if current else None
        if account_id is None:
            if current is None:
                return
            session.delete(current)
            after = None
        else:
            account = session.get(StaffAccount, account_id)
            if account is None or not account.active:
                raise WorkflowError("Choose an active colleague.")
            if current is not None and current.account_id == account_id:
                return
            if current is None:
                session.add(InquiryAssignment(inquiry_id=inquiry.id, account_id=account_id, assigned_at=now,
                                              assigned_by=actor_id))
            else:
                current.account_id, current.assigned_at, current.assigned_by = account_id, now, actor_id
            after = _who(session, account_id)
        inquiry.updated_at = now
        reference = inquiry.reference
        record(session, actor_id, "assignment", "inquiry", reference, before={"assigned to": before},
               after={"assigned to": after}, at=now)
    log.info("inquiry %s: assignment changed by staff %s", reference, actor_id)


def _who(session: Session, account_id: int) -> Optional[str]:
    account = session.get(StaffAccount, account_id)
    return (account.name or account.email) if account else None


def add_note(engine, reference: str, body: str, actor_id: int, now: Optional[datetime] = None) -> None:
    now = now or utcnow()
    body = (body or "").strip()
    if not body:
        raise WorkflowError("The note is empty.")
    if len(body) > MAX_NOTE_CHARS:
        raise WorkflowError(f"A note may have at most {MAX_NOTE_CHARS} characters.")
    with Session(engine, future=True) as session, session.begin():
        inquiry = _inquiry(session, reference)
        note = InquiryNote(inquiry_id=inquiry.id, author_id=actor_id, created_at=now, body=body)
        session.add(note)
        session.flush()
        reference = inquiry.reference
        record(session, actor_id, "note", "inquiry", reference, after={"note": body}, at=now)
    log.info("inquiry %s: note added by staff %s", reference, actor_id)


@dataclass(frozen=True)
class Note:
    id: int
    at: datetime
    author: str
    body: str


@dataclass(frozen=True)
class Assignment:
    account_id: int
    who: str
    at: datetime


def notes(engine, reference: str) -> List[Note]:
    with Session(engine, future=True) as session:
        rows = session.execute(
            select(InquiryNote, StaffAccount.name, StaffAccount.email)
            .join(Inquiry, InquiryNote.inquiry_id == Inquiry.id)
            .outerjoin(StaffAccount, InquiryNote.author_id == StaffAccount.id)
            .where(Inquiry.reference == normalise_reference(reference))
            .order_by(InquiryNote.created_at, InquiryNote.id))
        return [Note(n.id, n.created_at, name or email or "command line", n.body) for n, name, email in rows]


def assignment(engine, reference: str) -> Optional[Assignment]:
    with Session(engine, future=True) as session:
        row = session.execute(
            select(InquiryAssignment, StaffAccount.name, StaffAccount.email)
            .join(Inquiry, InquiryAssignment.inquiry_id == Inquiry.id)
            .join(StaffAccount, InquiryAssignment.account_id == StaffAccount.id)
            .where(Inquiry.reference == normalise_reference(reference))).first()
        if row is None:
            return None
        a, name, email = row
        return Assignment(a.account_id, name or email, a.assigned_at)
