"""Faults under load (issue #7): twenty conversations fill in the sister-city inquiry form at once
on the production profile (two Rasa servers and an action server behind nginx, PostgreSQL, Redis)
while PostgreSQL is restarted, the action server is killed (SIGKILL) and started again, and the
mail server is down until the conversations are over. Visitors behave like the chat widget and a
person (tests/production/visitor.py): a failed request is sent again, a reply that asks nothing is
answered by trying again.

What must hold: every reference the bot gave is stored once, for that conversation; a visitor is
never told of a second one; every stored inquiry was confirmed by its visitor and given to them;
a visitor who said no has nothing stored; "nothing was stored" was true when said; no Rasa server
lost track of a conversation; once the mail server is up every inquiry's notification arrives,
one e-mail each. The restart of the shared PostgreSQL is waited out before the module ends."""
from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message

import pytest

from bot.inquiries.service import InquiryRecord, list_inquiries
from tests.servers import free_port
from bot.responses import find
from tests.inquiries.inquiry_helpers import SmtpServer
from tests.production.cluster import ProductionCluster
from tests.production.faults import (CommitHold, postgresql_started_at, restart_postgresql, wait_for_postgresql,
                                     wait_until)
from tests.production.visitor import Visitor, as_messages

pytestmark = pytest.mark.production

CONVERSATIONS = 20
DECLINING = range(4, CONVERSATIONS, 5)  # every fifth visitor says no at the summary
START_SPREAD = 0.5  # seconds between visitors' first messages: the faults meet every step of the form
ACTION_SERVER_DOWN = 2.0  # seconds between the kill and the restart
CONVERSATIONS_TIMEOUT = 150
MAIL_TIMEOUT = 15  # after the mail server starts: three of the notifier's 5 s rounds
STAFF = "staff@clair.example"
RASA_FORGOT = "Falling back to use the 'InMemoryTrackerStore'"  # Rasa's FailSafeTrackerStore gave up


# --- the run -------------------------------------------------------------------------------------
@dataclass
class Run:
    visitors: list[Visitor]
    inquiries: list[InquiryRecord]  # as stored when the conversations were over
    mail: list[Message]
    notifications: dict[str, tuple[str, ...]]  # reference -> status of its notification(s), at the end
    mail_took: float
    faults: list[str]
    rasa_logs: str
    started_at: float  # time.time() when the first visitor started; the faults' times count from here too

    def visitor(self, sender: str) -> Visitor:
        return next(v for v in self.visitors if v.sender == sender)

    def summary(self) -> str:
        outcomes = Counter(v.outcome for v in self.visitors)
        return (f"outcomes {dict(outcomes)}; {sum(len(v.replies) for v in self.visitors)} replies, "
                f"{sum(v.empty_replies() for v in self.visitors)} empty, "
                f"{sum(len(v.request_errors) for v in self.visitors)} failed requests, "
                f"{sum(len(v.failures_reported_at()) for v in self.visitors)} 'submission failed', "
                f"{sum(v.interruptions() for v in self.visitors)} 'interrupted', "
                f"{sum(1 for v in self.visitors for r in v.replies if r.sent == 'yes' and not r.texts)} unanswered 'yes'; "
                f"{self.rasa_logs.count('tracker store:')} tracker-store waits; {len(self.inquiries)} stored; "
                f"faults: {'; '.join(self.faults)}; mail after {self.mail_took:.1f} s"
                + "".join(f"\n{v.sender} ({v.outcome}):\n{v.transcript(self.started_at)}"
                          for v in self.visitors if v.outcome != expected_outcome(v)))


def expected_outcome(visitor: Visitor) -> str:
    return "submitted" if visitor.confirms else "not sent"


def reached_summary(visitor: Visitor) -> bool:
    return any(find(as_messages(r.texts), "utter_ask_inquiry_confirmed") for r in visitor.replies)


def finished(visitor: Visitor) -> bool:
    return visitor.outcome != "unfinished"


