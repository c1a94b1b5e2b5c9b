"""The dashboard on the console's start page: conversations and messages per day, how messages were
answered (knowledge base, "the page does not say", fallback), votes, and the most-asked unanswered
questions, drawn as inline SVG by the app."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot.feedback.models import AnswerVote
from bot.staff.dashboard import build
from bot.staff.queue import zone
from tests.tracker_events import TrackerWriter

DEFAULT = "Sorry, I didn't understand that. Could you rephrase it?"
GAP = "CLAIR Singapore's page doesn't say how much an ALT earns, so I can't tell you without guessing."


def fill(settings, engine, now):
    from sqlalchemy.orm import Session

    writer = TrackerWriter(settings.tracker_store_url)
    yesterday = now - timedelta(days=1)
    writer.turn("a", "Which sister cities does Fukuoka have?", "Fukuoka has 4.", None, start=yesterday)
    writer.turn("a", "and Osaka?", "Osaka has 2.", None, start=yesterday + timedelta(minutes=1))
    writer.turn("b", "how much does an ALT earn", GAP, "utter_not_on_page", start=now - timedelta(hours=1))
    writer.turn("c", "ALT salary?", GAP, "utter_not_on_page", start=now - timedelta(hours=1))
    writer.turn("c", "zzzz", DEFAULT, "utter_default", start=now - timedelta(minutes=30),
                action="action_default_fallback")
    writer.add("c", [("user", "/greet"), ("bot", "Hello!", "utter_greet")], start=now - timedelta(minutes=20))
    writer.turn("old", "Which sister cities does Chiba have?", "Chiba has 3.", None, start=now - timedelta(days=30))
    writer.dispose()
    with Session(engine) as session, session.begin():
        session.add_all([AnswerVote(conversation_id="a", answer_event_id=1, value="helpful", created_at=now),
                         AnswerVote(conversation_id="b", answer_event_id=2, value="not_helpful", created_at=now),
                         AnswerVote(conversation_id="c", answer_event_id=3, value="helpful", created_at=now)])


def test_the_figures_come_from_the_tracker_store_and_the_votes(settings, engine):
    now = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
    fill(settings, engine, now)
    board = build(engine, settings.tracker_store_url, zone("UTC"), now=now + timedelta(minutes=1))
    assert len(board.days) == 14 and board.messages == 5  # the 30-day-old one and "/greet" are not counted
    assert (board.days[-1].conversations, board.days[-1].messages) == (2, 3)
    assert (board.days[-2].conversations, board.days[-2].messages) == (1, 2)
    assert dict(board.outcomes) == {"knowledge": 2, "not_on_page": 2, "fallback": 1, "out_of_scope": 0, "other": 0}
    assert (board.share("knowledge"), board.share("fallback")) == (0.4, 0.2)
    assert (board.helpful, board.not_helpful) == (2, 1)
    sample, count = board.top_unanswered[0]
    assert count == 2 and sample in ("ALT salary?", "how much does an ALT earn")  # one group, asked twice


def test_the_start_page_draws_them_as_inline_svg(client, settings, engine):
    now = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
    fill(settings, engine, now)
    html = client.get("/").text
    assert re.search(r'id="share-knowledge">40%<', html) and re.search(r'id="share-not-on-page">40%<', html)
    assert re.search(r'id="votes-helpful">2<', html) and re.search(r'id="votes-not-helpful">1<', html)
    assert html.count('<svg role="img"') == 6  # five dashboard charts and the inquiries per week
    assert "The ten most-asked unanswered questions" in html
    assert re.search(r"<title>(ALT salary\?|how much does an ALT earn): 2</title>", html)
    assert "<script" not in html


def test_an_empty_tracker_store_draws_an_empty_dashboard(client):
    html = client.get("/").text
    assert 'id="share-knowledge">0%<' in html and "None yet." in html
