"""The feedback loop in real headless Chromium against the whole system as `make run` starts it: a
visitor asks something the page does not say, votes the answer not helpful from the keyboard and
says what they were looking for; the vote is stored (and not sent into the conversation); a staff
member signs in, finds the question on the Unanswered page with both reasons, writes an answer for
it there, and the next visitor asking it reads that answer as CLAIR staff's; withdrawn, it is gone."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from bot.feedback.models import AnswerVote
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

QUESTION = "how much does an ALT earn per month?"
EMAIL, PASSWORD = "kenji.mori@clair.example", "feedback browser passphrase 7"


def stored_votes(settings):
    engine = create_engine(settings.database_url, future=True)
    try:
        with Session(engine) as session:
            return [(v.value, v.comment) for v in session.scalars(select(AnswerVote))]
    finally:
        engine.dispose()


def user_messages(settings, conversation_id):
    engine = create_engine(settings.tracker_store_url, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'"),
                                {"s": conversation_id}).all()
        return [row.data for row in rows]
    finally:
        engine.dispose()


STAFF_ANSWER = "About 3.36 million yen a year in the first year, paid monthly."


def test_a_vote_in_the_widget_reaches_the_unanswered_page(visitor, new_visitor, browser, web_settings):
    visitor.goto().open()
    replies = visitor.say(QUESTION, until="utter_not_on_page")
    assert any("doesn't say" in r["text"] for r in replies)
    bubble = visitor.log.locator(".chat-message-bot", has_text="doesn't say").first
    not_helpful = bubble.get_by_role("button", name="Not helpful")
    not_helpful.focus()
    visitor.page.keyboard.press("Enter")  # from the keyboard
    bubble.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
    assert not_helpful.get_attribute("aria-pressed") == "true"
    assert bubble.get_by_role("button", name="Helpful", exact=True).get_attribute("aria-pressed") == "false"
    bubble.get_by_label("What were you looking for? (optional)").fill("the ALT salary in yen")
    visitor.page.keyboard.press("Enter")
    bubble.get_by_role("status").filter(has_text="we passed that on").wait_for()

    assert stored_votes(web_settings) == [("not_helpful", "the ALT salary in yen")]
    visitor.page.reload()  # the vote is remembered with the transcript
    bubble = visitor.log.locator(".chat-message-bot", has_text="doesn't say").first
    assert bubble.get_by_role("button", name="Not helpful").get_attribute("aria-pressed") == "true"
    assert bubble.get_by_label("What were you looking for? (optional)").is_hidden()
    conversation = visitor.page.evaluate("JSON.parse(sessionStorage.getItem('clair-chat:session'))")
    said = " ".join(user_messages(web_settings, conversation))
    assert QUESTION in said and "ALT salary in yen" not in said  # the vote never entered the conversation
    assert visitor.csp_violations() == [] and visitor.errors == []

    env = {**os.environ, **web_settings.rasa_environment()}
    done = subprocess.run([sys.executable, "-m", "bot", "staff", "add", EMAIL, "--name", "Kenji Mori"],
                          cwd=PROJECT_ROOT, env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{web_settings.web_url}/staff/unanswered")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/staff/unanswered$"))
        group = page.locator(".unanswered-group", has_text=QUESTION)
        assert group.count() == 1
        meta = group.locator(".meta").text_content()
        assert "Asked 1 time" in meta and "The page does not say" in meta and "Voted not helpful" in meta
        group.locator("summary").click()
        assert "Looking for: the ALT salary in yen" in group.text_content()
        group.get_by_role("link", name="conversation").click()
        page.wait_for_url(re.compile(r"/staff/conversations/"))
        assert QUESTION in page.locator(".transcript").text_content()

        # Staff answer the group; the next visitor who asks reads it, said as CLAIR staff's.
        page.goto(f"{web_settings.web_url}/staff/unanswered")
        group = page.locator(".unanswered-group", has_text=QUESTION)
        group.get_by_label("Write an answer").fill(STAFF_ANSWER)
        group.get_by_label(re.compile("The page gap it answers")).fill("salary")
        group.get_by_role("button", name="Save the answer").click()
        page.wait_for_url(re.compile(r"msg=answered"))
        assert page.locator(".unanswered-group", has_text=QUESTION).count() == 0
        asker = new_visitor()
        asker.goto().open()
        replies = asker.say("what's the monthly salary of an ALT?", until="utter_staff_answer")
        assert any("CLAIR staff answered it on" in r["text"] and STAFF_ANSWER in r["text"] for r in replies)

        # Withdrawn in the console, it is no longer said.
        page.goto(f"{web_settings.web_url}/staff/kb/answers")
        page.get_by_role("button", name=re.compile("^Withdraw")).click()
        page.wait_for_url(re.compile(r"msg=retired"))
        later = new_visitor()
        later.goto().open()
        replies = later.say("what's the monthly salary of an ALT?", until="utter_not_on_page")
        assert any("doesn't say" in r["text"] for r in replies) and not any(STAFF_ANSWER in r["text"] for r in replies)
    finally:
        context.close()
