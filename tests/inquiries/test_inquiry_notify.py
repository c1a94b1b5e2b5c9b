"""Staff notifications against a real SMTP server (aiosmtpd on 127.0.0.1)."""
import logging
import socket
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
    """An unreachable mail server is nobody's message's fault: no attempt is used and the
    notification goes out at the first round after the server is back, not after a backoff."""
    caplog.set_level(logging.DEBUG, logger="bot.inquiries")
    ref = _submit(engine)
    port = free_port()  # nothing listens here yet
    settings = mail_settings(port)

    assert deliver_pending(engine, settings, now=NOW) == DeliveryCounts(held=1, unreachable=True)
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("pending", 0, "ConnectionRefusedError")
    assert n.next_attempt_at == NOW  # still due
    record = get_inquiry(engine, ref)  # the inquiry is untouched
    assert (record.status, record.email) == ("new", "maria.santos@batangas.example")
    for minutes in range(1, 4):  # however long it is away, nothing is used up
        assert deliver_pending(engine, settings, now=NOW + timedelta(minutes=minutes)).unreachable
    assert _notification(engine, ref).attempts == 0

    server = start_smtp(port)
    assert deliver_pending(engine, settings, now=NOW + timedelta(minutes=3, seconds=5)) == DeliveryCounts(sent=1)
    assert ref in server.handler.messages[0]["Subject"]
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("sent", 1, None)
    assert "maria" not in caplog.text.lower() and "batangas" not in caplog.text.lower()


class Hangup:
    """A TCP server that accepts and closes at once, without an SMTP greeting; counts connections."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self):
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def test_an_unreachable_server_ends_the_round_after_one_try(engine):
    refs = [_submit(engine, key=f"key-{i}", contact_name=f"Person {i}") for i in range(3)]
    hangup = Hangup()
    try:
        counts = deliver_pending(engine, mail_settings(hangup.port), now=NOW)
        assert counts == DeliveryCounts(held=3, unreachable=True)
        assert hangup.connections == 1  # not one per due row
    finally:
        hangup.close()
    assert [_notification(engine, r).last_error for r in refs] == ["SMTPServerDisconnected", None, None]
    assert all(_notification(engine, r).attempts == 0 for r in refs)


def test_run_notifier_sends_every_waiting_notification_soon_after_the_server_is_back(engine, start_smtp, caplog):
    caplog.set_level(logging.INFO, logger="bot.inquiries")
    refs = {submit_inquiry(engine, make_draft(contact_name=f"Person {i}"), f"key-{i}").reference for i in range(3)}
    port = free_port()
    stop = threading.Event()
    thread = threading.Thread(target=run_notifier, args=(engine, mail_settings(port), stop, 0.05))
    thread.start()
    try:
        time.sleep(1)  # about twenty rounds against nothing
        server = start_smtp(port)
        back = time.monotonic()
        while len(server.handler.messages) < 3 and time.monotonic() - back < 5:
            time.sleep(0.05)
        took = time.monotonic() - back
    finally:
        stop.set()
        thread.join(timeout=10)
    assert {m["Subject"].split()[-1] for m in server.handler.messages} == refs and took < 2
    assert caplog.text.count("mail server is unreachable") == 1
    assert caplog.text.count("mail server answers again") == 1


def test_backoff_doubles_and_is_capped():
    assert [backoff(a).total_seconds() for a in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff(50) == timedelta(hours=1)


def refuse_every_message(server, code="451 Try again later"):
    async def refuse(*_):
        return code
    server.handler.handle_DATA = refuse


def test_repeated_failures_back_off_then_fail_but_keep_the_row(engine, smtp_server):
    refuse_every_message(smtp_server)
    ref = _submit(engine)
    settings = mail_settings(smtp_server.port)
    now = NOW
    for attempt in range(1, notify.MAX_ATTEMPTS):
        assert deliver_pending(engine, settings, now=now).retried == 1
        n = _notification(engine, ref)
        assert n.attempts == attempt and n.next_attempt_at == now + backoff(attempt)
        now = n.next_attempt_at
    assert deliver_pending(engine, settings, now=now) == DeliveryCounts(failed=1)
    n = _notification(engine, ref)
    assert (n.status, n.attempts, n.last_error) == ("failed", notify.MAX_ATTEMPTS, "SMTPDataError 451")
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


def test_a_send_failure_never_touches_the_inquiry(engine, smtp_server):
    refuse_every_message(smtp_server, "554 Transaction failed")
    ref = _submit(engine)
    with Session(engine, future=True) as session, session.begin():
        session.execute(update(Notification).values(attempts=notify.MAX_ATTEMPTS - 1))
    deliver_pending(engine, mail_settings(smtp_server.port), now=NOW)
    record = get_inquiry(engine, ref)
    assert record.notifications[0].status == "failed"
    assert (record.status, record.organisation) == ("new", "Batangas City Government")


def test_a_database_restart_right_after_a_send_does_not_send_it_twice(pg_engine, smtp_server):
    """The e-mail is out; marking it sent meets a restarting database and waits for it (else the
    row's lease would run out and staff would get the e-mail again)."""
    from tests.bot.outage_proxy import OutageProxy

    ref = _submit(pg_engine)
    relay = OutageProxy(pg_engine.url.port or 5432).up()
    through_relay = create_engine(pg_engine.url.set(host="127.0.0.1", port=relay.port), future=True,
                                  pool_pre_ping=True)
    accept = smtp_server.handler.handle_DATA

    async def accept_then_restart(*args):
        relay.down()
        threading.Timer(1.0, relay.up).start()
        return await accept(*args)

    smtp_server.handler.handle_DATA = accept_then_restart
    try:
        assert deliver_pending(through_relay, mail_settings(smtp_server.port), now=NOW) == DeliveryCounts(sent=1)
    finally:
        through_relay.dispose()
        relay.down()
    assert _notification(pg_engine, ref).status == "sent"
    assert deliver_pending(pg_engine, mail_settings(smtp_server.port), now=NOW + notify.CLAIM_LEASE) == DeliveryCounts()
    assert len(smtp_server.handler.messages) == 1
