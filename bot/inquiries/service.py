"""Recording inquiries: one transaction writes the inquiry and its staff notification
(outbox pattern), so a reference is only ever shown for a committed inquiry and staff
are always told about it, even if the mail server is down at that moment.

Idempotent on ``submission_key``: Rasa retrying the action or a double click returns the
first submission's reference and creates nothing. Logs carry the reference and the kind
only, never personal data (and database errors, whose text may quote the values, are
reduced to their class name).
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.database_outage import server_unavailable

from . import message
from .models import STATUSES, Inquiry, Notification
from .reference import new_reference, normalise_reference
from .timeutil import as_utc

log = logging.getLogger(__name__)

# A collision of random references is rare (900,000 numbers a year); a few draws suffice.
REFERENCE_ATTEMPTS = 8


class SubmissionFailed(Exception):
    """Nothing was recorded; no reference exists. ``cause`` is the error's class name;
    ``retryable``: the database server was away (restarting, unreachable), so the same
    submission may go through a moment later. (If the connection dropped during the commit
    itself, the outcome is unknown until the server is back: retrying with the same
    submission key then finds the inquiry if it was committed.)"""

    def __init__(self, cause: str, retryable: bool = False):
        super().__init__(f"the inquiry could not be recorded ({cause})")
        self.cause = cause
        self.retryable = retryable


@dataclass(frozen=True)
class InquiryDraft:
    """A validated sister-city request (see validation.py), ready to record."""

    organisation: str
    organisation_country: str
    contact_name: str
    email: str
    partner_preference: str
    purpose: str
    conversation_id: str
    channel: str
    phone: Optional[str] = None
    partner_country: Optional[str] = None
    message: Optional[str] = None


@dataclass(frozen=True)
class Contact:
    """Optional contact details left with a "talk to a person" request."""

    name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None


@dataclass(frozen=True)
class Submitted:
    reference: str
    created: bool  # False: this submission had been recorded before (re-delivery)


@dataclass(frozen=True)
class NotificationRecord:
    id: int
    status: str
    recipients: Tuple[str, ...]
    subject: str
    attempts: int
    last_error: Optional[str]
    next_attempt_at: datetime
    sent_at: Optional[datetime]
    created_at: datetime


@dataclass(frozen=True)
class InquiryRecord:
    reference: str
    kind: str
    status: str
    organisation: Optional[str]
    organisation_country: Optional[str]
    contact_name: Optional[str]
    email: Optional[str]
    phone: Optional[str]
    partner_preference: Optional[str]
    partner_country: Optional[str]
    purpose: Optional[str]
    message: Optional[str]
    conversation_id: Optional[str]
    channel: Optional[str]
    created_at: datetime
    updated_at: datetime
    notifications: Tuple[NotificationRecord, ...] = ()


# -- idempotency keys --------------------------------------------------------------------
def _key(*parts) -> str:
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def submission_key_for(conversation_id: str, draft: InquiryDraft) -> str:
    """Stable across retries of the same submission: the same conversation and the same
    answers give the same key (a changed answer is a new submission)."""
    return _key("affiliation", conversation_id, asdict(draft))


def escalation_key_for(conversation_id: str, message: Optional[str] = None,
                       contact: Optional[Contact] = None, marker: str = "") -> str:
    """Key for escalate(); ``marker`` (e.g. the triggering event's timestamp) tells a new
    request in the same conversation from a re-delivery of the previous one."""
    return _key("escalation", conversation_id, message, asdict(contact) if contact else None, marker)


# -- writing -----------------------------------------------------------------------------
def _existing_reference(engine, submission_key: str) -> Optional[str]:
    with Session(engine, future=True) as session:
        return session.scalar(select(Inquiry.reference).where(Inquiry.submission_key == submission_key))


def _reference_taken(engine, reference: str) -> bool:
    with Session(engine, future=True) as session:
        return session.scalar(select(Inquiry.id).where(Inquiry.reference == reference)) is not None


def _record(engine, kind: str, values: Dict[str, Optional[str]], submission_key: str,
            now: Optional[datetime]) -> Submitted:
    if not submission_key:
        raise ValueError("submission_key is required")
    now = as_utc(now)
    try:
        found = _existing_reference(engine, submission_key)
        if found is not None:
            log.info("inquiry %s (%s) was already recorded; re-delivery ignored", found, kind)
            return Submitted(found, False)
        for _ in range(REFERENCE_ATTEMPTS):
            reference = new_reference(now.year)
            try:
                with Session(engine, future=True) as session, session.begin():
                    inquiry = Inquiry(reference=reference, kind=kind, status="new",
                                      submission_key=submission_key, created_at=now, updated_at=now,
                                      **values)
                    subject, body = message.compose(inquiry)
                    session.add(inquiry)
                    session.flush()  # assigns inquiry.id for the notification
                    session.add(Notification(inquiry_id=inquiry.id, recipients="", subject=subject,
                                             body=body, status="pending", attempts=0,
                                             next_attempt_at=now, created_at=now))
                # The context manager has committed: only now does the reference exist.
                log.info("inquiry %s (%s) recorded", reference, kind)
                return Submitted(reference, True)
            except IntegrityError:
                # A concurrent delivery of this submission won the race, or the random
                # reference was taken (draw again), or something else: re-read to tell which.
                found = _existing_reference(engine, submission_key)
                if found is not None:
                    log.info("inquiry %s (%s) was recorded by a concurrent delivery", found, kind)
                    return Submitted(found, False)
                if not _reference_taken(engine, reference):
                    raise
        raise SubmissionFailed("no free reference")
    except SQLAlchemyError as error:
        # Not chained: the error text may quote the submitted personal data.
        log.error("a %s inquiry could not be recorded (%s)", kind, type(error).__name__)
        raise SubmissionFailed(type(error).__name__, retryable=server_unavailable(error)) from None


def submit_inquiry(engine, draft: InquiryDraft, submission_key: str,
                   now: Optional[datetime] = None) -> Submitted:
    """Record a sister-city request and its staff notification in one transaction.
    Returns after the commit; raises SubmissionFailed if nothing could be recorded."""
    values = {f.name: getattr(draft, f.name) for f in fields(draft)}
    missing = [name for name in ("organisation", "organisation_country", "contact_name", "email",
                                 "partner_preference", "purpose") if not values[name]]
    if missing:
        raise ValueError(f"incomplete inquiry draft: {', '.join(missing)}")
    return _record(engine, "affiliation", values, submission_key, now)


def escalate(engine, conversation_id: str, channel: str, message: Optional[str] = None,
             contact: Optional[Contact] = None, *, submission_key: str,
             now: Optional[datetime] = None) -> Submitted:
    """Record a "talk to a person" request (kind "escalation") and its staff notification."""
    contact = contact or Contact()
    values = {"conversation_id": conversation_id, "channel": channel, "message": message,
              "contact_name": contact.name, "email": contact.email, "phone": contact.phone}
    return _record(engine, "escalation", values, submission_key, now)


# -- reading (CLI, staff console) ------------------------------------------------------------
def _notification_record(n: Notification) -> NotificationRecord:
    recipients = tuple(r for r in (n.recipients or "").split(",") if r)
    return NotificationRecord(n.id, n.status, recipients, n.subject, n.attempts, n.last_error,
                              n.next_attempt_at, n.sent_at, n.created_at)


def _records(session: Session, inquiries: List[Inquiry]) -> List[InquiryRecord]:
    by_inquiry: Dict[int, List[NotificationRecord]] = {}
    if inquiries:
        rows = session.scalars(select(Notification)
                               .where(Notification.inquiry_id.in_([i.id for i in inquiries]))
                               .order_by(Notification.id))
        for n in rows:
            by_inquiry.setdefault(n.inquiry_id, []).append(_notification_record(n))
    return [InquiryRecord(**record_values(i), notifications=tuple(by_inquiry.get(i.id, ()))) for i in inquiries]


def record_values(inquiry: Inquiry) -> Dict[str, Any]:
    """The inquiry's fields as InquiryRecord (and the staff queue's rows, built on it) hold them.
    Any: the values are the ORM columns' (untyped), read by the record's field names."""
    return {f.name: getattr(inquiry, f.name) for f in fields(InquiryRecord) if f.name != "notifications"}


def list_inquiries(engine, status: Optional[str] = None, limit: Optional[int] = None) -> List[InquiryRecord]:
    """Newest first; ``status`` filters on the workflow status."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    stmt = select(Inquiry).order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
    if status is not None:
        stmt = stmt.where(Inquiry.status == status)
    if limit is not None:
        stmt = stmt.limit(limit)
    with Session(engine, future=True) as session:
        return _records(session, list(session.scalars(stmt)))


def get_inquiry(engine, reference: str) -> Optional[InquiryRecord]:
    """The inquiry with this reference (typed loosely is fine), or None."""
    with Session(engine, future=True) as session:
        inquiry = session.scalar(select(Inquiry).where(Inquiry.reference == normalise_reference(reference)))
        return _records(session, [inquiry])[0] if inquiry is not None else None
