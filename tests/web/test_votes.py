"""Visitors' votes on answers (POST /feedback/votes): stored against the answer's bot event in the
tracker store, one per answer and changeable, never a message in the conversation; unknown
conversations and answers, malformed votes, other sites and floods are refused with a 4xx."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from bot.database import migrated_engine
from bot.feedback.models import AnswerVote, UnansweredMessage
from bot.settings import load_settings
from bot.web.app import create_app
from tests.tracker_events import TrackerWriter

FUKUOKA = "Fukuoka has 4 sister cities:\n- Hanoi\n- Ipoh\n\nSource: CLAIR Singapore's list."
SALARY = "CLAIR Singapore's page doesn't say how much an ALT earns, so I can't tell you without guessing."


@pytest.fixture
def settings(tmp_path):
    return replace(load_settings(), var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'clair.db'}",
                   tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}", staff_secret_key="test-secret")


@pytest.fixture
def engine(settings):
    eng = migrated_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def tracker(settings):
    writer = TrackerWriter(settings.tracker_store_url)
    writer.add("visitor-1", [("session_started", None), ("user", "/greet"), ("bot", "Hello! Ask me anything.", "utter_greet"),
                             ("user", "Which sister cities does Fukuoka have?"), ("action", None, "action_answer"),
                             ("bot", FUKUOKA, None), ("user", "how much does an ALT earn?"),
                             ("bot", SALARY, "utter_not_on_page")])
    yield writer
    writer.dispose()


@pytest.fixture
def web(settings, engine, tracker):
    with TestClient(create_app(settings, engine), base_url="http://testserver") as client:
        yield client


def vote(web, answer, text_, value="helpful", conversation="visitor-1", **extra):
    body = {"conversation_id": conversation, "answer": answer, "text": text_, "value": value, **extra}
    return web.post("/feedback/votes", json=body, headers={"origin": "http://testserver"})


def votes(engine):
    with Session(engine) as session:
        return [(v.conversation_id, v.answer_event_id, v.value, v.comment)
                for v in session.scalars(select(AnswerVote).order_by(AnswerVote.id))]


def bot_event_id(settings, said):
    with TrackerWriter(settings.tracker_store_url).engine.connect() as conn:
        return conn.execute(text("SELECT id FROM events WHERE type_name='bot' AND data LIKE :t"),
                            {"t": f"%{said[:20]}%"}).scalar_one()


def test_a_vote_is_stored_against_the_answers_bot_event(web, engine, settings):
    answer = vote(web, 1, "Hello! Ask me anything.")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"value": "helpful", "changed": True, "bubbles": [1, 1]}
    assert votes(engine) == [("visitor-1", bot_event_id(settings, "Hello! Ask me"), "helpful", None)]


def test_the_bubbles_of_one_answer_are_one_answer(web, engine, settings):
    """Rasa's socket.io channel shows the Fukuoka answer as two bubbles (split at the blank line)."""
    first = vote(web, 2, "Fukuoka has 4 sister cities:\n- Hanoi\n- Ipoh")
    second = vote(web, 3, "Source: CLAIR Singapore's list.", value="not_helpful")
    assert first.json()["bubbles"] == second.json()["bubbles"] == [2, 3]
    assert votes(engine) == [("visitor-1", bot_event_id(settings, "Fukuoka has 4"), "not_helpful", None)]


def test_the_same_vote_twice_is_one_vote_unchanged(web, engine):
    assert vote(web, 4, SALARY).json()["changed"] is True
    again = vote(web, 4, SALARY)
    assert again.status_code == 200 and again.json()["changed"] is False
    assert len(votes(engine)) == 1


def test_a_vote_can_be_changed_and_not_helpful_lists_the_question(web, engine):
    assert vote(web, 4, SALARY).status_code == 200
    changed = vote(web, 4, SALARY, value="not_helpful", comment="  the monthly salary\nof an ALT in yen ")
    assert changed.json() == {"value": "not_helpful", "changed": True, "bubbles": [4, 4]}
    assert [(v[2], v[3]) for v in votes(engine)] == [("not_helpful", "the monthly salary of an ALT in yen")]
    assert vote(web, 4, SALARY, value="not_helpful").json()["changed"] is False  # the comment is kept
    with Session(engine) as session:
        listed = session.execute(select(UnansweredMessage.text, UnansweredMessage.reason, UnansweredMessage.note)).all()
    assert listed == [("how much does an ALT earn?", "not_helpful", "the monthly salary of an ALT in yen")]
    assert vote(web, 4, SALARY, value="helpful").json()["changed"] is True  # back again: the entry goes
    with Session(engine) as session:
        assert session.scalar(select(func.count(UnansweredMessage.id))) == 0


