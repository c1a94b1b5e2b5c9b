"""Staff e-mail notifications: delivers the outbox rows that service.py wrote.

Runs apart from the conversation (``python -m bot notifier``), so a slow or broken mail
server never delays or loses an inquiry: the inquiry was committed before any send.

* Outbox mode: without SMTP_HOST (or without STAFF_EMAILS) nothing is sent. Rows stay
  "pending" -- their attempts untouched -- with last_error set to a note saying why, so the
  staff console shows them and they go out as soon as mail is configured.
* Claim: a row is claimed by an atomic conditional UPDATE (still pending, still due) that
  pushes its next_attempt_at CLAIM_LEASE ahead, committed before sending. A second notifier
  process (or thread) finds the row no longer due and skips it; if the claimer dies
  mid-send, the row becomes due again when the lease ends. Works alike on SQLite and
  PostgreSQL.
* Mail server away: when no SMTP session can be opened (refused, timed out, unknown host, no
  greeting) no message is at fault. The round stops at once, the row stays due and uses no
  attempt, and the next round (every few seconds) tries again: everything goes out as soon as
  the server answers, however long it was away. Logged once when it goes and once when it is back.
* Retry: a send that fails once connected (a rejection, TLS, login) increments attempts,
  records the error's class (never its text, which can quote addresses) and waits
  BACKOFF_START * 2**(attempts-1), capped at BACKOFF_MAX; after MAX_ATTEMPTS the row becomes
  "failed" and is kept.
* At least once: marking a row sent waits out a database restart (up to SETTLE_RETRY_SECONDS);
  if the database stays away between a successful send and that mark, the lease runs out and
  staff get the e-mail again -- better than never.
* Plain SMTP with optional STARTTLS (port 587 or 25); implicit TLS (port 465) is not used.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import List, Optional, Sequence

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.database_outage import server_unavailable

from .models import Inquiry, Notification
from .timeutil import as_utc

log = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 10
CLAIM_LEASE = timedelta(minutes=5)  # far longer than one send may take
BACKOFF_START = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
MAX_ATTEMPTS = 12  # 30 s, 1, 2, 4 ... 32 min, then hourly: about 5 hours of trying
SETTLE_RETRY_SECONDS = 20  # a database restart takes seconds
NOTE_NO_SMTP = "outbox: SMTP_HOST not set"
NOTE_NO_RECIPIENTS = "outbox: STAFF_EMAILS not set"
ERROR_MAX_CHARS = 200


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    retried: int = 0  # failed this time, scheduled again
    failed: int = 0  # gave up (MAX_ATTEMPTS reached)
    held: int = 0  # due but not sent: outbox mode, or the mail server is unreachable
    unreachable: bool = False  # no SMTP session could be opened this round


class MailServerUnreachable(Exception):
    """No SMTP session could be opened: the server is away, not the message at fault."""


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt (1-based)."""
    doublings = min(max(attempts - 1, 0), 20)  # bounded: timedelta overflows on huge powers
    return min(BACKOFF_START * (2 ** doublings), BACKOFF_MAX)


def error_label(error: BaseException) -> str:
    """Class name plus SMTP reply code: enough to diagnose, free of personal data."""
    label = type(error).__name__
    code = getattr(error, "smtp_code", None)
    return (f"{label} {code}" if isinstance(code, int) else label)[:ERROR_MAX_CHARS]


def _due(now: datetime):
    return and_(Notification.status == "pending", Notification.next_attempt_at <= now)


def _hold(engine, note: str, now: datetime) -> int:
    """Outbox mode: leave due rows pending, noting why (written once, not on every poll).
    Returns how many due rows are waiting."""
    with Session(engine, future=True) as session, session.begin():
        session.execute(
            update(Notification)
            .where(_due(now), or_(Notification.last_error.is_(None), Notification.last_error != note))
            .values(last_error=note)
            .execution_options(synchronize_session=False)
        )
        return session.scalar(select(func.count()).select_from(Notification).where(_due(now))) or 0


def _claim(engine, notification_id: int, now: datetime) -> bool:
    """Atomically take one due row; False if another notifier took it first."""
    with Session(engine, future=True) as session, session.begin():
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, _due(now))
            .values(next_attempt_at=now + CLAIM_LEASE)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _build(settings, recipients: Sequence[str], subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    msg.set_content(body)
    return msg


def send_email(settings, msg: EmailMessage) -> None:
    """One message over one SMTP connection (few per minute: no pooling needed). Raises
    MailServerUnreachable (its cause the original error) when the session cannot be opened."""
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SEND_TIMEOUT_SECONDS)
    except OSError as error:  # refused, timed out, unknown host; SMTPConnectError, no greeting
        raise MailServerUnreachable(error_label(error)) from error
    with smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)


