"""The public chat page end to end: real headless Chromium, the real web app, Rasa server (socket.io
channel) and action server, as `make run` starts them. Expected answers come from the knowledge
facade and the domain's responses, not from copied wording."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.responses import find, values

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"SC-\d{4}-\d{6}-\d")
SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot-chat.png"
PHONE = {"width": 390, "height": 844}
XSS = '<img src=x onerror="window.__pwned = 1">'
WATCH_TYPING_INDICATOR = """() => {
  const typing = document.getElementById("chat-typing");
  window.__typingShown = false;
  new MutationObserver(() => { if (!typing.hidden) window.__typingShown = true; })
    .observe(typing, {attributes: true, attributeFilter: ["hidden"]});
}"""


def greeting_buttons() -> list[str]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return [b["title"] for b in domain["responses"]["utter_greet"][0]["buttons"]]


def check_fukuoka_answer(messages, kb):
    prefecture, count, lines, *_ = values(messages, "utter_affiliations_of_prefecture")
    expected = kb.affiliations_of_prefecture("Fukuoka")
    assert prefecture == "Fukuoka" and int(count.split()[0]) == len(expected)
    for affiliation in expected:
        assert affiliation.counterpart in lines


# --- the page ------------------------------------------------------------------------------------
def test_the_page_introduces_the_assistant_with_a_csp_and_nothing_from_elsewhere(visitor, web_settings):
    response = visitor.page.goto(visitor.url)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert visitor.page.get_by_role("heading", level=1).text_content() == "Ask our assistant"
    assert "JET Programme" in visitor.page.locator("main").text_content()

    visitor.open()
    visitor.say("What does an ALT do?", until="utter_jet_position")
    ours = {urlsplit(web_settings.web_url).netloc, urlsplit(web_settings.rasa_url).netloc}
    assert visitor.requests and {urlsplit(url).netloc for url in visitor.requests} <= ours, visitor.requests
    assert visitor.csp_violations() == [] and visitor.errors == []


def test_rasa_allows_the_page_origin_and_no_other(web_assistant, web_settings):
    def cors(origin):
        request = urllib.request.Request(f"{web_settings.rasa_url}/socket.io/?EIO=4&transport=polling",
                                         headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("Access-Control-Allow-Origin")

    assert cors(web_settings.web_url) == web_settings.web_url
    assert cors("http://evil.example") is None


# --- conversations ---------------------------------------------------------------------------------
def test_a_fresh_visitor_is_greeted_with_suggested_questions_as_buttons(visitor):
    greeting = visitor.goto().open()
    message = find(greeting, "utter_greet")
    assert message, greeting
    assert [b["title"] for b in message["buttons"]] == greeting_buttons()
    assert visitor.input.evaluate("el => el === document.activeElement"), "opening the chat focuses the input"


def test_a_quick_reply_asks_its_question_and_the_answer_comes_from_the_knowledge_base(visitor, kb):
    visitor.goto().open()
    visitor.page.evaluate(WATCH_TYPING_INDICATOR)
    answer = visitor.click_quick_reply("Fukuoka's sister cities", until="utter_affiliations_of_prefecture")
    assert visitor.page.evaluate("window.__typingShown"), "the typing indicator showed while waiting"
    assert visitor.page.locator("#chat-typing").is_hidden(), "and went away with the answer"
    assert visitor.visitor_messages() == ["Fukuoka's sister cities"]
    check_fukuoka_answer(answer, kb)
    assert visitor.page.locator("#chat-log .chat-quick-reply").count() == 0, "used quick replies are removed"
    assert visitor.input.evaluate("el => el === document.activeElement"), "focus goes back to the input"


def test_a_typed_knowledge_question_gets_the_knowledge_base_answer(visitor, kb, tmp_path):
    visitor.goto().open()
    answer = visitor.say("Which sister cities does Fukuoka have?", until="utter_affiliations_of_prefecture")
    check_fukuoka_answer(answer, kb)
    shown = visitor.log.locator(".chat-message-bot").last
    assert shown.is_visible()
    # The README's screenshot: regenerate with CLAIR_UPDATE_SCREENSHOT=1.
    target = SCREENSHOT if os.environ.get("CLAIR_UPDATE_SCREENSHOT") else tmp_path / SCREENSHOT.name
    visitor.page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def test_a_sister_city_inquiry_through_the_widget_ends_with_its_reference(visitor, web_settings):
    visitor.goto().open()
    visitor.say("we want to set up a sister city", until="utter_ask_organisation")
    visitor.say("Sakura City", until="utter_ask_organisation_country")
    visitor.say("Japan", until="utter_ask_contact_name")
    visitor.say("Hanako Tanaka", until="utter_ask_contact_email")
    visitor.say("tanaka@city.example.jp", until="utter_ask_contact_phone")
    visitor.click_quick_reply("Skip", until="utter_ask_partner_preference")
    visitor.say("a coastal city in Viet Nam", until="utter_ask_purpose")
    visitor.say("education and tourism", until="utter_ask_inquiry_message")
    summary = visitor.say("We would like to start with school exchanges.", until="utter_ask_inquiry_confirmed")
    assert values(summary, "utter_inquiry_summary")[:2] == ("Sakura City", "Japan")
    done = visitor.click_quick_reply("Yes, send it", until="utter_inquiry_submitted")
    reference, email, _ = values(done, "utter_inquiry_submitted")
    assert REFERENCE.fullmatch(reference) and email == "tanaka@city.example.jp"

    shown = subprocess.run([sys.executable, "-m", "bot", "inquiries", "show", reference, "--json"],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "DATABASE_URL": web_settings.database_url})
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)
    session_id = visitor.page.evaluate("JSON.parse(sessionStorage.getItem('clair-chat:session'))")
    assert stored["organisation"] == "Sakura City" and stored["conversation_id"] == session_id


def test_a_reload_keeps_the_conversation_and_its_context(visitor, kb):
    visitor.goto().open()
    visitor.say("What does an ALT do?", until="utter_jet_position")
    before = visitor.all_messages()

    visitor.page.reload()
    visitor.window.wait_for(state="visible")  # it was open, so it stays open
    assert visitor.all_messages() == before
    # The Rasa conversation goes on too: the follow-up needs the previous question's context.
    follow_up = visitor.say("and a CIR?", until="utter_jet_position")
    name, code, description = values(follow_up, "utter_jet_position")
    assert (code, description) == ("CIR", kb.position("CIR").description)
    assert sum(1 for m in visitor.bot_messages() if find([m], "utter_greet")) == 1, "greeted once only"


def test_html_typed_by_a_visitor_or_echoed_by_the_bot_is_shown_as_text_and_never_runs(visitor):
    visitor.goto().open()
    visitor.say(XSS)
    visitor.say(f"<script>window.__pwned = 2</script>{XSS}")
    assert visitor.visitor_messages() == [XSS, f"<script>window.__pwned = 2</script>{XSS}"]

    # The inquiry form repeats an unlisted country back to the visitor.
    visitor.say("we want to set up a sister city", until="utter_ask_organisation")
    visitor.say("<b>Lotus</b> Town", until="utter_ask_organisation_country")
    refused = visitor.say(f"Atlantis {XSS}", until="utter_ask_organisation_country")
    assert set(values(refused, "utter_country_unknown")) == {f"Atlantis {XSS}"}  # named twice in the reply
    echoed = visitor.say(f"Atlantis {XSS}", until="utter_ask_contact_name")  # typed again: kept as typed
    assert values(echoed, "utter_country_not_listed") == (f"Atlantis {XSS}",)
    visitor.say("cancel", until="utter_inquiry_cancelled")

    assert visitor.page.evaluate("typeof window.__pwned") == "undefined"
    assert visitor.log.locator("img, script, b").count() == 0
    assert visitor.errors == []


# --- accessibility -----------------------------------------------------------------------------------
def test_the_chat_works_from_the_keyboard_alone(visitor):
    page = visitor.goto().page
    launcher = visitor.launcher
    assert launcher.get_attribute("aria-expanded") == "false"
    for _ in range(30):  # Tab from the top of the page to the launcher
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the launcher cannot be reached with Tab")
    before = len(visitor.bot_messages())
    page.keyboard.press("Enter")
    greeting = visitor.replies_after(before, "utter_greet")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert visitor.input.evaluate("el => el === document.activeElement")

    page.keyboard.press("Shift+Tab")  # back from the input to the last suggested question
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == find(greeting, "utter_greet")["buttons"][-1]["title"]
    before = len(visitor.bot_messages())
    page.keyboard.press("Enter")
    visitor.replies_after(before)
    assert visitor.visitor_messages() == [focused]

    page.keyboard.type("What does an ALT do?")
    before = len(visitor.bot_messages())
    page.keyboard.press("Enter")
    assert find(visitor.replies_after(before, "utter_jet_position"), "utter_jet_position")

    page.keyboard.press("Escape")
    assert visitor.window.is_hidden() and launcher.get_attribute("aria-expanded") == "false"
    assert launcher.evaluate("el => el === document.activeElement"), "closing returns focus to the launcher"


def test_screen_readers_get_names_roles_and_live_updates(visitor):
    page = visitor.goto().page
    assert visitor.launcher.get_attribute("aria-controls") == "chat-window"
    assert page.get_by_role("button", name="Chat with us").is_visible()
    visitor.open()
    assert page.get_by_role("dialog", name="CLAIR Singapore assistant").is_visible()
    assert page.get_by_role("log", name="Conversation").get_attribute("aria-live") == "polite"
    assert page.get_by_role("textbox", name="Your message").is_visible()
    assert page.get_by_role("button", name="Close the chat").is_visible()
    assert page.get_by_role("group", name="Suggested replies").is_visible()
    speakers = page.locator("#chat-log .chat-message .visually-hidden").all_text_contents()
    assert speakers and set(speakers) == {"Assistant: "}


def test_at_phone_width_the_chat_fills_the_screen_and_stays_readable(new_visitor, kb, tmp_path):
    visitor = new_visitor(viewport=PHONE)
    page = visitor.goto().page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    visitor.open()
    answer = visitor.say("Which sister cities does Fukuoka have?", until="utter_affiliations_of_prefecture")
    check_fukuoka_answer(answer, kb)

    box = visitor.window.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] <= PHONE["height"]
    for locator in (visitor.input, page.get_by_role("button", name="Send"),
                    page.get_by_role("button", name="Close the chat")):
        part = locator.bounding_box()
        assert part["x"] >= 0 and part["x"] + part["width"] <= PHONE["width"]
        assert part["y"] >= 0 and part["y"] + part["height"] <= PHONE["height"]
        assert part["height"] >= 40, "big enough to tap"
    last = visitor.log.locator(".chat-message-bot .chat-text").last
    text_box = last.bounding_box()
    assert text_box["x"] + text_box["width"] <= PHONE["width"]
    assert float(last.evaluate("el => getComputedStyle(el).fontSize").rstrip("px")) >= 16
    page.screenshot(path=str(tmp_path / "phone.png"))

    # The window covers the page: Tab and Shift+Tab stay inside it.
    visitor.input.focus()
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate("document.getElementById('chat-window').contains(document.activeElement)"), key