def test_a_vote_on_a_greeting_lists_nothing(web, engine):
    assert vote(web, 1, "Hello! Ask me anything.", value="not_helpful").status_code == 200
    with Session(engine) as session:
        assert session.scalar(select(func.count(UnansweredMessage.id))) == 0  # it answered "/greet"


@pytest.mark.parametrize("conversation, answer, said, status, error", [
    ("nobody", 1, "Hello! Ask me anything.", 404, "There is no such conversation."),
    ("visitor-1", 9, "Hello! Ask me anything.", 404, "This conversation has no such answer."),
    ("visitor-1", 1, "Hello! I was never said.", 404, "This conversation has no such answer."),
])
def test_unknown_conversations_and_answers_are_refused(web, engine, conversation, answer, said, status, error):
    refused = vote(web, answer, said, conversation=conversation)
    assert (refused.status_code, refused.json()) == (status, {"error": error})
    assert votes(engine) == []


@pytest.mark.parametrize("body", [
    {"conversation_id": "visitor-1", "answer": 1, "text": "Hello! Ask me anything.", "value": "love it"},
    {"conversation_id": "visitor-1", "answer": "1", "text": "Hello! Ask me anything.", "value": "helpful"},
    {"conversation_id": "visitor-1", "answer": 0, "text": "Hello! Ask me anything.", "value": "helpful"},
    {"conversation_id": "", "answer": 1, "text": "Hello! Ask me anything.", "value": "helpful"},
    ["not", "an", "object"],
])
def test_malformed_votes_are_refused(web, engine, body):
    assert web.post("/feedback/votes", json=body).status_code == 400
    assert votes(engine) == []


def test_votes_from_another_site_or_not_json_are_refused(web, engine):
    body = {"conversation_id": "visitor-1", "answer": 1, "text": "Hello! Ask me anything.", "value": "helpful"}
    assert web.post("/feedback/votes", json=body, headers={"origin": "https://evil.example"}).status_code == 403
    assert web.post("/feedback/votes", json=body, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert web.post("/feedback/votes", data=body).status_code == 415  # a plain HTML form cannot vote
    assert web.post("/feedback/votes", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    assert votes(engine) == []


def test_a_flood_is_refused_with_429(web, engine, tracker):
    tracker.add("visitor-2", [("user", "hi"), ("bot", "Hello!", "utter_greet")])
    codes = [vote(web, 1, "Hello! Ask me anything.", value=("helpful", "not_helpful")[i % 2]).status_code
             for i in range(35)]
    assert codes[:30] == [200] * 30 and set(codes[30:]) == {429}  # one conversation: 30 in 10 minutes
    assert vote(web, 1, "Hello!", conversation="visitor-2").status_code == 200  # another one still can
    assert len(votes(engine)) == 2


def test_a_vote_adds_nothing_to_the_conversation(web, settings):
    with TrackerWriter(settings.tracker_store_url).engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    assert vote(web, 4, SALARY, value="not_helpful").status_code == 200
    with TrackerWriter(settings.tracker_store_url).engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == before


def test_the_window_slides_and_refused_requests_are_not_counted():
    from bot.feedback.rate_limit import SlidingWindow

    now = [0.0]
    window = SlidingWindow(2, 60, clock=lambda: now[0])
    assert [window.allow("a"), window.allow("a"), window.allow("a"), window.allow("b")] == [True, True, False, True]
    now[0] = 59.9
    assert window.allow("a") is False
    now[0] = 60.0  # the first two fell out of the window
    assert window.allow("a") and window.allow("a") and not window.allow("a")


def test_a_flood_from_one_address_is_refused_across_conversations(web, tracker):
    for i in range(61):
        tracker.add(f"many-{i}", [("user", "hi"), ("bot", "Hello!", "utter_greet")])
    codes = [vote(web, 1, "Hello!", conversation=f"many-{i}").status_code for i in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429