def _settle(engine, notification_id: int, values: dict) -> None:
    with Session(engine, future=True) as session, session.begin():
        session.execute(update(Notification).where(Notification.id == notification_id).values(**values)
                        .execution_options(synchronize_session=False))


def _settle_sent(engine, notification_id: int, values: dict) -> None:
    """Marks a sent row, waiting out a database restart: a row left claimed is sent again when
    its lease ends, so staff would get the e-mail twice."""
    deadline = time.monotonic() + SETTLE_RETRY_SECONDS
    pause = 0.2
    while True:
        try:
            return _settle(engine, notification_id, values)
        except SQLAlchemyError as error:
            if not server_unavailable(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def deliver_pending(engine, settings, now: Optional[datetime] = None, limit: int = 20) -> DeliveryCounts:
    """Send up to ``limit`` due notifications, oldest first. Database errors propagate
    (the caller, run_notifier, retries later); send errors are recorded per row."""
    now = as_utc(now)
    if not settings.smtp_host:
        return DeliveryCounts(held=_hold(engine, NOTE_NO_SMTP, now))
    if not settings.staff_emails:
        return DeliveryCounts(held=_hold(engine, NOTE_NO_RECIPIENTS, now))

    with Session(engine, future=True) as session:
        due = session.execute(
            select(Notification.id, Notification.subject, Notification.body, Notification.attempts,
                   Inquiry.reference)
            .join(Inquiry, Notification.inquiry_id == Inquiry.id)
            .where(_due(now))
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        ).all()

    sent = retried = failed = 0
    recipients: List[str] = list(settings.staff_emails)
    for index, row in enumerate(due):
        if not _claim(engine, row.id, now):
            continue  # another notifier has it
        attempts = row.attempts + 1
        try:
            send_email(settings, _build(settings, recipients, row.subject, row.body))
        except MailServerUnreachable as away:
            # Due again at once, no attempt used; the rest of the round would meet the same.
            _settle(engine, row.id, dict(last_error=str(away), next_attempt_at=now))
            return DeliveryCounts(sent=sent, retried=retried, failed=failed, held=len(due) - index, unreachable=True)
        except (OSError, smtplib.SMTPException, ValueError) as error:  # OSError: reset, TLS
            label = error_label(error)
            if attempts >= MAX_ATTEMPTS:
                _settle(engine, row.id, dict(status="failed", attempts=attempts, last_error=label))
                log.error("notification of %s failed for good after %d attempts (%s)", row.reference, attempts, label)
                failed += 1
            else:
                retry_at = now + backoff(attempts)
                _settle(engine, row.id, dict(attempts=attempts, last_error=label, next_attempt_at=retry_at))
                log.warning("notification of %s not sent (%s); retry at %s", row.reference, label,
                            f"{retry_at:%Y-%m-%d %H:%M:%S} UTC")
                retried += 1
            continue
        _settle_sent(engine, row.id, dict(status="sent", attempts=attempts, last_error=None, sent_at=now,
                                          recipients=",".join(recipients)))
        log.info("notification of %s sent", row.reference)
        sent += 1
    return DeliveryCounts(sent=sent, retried=retried, failed=failed)


def run_notifier(engine, settings, stop_event: threading.Event, interval: float = 5) -> None:
    """Deliver due notifications every ``interval`` seconds until ``stop_event`` is set.
    A database outage is logged and waited out; it never ends the loop."""
    if not settings.smtp_host:
        log.warning("SMTP_HOST is not set: notifications stay in the outbox (staff console)")
    elif not settings.staff_emails:
        log.warning("STAFF_EMAILS is not set: notifications stay in the outbox (staff console)")
    away = False  # the mail server was unreachable last round: say so once, and once when back
    while not stop_event.is_set():
        try:
            counts = deliver_pending(engine, settings)
            if counts.unreachable != away:
                away = counts.unreachable
                if away:
                    log.warning("the mail server is unreachable; notifications wait and go out when it answers")
                else:
                    log.info("the mail server answers again")
            if counts.sent or counts.retried or counts.failed:
                log.info("notifications: %d sent, %d to retry, %d failed", counts.sent, counts.retried, counts.failed)
        except SQLAlchemyError as error:
            log.warning("notifier cannot reach the database (%s); retrying", type(error).__name__)
        stop_event.wait(interval)