def inject_faults(cluster: ProductionCluster, visitors: list[Visitor]) -> list[str]:
    """PostgreSQL restarts as the first visitors reach the summary, the others still mid-form; the
    action server is killed the instant an inquiry commits -- mid-submission, before its reply has
    left -- while the other confirmations come in, and started again."""
    faults = []
    started = time.monotonic()

    def note(event: str) -> None:
        faults.append(f"{event} at {time.monotonic() - started:.1f} s ({sum(map(reached_summary, visitors))} "
                      f"at the summary, {sum(map(finished, visitors))} finished)")

    assert wait_until(lambda: any(reached_summary(v) for v in visitors), 90), "nobody reached the summary"
    before = postgresql_started_at()
    note("PostgreSQL restart")
    restart_postgresql()
    wait_for_postgresql()
    assert postgresql_started_at() > before
    note("PostgreSQL back")

    wait_until(lambda: sum(map(finished, visitors)) >= CONVERSATIONS // 4, 30)
    [action_server] = cluster.action_servers
    killed_pid = action_server.process.pid
    hold = CommitHold(cluster.app_engine)
    try:
        assert hold.wait_until_a_commit_waits(timeout=30), "no submission came"
        os.killpg(killed_pid, signal.SIGSTOP)  # frozen while its COMMIT waits
        try:
            committed = hold.let_it_commit()
        finally:
            cluster.kill(action_server)  # before it can send its reply
    finally:
        hold.close()
    note(f"action server killed as {committed} committed")
    time.sleep(ACTION_SERVER_DOWN)
    cluster.restart(action_server)
    assert action_server.process.pid != killed_pid
    note("action server back")
    return faults


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if os.geteuid() != 0 or shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        pytest.skip("restarting PostgreSQL needs root and Debian's pg_ctlcluster")
    mail_port = free_port()  # nothing listens here until the conversations are over
    mail_server = SmtpServer(mail_port)
    try:
        with pytest.MonkeyPatch.context() as env:
            for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mail_port), "SMTP_STARTTLS": "false",
                                "SMTP_FROM": "assistant@clair.example", "STAFF_EMAILS": STAFF}.items():
                env.setenv(name, value)  # read by the notifier the cluster starts
            with ProductionCluster(tmp_path_factory.mktemp("faults"), rasa_servers=2, action_servers=1) as cluster:
                yield scenario(cluster, mail_server)
    finally:
        mail_server.controller.stop(no_assert=True)
        wait_for_postgresql()


def scenario(cluster: ProductionCluster, mail_server: SmtpServer) -> Run:
    visitors = [Visitor(cluster.url, f"fault-visitor-{n}", f"visitor{n}@city.example.jp", confirms=n not in DECLINING)
                for n in range(CONVERSATIONS)]
    threads = [threading.Thread(target=visitor.run, kwargs={"start_after": n * START_SPREAD}, daemon=True)
               for n, visitor in enumerate(visitors)]
    started_at = time.time()
    for thread in threads:
        thread.start()
    faults = inject_faults(cluster, visitors)
    deadline = time.monotonic() + CONVERSATIONS_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    inquiries = list_inquiries(cluster.app_engine)

    mail_server.start()  # the mail server comes back
    back = time.monotonic()

    def notifications() -> dict[str, tuple[str, ...]]:
        return {i.reference: tuple(n.status for n in i.notifications) for i in list_inquiries(cluster.app_engine)}

    # Every e-mail received and its row marked sent (the notifier marks it just after sending).
    wait_until(lambda: len(mail_server.handler.messages) >= len(inquiries)
               and all(s == ("sent",) for s in notifications().values()), MAIL_TIMEOUT, step=0.2)
    mail_took = time.monotonic() - back
    logs = "".join(path.read_text(errors="replace") for path in cluster.settings.log_dir.glob("rasa-server*.log"))
    return Run(visitors, inquiries, mail_server.handler.messages, notifications(), mail_took, faults, logs, started_at)


