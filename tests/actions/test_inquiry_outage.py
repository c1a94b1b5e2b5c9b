"""Submitting while the PostgreSQL server is away (a restart, stood for by a relay the test takes
down): the action waits for it within RECORD_RETRY_SECONDS and then records once; a submission
whose first delivery was committed gets the same reference; past the window the visitor is told
nothing was stored; a failure that is not an outage is reported at once."""
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from actions import inquiry_actions
from actions.inquiry_actions import ActionEscalate, ActionSubmitInquiry
from bot.database import make_engine
from bot.inquiries.models import Inquiry, create_schema
from bot.inquiries.service import InquiryDraft, submission_key_for, submit_inquiry
from tests.bot.scratch_postgres import scratch_database_url
from tests.bot.outage_proxy import OutageProxy

SENDER = "outage-visitor"
ANSWERS = {"organisation": "Hoi An City", "organisation_country": "Vietnam", "contact_name": "Tran Thi Mai",
           "contact_email": "mai@hoian.example.vn", "contact_phone": None, "partner_preference": "no preference",
           "purpose": "tourism", "inquiry_message": None, "partner_country": None, "inquiry_confirmed": True}


@pytest.fixture
def postgres_inquiries():
    """A PostgreSQL database with the inquiry tables, dropped afterwards."""
    with scratch_database_url("outage_test", create=True) as scratch:
        url = make_url(scratch)
        engine = make_engine(url)
        create_schema(engine)
        yield url, engine
        engine.dispose()


@pytest.fixture
def through_relay(postgres_inquiries, point_inquiries_at):
    """The actions reach the database through a relay that the test can take down."""
    url, engine = postgres_inquiries
    relay = OutageProxy(url.port or 5432).up()
    point_inquiries_at(str(url.set(host="127.0.0.1", port=relay.port)))
    yield relay, engine
    relay.down()


def rows(engine):
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Inquiry))


def after(seconds, action):
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()))
    thread.start()
    return thread


def submit(run_tracker, conversation_tracker):
    started = time.monotonic()
    messages, events = run_tracker(ActionSubmitInquiry(), conversation_tracker(slots=ANSWERS, sender_id=SENDER))
    return messages, events, time.monotonic() - started


def test_a_submission_waits_for_a_restarting_server_and_is_recorded_once(through_relay, run_tracker,
                                                                         conversation_tracker):
    relay, engine = through_relay
    relay.down()
    back = after(1.5, relay.up)
    messages, _, took = submit(run_tracker, conversation_tracker)
    back.join()
    assert [m["response"] for m in messages] == ["utter_inquiry_submitted"]
    assert 1.4 < took < inquiry_actions.RECORD_RETRY_SECONDS
    with engine.connect() as connection:
        assert connection.execute(text("SELECT reference, conversation_id FROM inquiries")).all() == [
            (messages[0]["reference"], SENDER)]


def test_a_commit_whose_answer_was_lost_gives_the_same_reference_after_the_outage(through_relay, run_tracker,
                                                                                 conversation_tracker):
    """The action server committed, then the reply never reached the visitor (the server was
    killed, or the connection dropped during the commit). The re-sent confirmation meets a
    restarting database, waits, and finds the first submission."""
    relay, engine = through_relay
    draft = InquiryDraft(organisation="Hoi An City", organisation_country="Vietnam", contact_name="Tran Thi Mai",
                         email="mai@hoian.example.vn", partner_preference="no preference", purpose="tourism",
                         conversation_id=SENDER, channel="unknown")
    first = submit_inquiry(engine, draft, submission_key_for(SENDER, draft))
    relay.down()
    back = after(1.0, relay.up)
    messages, _, _ = submit(run_tracker, conversation_tracker)
    back.join()
    assert [(m["response"], m["reference"]) for m in messages] == [("utter_inquiry_submitted", first.reference)]
    assert rows(engine) == 1


def test_a_server_away_longer_than_the_window_means_nothing_stored_and_answers_kept(through_relay, run_tracker,
                                                                                    conversation_tracker,
                                                                                    monkeypatch):
    relay, engine = through_relay
    monkeypatch.setattr(inquiry_actions, "RECORD_RETRY_SECONDS", 1.0)
    relay.down()
    messages, events, took = submit(run_tracker, conversation_tracker)
    assert [m["response"] for m in messages] == ["utter_inquiry_submit_failed"]
    assert events == [{"event": "slot", "timestamp": None, "name": "inquiry_confirmed", "value": None}]
    assert 0.5 < took < 3
    relay.up()
    assert rows(engine) == 0


def test_an_escalation_waits_for_a_restarting_server_too(through_relay, run_tracker, conversation_tracker):
    relay, engine = through_relay
    relay.down()
    back = after(1.0, relay.up)
    tracker = conversation_tracker(slots={"contact_email": "mai@hoian.example.vn"}, sender_id=SENDER,
                                   text="talk to a person", intent="human_handoff")
    messages, _ = run_tracker(ActionEscalate(), tracker)
    back.join()
    assert [m["response"] for m in messages] == ["utter_escalated"]
    assert rows(engine) == 1


def test_a_failure_that_is_not_an_outage_is_reported_at_once(postgres_inquiries, point_inquiries_at, run_tracker,
                                                             conversation_tracker):
    url, engine = postgres_inquiries
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE notifications"))  # the outbox is gone: no retry helps
    point_inquiries_at(str(url))
    messages, _, took = submit(run_tracker, conversation_tracker)
    assert [m["response"] for m in messages] == ["utter_inquiry_submit_failed"]
    assert took < 1
    assert rows(engine) == 0
