"""Staff notifications against a real SMTP server (aiosmtpd on 127.0.0.1)."""
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from bot.inquiries import notify
from bot.inquiries.models import Notification
from bot.inquiries.notify import DeliveryCounts, backoff, deliver_pending, run_notifier
from bot.inquiries.service import escalate, get_inquiry, submit_inquiry

from .inquiry_helpers import free_port, mail_settings, make_draft

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def _notification(engine, reference):
    return get_inquiry(engine, reference).notifications[0]


def _submit(engine, key="key-1", **overrides):
    return submit_inquiry(engine, make_draft(**overrides), key, now=NOW).reference


def test_pending_notification_is_sent(engine, smtp_server):
    ref = _submit(engine)
    counts = deliver_pending(engine, mail_settings(smtp_server.port), now=NOW)
    assert counts == DeliveryCounts(sent=1)

    [msg] = smtp_server.handler.messages
    assert ref in msg["Subject"] and msg["To"] == "staff@clair.example"
    assert msg["From"] == "assistant@clair.example"
    body = msg.get_payload(decode=True).decode()
    assert ref in body and f"/staff/inquiries/{ref}" in body and "maria.santos@batangas.example" in body

    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error, n.sent_at) == ("sent", 1, None, NOW)
    assert n.recipients == ("staff@clair.example",)
    # Nothing left to send: the next run is a no-op.
    assert deliver_pending(engine, mail_settings(smtp_server.port), now=NOW + timedelta(hours=1)) == DeliveryCounts()
    assert len(smtp_server.handler.messages) == 1


def test_every_staff_address_receives_it(engine, smtp_server):
    _submit(engine)
    settings = mail_settings(smtp_server.port, staff_emails=("a@clair.example", "b@clair.example"))
    assert deliver_pending(engine, settings, now=NOW).sent == 1
    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["a@clair.example", "b@clair.example"]


