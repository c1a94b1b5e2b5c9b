"""The staff console in real headless Chromium (Debian's `chromium`, driven by Playwright through
executable_path; scripts/setup-web.sh installs it) against the whole system as `make run` starts it:
an inquiry is made THROUGH THE ASSISTANT (Rasa REST channel) with <script> and <img onerror> payloads
in its fields; a staff member signs in, filters the queue, opens it, reads the transcript, changes its
status and adds a note; the payloads must show as text and nothing may run. Saves the screenshots
the README shows (docs/screenshot-staff-*.png)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.inquiries.service import Contact, InquiryDraft, escalate, submit_inquiry
from bot.settings import PROJECT_ROOT
from tests.servers import Chat
from bot.responses import values

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
EMAIL, PASSWORD = "aiko.sato@clair.example", "browser test passphrase 42"
SCRIPT = '<script>window.__pwned = 1; document.title = "pwned"</script>'
IMG = '<img src=x onerror="window.__pwned = 2">'
ORGANISATION = f"{SCRIPT} Sakura City"
CONTACT = f"{IMG} Hanako Tanaka"
MESSAGE = f"We would like school exchanges. {IMG}"
# The README's screenshots are rewritten only with CLAIR_UPDATE_SCREENSHOT=1, so that a test run
# leaves the working tree clean.
_SHOT_DIR = (PROJECT_ROOT / "docs") if os.environ.get("CLAIR_UPDATE_SCREENSHOT") else Path(tempfile.mkdtemp())
QUEUE_SHOT = _SHOT_DIR / "screenshot-staff-queue.png"
INQUIRY_SHOT = _SHOT_DIR / "screenshot-staff-inquiry.png"


def chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def console_url(web_assistant, web_settings):
    return f"{web_settings.web_url}/staff/"


@pytest.fixture(scope="module")
def staff_account(web_settings, console_url):
    """Made the way an administrator does: `python -m bot staff add`, the password on stdin."""
    env = {**os.environ, **web_settings.rasa_environment()}
    done = subprocess.run([sys.executable, "-m", "bot", "staff", "add", EMAIL, "--name", "Aiko Sato"], cwd=PROJECT_ROOT,
                          env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return EMAIL


@pytest.fixture(scope="module")
def xss_inquiry(web_assistant, web_settings):
    """A sister-city request typed into the assistant, payloads included; returns its reference."""
    chat, sender = Chat(web_settings.rasa_url), "browser-xss-visitor"
    for answer in ("we want to set up a sister city", ORGANISATION, "Japan", CONTACT, "tanaka@city.example.jp",
                   "skip", "a coastal city in Viet Nam", "education and tourism"):
        chat.say(sender, answer)
    summary = chat.say(sender, MESSAGE)
    assert values(summary, "utter_inquiry_summary")[0] == ORGANISATION
    reference = values(chat.say(sender, "yes"), "utter_inquiry_submitted")[0]
    # A "talk to a person" request, also through the assistant.
    chat.say("browser-escalation", "Which sister cities does Fukuoka have?")
    chat.say("browser-escalation", "can I talk to a real person please")
    chat.say("browser-escalation", "visitor@example.org")
    return reference


@pytest.fixture(scope="module")
def earlier_inquiries(web_settings, xss_inquiry):
    """Some older requests (recorded with the inquiry service directly, with past dates) so the queue,
    its counts and its weekly chart look like a working queue in the screenshot."""
    engine = create_engine(web_settings.database_url, future=True)
    now = datetime.now(timezone.utc)
    people = [("Lotus City", "Vietnam", "Minh Tran", "Japan"), ("Kota Bogor", "Indonesia", "Siti Rahma", "Japan"),
              ("Ipoh City Council", "Malaysia", "Lee Wei", None), ("Pune Municipal Corporation", "India", "Asha Rao", None),
              ("Chiang Rai Province", "Thailand", "Somchai K.", None), ("Cebu City", "Philippines", "Maria Santos", None)]
    for i, (organisation, country, name, partner) in enumerate(people):
        draft = InquiryDraft(organisation=organisation, organisation_country=country, contact_name=name,
                             email=f"contact{i}@example.org", partner_preference="a city in Japan",
                             purpose="culture and education", conversation_id=f"demo-{i}", channel="rest",
                             partner_country=partner)
        submit_inquiry(engine, draft, f"demo-{i}", now=now - timedelta(days=6 * i + 3))
    escalate(engine, "demo-escalation", "rest", "How do we apply for the JET Programme?",
             Contact(email="reader@example.org"), submission_key="demo-escalation", now=now - timedelta(days=17))
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        pytest.fail("No chromium found: run scripts/setup-web.sh (make setup) to install Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """Everything that would show an injected script running, or the CSP blocking something."""

    def __init__(self, page):
        self.page, self.console, self.errors, self.requests = page, [], [], []
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def csp_violations(self):
        return [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]


@pytest.fixture(scope="module")
def staff(browser, console_url, staff_account, xss_inquiry, earlier_inquiries):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    watch = Watch(page)
    yield page, watch
    context.close()


def test_sign_in_with_the_keyboard(staff, console_url):
    page, watch = staff
    page.goto(console_url)
    assert page.url.startswith(console_url + "login?next=")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.keyboard.press("Tab")  # to the password field
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(console_url)
    assert page.get_by_role("heading", level=1).text_content() == "Inquiries and escalations"
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_filter_the_queue(staff, console_url, xss_inquiry):
    page, watch = staff
    page.goto(console_url)
    rows = page.locator("table.queue tbody tr")
    assert rows.count() >= 8
    page.get_by_label("Type").select_option(label="Talk to a person")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "kind=escalation" in page.url
    kinds = page.locator("table.queue tbody td[data-label='Type']").all_text_contents()
    assert kinds and set(kinds) == {"Talk to a person"}
    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Search").fill("sakura")
    page.get_by_label("Country").select_option("Japan")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.locator("table.queue tbody tr").count() == 1
    assert page.locator("table.queue tbody th a").text_content() == xss_inquiry
    # The payload is text in the row, and nothing ran.
    assert ORGANISATION in page.locator("table.queue tbody td[data-label='Organisation']").text_content()
    page.goto(console_url)
    page.screenshot(path=str(QUEUE_SHOT), full_page=True)
    assert page.evaluate("window.__pwned") is None and page.title() != "pwned"
    assert watch.csp_violations() == [] and watch.errors == []


def test_open_the_inquiry_read_the_transcript_change_status_and_add_a_note(staff, console_url, xss_inquiry):
    page, watch = staff
    page.goto(console_url)
    page.get_by_role("link", name=xss_inquiry).click()
    page.wait_for_url(re.compile(re.escape(xss_inquiry) + "$"))
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).text_content().startswith(xss_inquiry)

    # Every payload is shown as the visitor typed it, as text.
    details = page.locator("dl.fields")
    assert details.locator("dt:has-text('Organisation') + dd").first.text_content() == ORGANISATION
    assert details.locator("dt:has-text('Contact name') + dd").text_content() == CONTACT
    assert MESSAGE in details.locator("dt:has-text('Message') + dd").text_content()
    assert main.locator("script").count() == 0 and main.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None and page.title() != "pwned"

    # The transcript from the tracker store: what the visitor and the assistant said, with times.
    transcript = page.locator("ol.transcript")
    visitor = transcript.locator("li.visitor p.text").all_text_contents()
    assistant = transcript.locator("li.assistant p.text").all_text_contents()
    assert visitor[0] == "we want to set up a sister city" and ORGANISATION in visitor and CONTACT in visitor
    assert len(assistant) >= len(visitor) - 1 and any(xss_inquiry in text for text in assistant)
    assert transcript.locator("li.visitor time").first.text_content().strip()

    # Status: New -> In review.
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url(re.compile(r"msg=status"))
    assert page.get_by_role("status").text_content() == "The status was changed."
    assert page.locator("h1 .badge").text_content() == "In review"
    assert page.get_by_role("button", name="Mark as contacted").is_visible()

    # Assign to myself, then a note with markup in it: kept as text.
    page.get_by_label("Assign to").select_option(label="Aiko Sato (me)")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_url(re.compile(r"msg=assigned"))
    note = f"Called Ms Tanaka; sending the Vietnam list. {IMG}"
    page.get_by_label("Add a note").fill(note)
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(re.compile(r"msg=note"))
    assert page.locator("ul.notes p.text").last.text_content() == note
    history = page.locator("ol.history").text_content()
    assert "Status New → In review" in history and "Assigned to Aiko Sato" in history and "Added a note" in history
    assert main.locator("img").count() == 0 and page.evaluate("window.__pwned") is None
    page.screenshot(path=str(INQUIRY_SHOT), full_page=True)
    assert watch.csp_violations() == [] and watch.errors == []
    origin = console_url.split("/staff/")[0]
    assert all(url.startswith(origin) for url in watch.requests), watch.requests  # nothing from elsewhere


WIDE_ELEMENTS = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 6)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_works_at_phone_width(browser, staff, console_url, xss_inquiry):
    page, _ = staff
    phone = page.context.browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    try:
        small = phone.new_page()
        for path in ("", f"inquiries/{xss_inquiry}", "kb/affiliations"):
            small.goto(console_url + path)
            overflow = small.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow, small.evaluate(WIDE_ELEMENTS))
        small.goto(console_url)
        first = small.locator("table.queue tbody tr").first
        assert first.locator("td[data-label='Status']").is_visible()
    finally:
        phone.close()


def test_sign_out(staff, console_url):
    page, _ = staff
    page.goto(console_url)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"login\?msg=signed-out"))
    assert page.get_by_role("status").text_content() == "You are signed out."
    page.goto(console_url)
    assert "/login" in page.url


def test_the_servers_log_has_no_search_terms_or_personal_data(web_settings, xss_inquiry):
    """uvicorn's access log of the running web app: paths only (the console hides query strings)."""
    log = (web_settings.log_dir / "web-app.log").read_text()
    assert f"/staff/inquiries/{xss_inquiry}" in log
    for personal in ("sakura", "tanaka", "q=", "kind=escalation", EMAIL, PASSWORD):
        assert personal not in log.lower(), personal