# --- what must hold --------------------------------------------------------------------------------
def test_every_conversation_ended_as_its_visitor_chose(run):
    """The faults were passing: with re-sending, everyone who confirmed got a reference and everyone
    who said no was told nothing was sent."""
    print(run.summary())
    assert {v.sender: v.outcome for v in run.visitors} == {
        v.sender: expected_outcome(v) for v in run.visitors}, run.summary()


def test_every_reference_given_is_stored_once_for_its_conversation(run):
    stored = {i.reference: i for i in run.inquiries}
    assert len(stored) == len(run.inquiries), "a reference stored twice"
    for visitor in run.visitors:
        for reference in visitor.claimed_references():
            assert reference in stored, f"{visitor.sender} was given {reference}, which is not stored"
            inquiry = stored[reference]
            assert (inquiry.conversation_id, inquiry.email, inquiry.kind) == (visitor.sender, visitor.email, "affiliation")


def test_a_visitor_is_never_given_a_second_reference_nor_stored_twice(run):
    per_conversation = Counter(i.conversation_id for i in run.inquiries)
    assert max(per_conversation.values(), default=0) <= 1, per_conversation
    for visitor in run.visitors:
        assert len(set(visitor.claimed_references())) <= 1, (visitor.sender, visitor.claimed_references())


def test_every_stored_inquiry_was_confirmed_and_given_to_its_visitor(run):
    """No inquiry exists that its visitor did not confirm, or was not told the reference of."""
    for inquiry in run.inquiries:
        visitor = run.visitor(inquiry.conversation_id)
        assert visitor.confirms and any(r.sent == "yes" for r in visitor.replies), inquiry.reference
        assert visitor.claimed_references()[-1:] == [inquiry.reference], (visitor.sender, run.summary())


def test_a_submission_cut_off_by_the_kill_gives_the_same_reference_when_asked_again(run):
    """The action server was killed as an inquiry committed: its visitor got no reference then,
    asked again, and was given the one already stored (the other assertions: once, no second)."""
    cut_off = [v.sender for v in run.visitors for i in run.inquiries
               if i.conversation_id == v.sender and v.reference_given_at() is not None
               and v.reference_given_at() > i.created_at.timestamp()]
    assert cut_off, f"the kill never fell between a commit and its reply: {run.summary()}"


def test_no_visitor_was_taken_back_to_an_earlier_question(run):
    """A question may be asked again (an answer lost with the action server), but a conversation
    Rasa lost track of starts over from the first question."""
    for visitor in run.visitors:
        order = list(visitor.answers())
        asked = [order.index(q) for q in visitor.questions_asked()]
        assert asked == sorted(asked), (visitor.sender, visitor.questions_asked())


def test_nothing_is_stored_or_claimed_for_a_visitor_who_said_no(run):
    decliners = [v for v in run.visitors if not v.confirms]
    assert decliners
    for visitor in decliners:
        assert visitor.claimed_references() == []
        assert not [i for i in run.inquiries if i.conversation_id == visitor.sender]


def test_nothing_was_stored_when_the_bot_said_so(run):
    """Whenever a reply said the submission failed and nothing was stored, no inquiry of that
    conversation had been recorded before it."""
    for visitor in run.visitors:
        for said_at in visitor.failures_reported_at():
            earlier = [i.reference for i in run.inquiries if i.conversation_id == visitor.sender
                       and i.created_at <= datetime.fromtimestamp(said_at, timezone.utc)]
            assert earlier == [], (visitor.sender, earlier)


def test_no_rasa_server_lost_track_of_a_conversation(run):
    """The tracker store waited out the restart; Rasa never fell back to a blank conversation."""
    assert "Starting Rasa server" in run.rasa_logs or "Rasa server is up" in run.rasa_logs, "no logs read"
    assert RASA_FORGOT not in run.rasa_logs


def test_once_the_mail_server_is_up_every_inquiry_is_e_mailed_once(run):
    subjects = Counter(message["Subject"].split()[-1] for message in run.mail)
    assert subjects == Counter(i.reference for i in run.inquiries), run.summary()
    assert all(message["To"] == STAFF for message in run.mail)
    assert all(statuses == ("sent",) for statuses in run.notifications.values()), run.notifications