def test_smtp_down_then_up(engine, start_smtp, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.inquiries")
    ref = _submit(engine)
    port = free_port()  # nothing listens here yet
    settings = mail_settings(port)

    assert deliver_pending(engine, settings, now=NOW) == DeliveryCounts(retried=1)
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert n.next_attempt_at == NOW + timedelta(seconds=30) > NOW
    record = get_inquiry(engine, ref)  # the inquiry is untouched
    assert (record.status, record.email) == ("new", "maria.santos@batangas.example")

    server = start_smtp(port)
    # Not due yet: nothing is tried, even though the server is back.
    assert deliver_pending(engine, settings, now=NOW + timedelta(seconds=10)) == DeliveryCounts()
    assert server.handler.messages == []
    assert deliver_pending(engine, settings, now=NOW + timedelta(seconds=31)) == DeliveryCounts(sent=1)
    assert ref in server.handler.messages[0]["Subject"]
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("sent", 2, None)
    assert "maria" not in caplog.text.lower() and "batangas" not in caplog.text.lower()


def test_backoff_doubles_and_is_capped():
    assert [backoff(a).total_seconds() for a in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff(50) == timedelta(hours=1)


def test_repeated_failures_back_off_then_fail_but_keep_the_row(engine):
    ref = _submit(engine)
    settings = mail_settings(free_port())
    now = NOW
    for attempt in range(1, notify.MAX_ATTEMPTS):
        assert deliver_pending(engine, settings, now=now).retried == 1
        n = _notification(engine, ref)
        assert n.attempts == attempt and n.next_attempt_at == now + backoff(attempt)
        now = n.next_attempt_at
    assert deliver_pending(engine, settings, now=now) == DeliveryCounts(failed=1)
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("failed", notify.MAX_ATTEMPTS, "ConnectionRefusedError")
    assert deliver_pending(engine, settings, now=now + timedelta(days=1)) == DeliveryCounts()
    assert get_inquiry(engine, ref).status == "new"


def test_smtp_rejection_records_the_reply_code(engine, smtp_server):
    async def reject(server, session, envelope):
        return "554 Transaction failed"

    smtp_server.handler.handle_DATA = reject
    ref = _submit(engine)
    assert deliver_pending(engine, mail_settings(smtp_server.port), now=NOW).retried == 1
    assert _notification(engine, ref).last_error == "SMTPDataError 554"


def test_outbox_mode_without_smtp_host(engine, smtp_server):
    ref = _submit(engine)
    esc = escalate(engine, "conv-2", "rest", submission_key="esc", now=NOW).reference
    outbox = mail_settings(None)
    assert deliver_pending(engine, outbox, now=NOW) == DeliveryCounts(held=2)
    for reference in (ref, esc):
        n = _notification(engine, reference)
        assert (n.status, n.attempts, n.last_error) == ("pending", 0, notify.NOTE_NO_SMTP)
    assert deliver_pending(engine, outbox, now=NOW + timedelta(minutes=1)) == DeliveryCounts(held=2)
    # Mail configured later: the waiting notifications go out.
    assert deliver_pending(engine, mail_settings(smtp_server.port), now=NOW + timedelta(minutes=2)).sent == 2
    assert _notification(engine, ref).last_error is None
    assert len(smtp_server.handler.messages) == 2


def test_outbox_mode_without_staff_addresses(engine, smtp_server):
    ref = _submit(engine)
    assert deliver_pending(engine, mail_settings(smtp_server.port, staff_emails=()), now=NOW).held == 1
    assert _notification(engine, ref).last_error == notify.NOTE_NO_RECIPIENTS
    assert smtp_server.handler.messages == []


def test_a_claimed_row_cannot_be_claimed_again(engine):
    ref = _submit(engine)
    with Session(engine, future=True) as session:
        nid = session.scalar(select(Notification.id))
    assert notify._claim(engine, nid, NOW)
    assert not notify._claim(engine, nid, NOW)
    # The lease ends: a crashed claimer's row becomes due again.
    assert notify._claim(engine, nid, NOW + notify.CLAIM_LEASE)
    assert _notification(engine, ref).attempts == 0


def _two_notifiers(engine, settings, now):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(deliver_pending(engine, settings, now=now, limit=100))
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    return results


def test_two_notifiers_send_each_message_once_sqlite(engine, smtp_server):
    refs = {_submit(engine, key=f"key-{i}", contact_name=f"Person {i}") for i in range(12)}
    results = _two_notifiers(engine, mail_settings(smtp_server.port), NOW)
    assert sum(r.sent for r in results) == 12
    subjects = [m["Subject"] for m in smtp_server.handler.messages]
    assert len(subjects) == 12 and {s.split()[-1] for s in subjects} == refs


def test_two_notifiers_send_each_message_once_postgresql(pg_engine, smtp_server):
    refs = {_submit(pg_engine, key=f"key-{i}", contact_name=f"Person {i}") for i in range(12)}
    results = _two_notifiers(pg_engine, mail_settings(smtp_server.port), NOW)
    assert sum(r.sent for r in results) == 12
    subjects = [m["Subject"] for m in smtp_server.handler.messages]
    assert len(subjects) == 12 and {s.split()[-1] for s in subjects} == refs


def test_run_notifier_delivers_and_stops(engine, smtp_server):
    ref = submit_inquiry(engine, make_draft(), "key-1").reference  # due now (real clock)
    stop = threading.Event()
    thread = threading.Thread(target=run_notifier, args=(engine, mail_settings(smtp_server.port), stop, 0.05))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not smtp_server.handler.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert ref in smtp_server.handler.messages[0]["Subject"]
    assert _notification(engine, ref).status == "sent"


def test_run_notifier_survives_a_database_outage(caplog):
    down = create_engine("postgresql://postgres@127.0.0.1:1/x", future=True)
    stop = threading.Event()
    thread = threading.Thread(target=run_notifier, args=(down, mail_settings(free_port()), stop, 0.05))
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()  # still looping, waiting for the database
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert "OperationalError" in caplog.text


def test_a_send_failure_never_touches_the_inquiry(engine):
    ref = _submit(engine)
    with Session(engine, future=True) as session, session.begin():
        session.execute(update(Notification).values(attempts=notify.MAX_ATTEMPTS - 1))
    deliver_pending(engine, mail_settings(free_port()), now=NOW)
    record = get_inquiry(engine, ref)
    assert record.notifications[0].status == "failed"
    assert (record.status, record.organisation) == ("new", "Batangas City Government")
