"""The feedback loop's storage on both engines the project runs on (SQLite embedded, PostgreSQL in
production; a tracker store on PostgreSQL too): the harvest's insert-or-ignore, the vote's upsert,
and pointing a group to an answer, on migrated databases."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.database import migrated_engine
from bot.feedback.harvest import harvest
from bot.feedback.models import AnswerVote, TrainingSuggestion, UnansweredMessage
from bot.feedback.votes import VoteRequest, record_vote
from bot.staff.unanswered.decisions import point_to_answer
from tests.bot.scratch_postgres import scratch_database_url
from tests.tracker_events import TrackerWriter

GAP = "CLAIR Singapore's page doesn't say how much an ALT earns, so I can't tell you without guessing."


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request, tmp_path):
    """(application database, tracker store) URLs on one engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clair.db'}", f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with scratch_database_url("clair_feedback_test", create=True) as app_url, \
            scratch_database_url("clair_feedback_tracker", create=True) as tracker_url:
        yield app_url, tracker_url


def test_harvest_vote_and_decision_on_each_engine(urls):
    app_url, tracker_url = urls
    engine = migrated_engine(app_url)
    writer = TrackerWriter(tracker_url)
    try:
        writer.turn("v1", "how much does an ALT earn?", GAP, "utter_not_on_page")
        assert harvest(engine, tracker_url) == 1
        writer.turn("v2", "ALT salary?", GAP, "utter_not_on_page")
        assert harvest(engine, tracker_url) == 1  # only the new turn is read
        for value in ("not_helpful", "not_helpful", "helpful", "not_helpful"):
            record_vote(engine, tracker_url, VoteRequest("v1", 1, GAP, value, "salary" if value == "not_helpful" else None))
        with Session(engine) as session:
            assert session.execute(select(AnswerVote.value, AnswerVote.comment)).all() == [("not_helpful", "salary")]
            reasons = sorted(session.execute(select(UnansweredMessage.conversation_id, UnansweredMessage.reason)).all())
            assert reasons == [("v1", "not_helpful"), ("v1", "not_on_page"), ("v2", "not_on_page")]
            ids = list(session.scalars(select(UnansweredMessage.id)))
        assert point_to_answer(engine, ids, "jet_position_detail", None) == 2  # two wordings, three rows
        with Session(engine) as session:
            assert session.scalar(select(func.count(TrainingSuggestion.id))) == 2
    finally:
        writer.dispose()
        engine.dispose()
