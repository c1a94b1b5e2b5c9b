"""Fixtures for the staff console: a database holding the real knowledge base (one copy per test),
a tracker store with a conversation, a copy of the data files, the app, accounts and signed-in
clients. The browser tests also use a real assistant (tests/servers.py)."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from bot.inquiries.service import Contact, InquiryDraft, escalate, submit_inquiry
from bot.settings import load_settings
from bot.staff.accounts import create_account
from bot.migrations import upgrade
from bot.web.staff import create_staff_app
from knowledge import KnowledgeBase
from tests import servers
from tests.staff.client import make_client

# The real assistant's fixtures (tests/servers.py), this folder's own instances: its own database and ports.
e2e_settings, trained_model, kb = servers.e2e_settings, servers.trained_model, servers.kb
web_settings, web_assistant = servers.web_settings, servers.web_assistant

PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "another long passphrase"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def kb_template(tmp_path_factory, loaded_kb_file):
    """The loaded knowledge base (tests/conftest.py) with the inquiry, staff and feedback tables."""
    path = tmp_path_factory.mktemp("staff-kb") / "template.sqlite3"
    shutil.copyfile(loaded_kb_file, path)
    engine = create_engine(f"sqlite:///{path}", future=True)
    upgrade(engine)  # adopts the knowledge base's tables and migrates the rest, as the app does
    engine.dispose()
    return path


@pytest.fixture
def settings(tmp_path, kb_template, data_copy):
    shutil.copyfile(kb_template, tmp_path / "clair.db")
    return replace(load_settings(), var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'clair.db'}",
                   tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}", knowledge_dir=data_copy,
                   staff_secret_key="test-secret", staff_login_max_failures=5,
                   staff_login_max_failures_per_address=20, staff_login_window_minutes=15)


@pytest.fixture
def engine(settings):
    eng = create_engine(settings.database_url, future=True)
    yield eng
    eng.dispose()


@pytest.fixture
def facade(engine):
    return KnowledgeBase(engine)


@pytest.fixture
def app(settings, engine):
    return create_staff_app(settings, engine)


@pytest.fixture
def aiko(engine):
    return create_account(engine, "aiko@clair.example", PASSWORD, "Aiko Sato")


@pytest.fixture
def ben(engine):
    return create_account(engine, "ben@clair.example", OTHER_PASSWORD, "Ben Tan")


@pytest.fixture
def anonymous(app):
    with make_client(app) as client:
        yield client


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, email="aiko@clair.example", password=PASSWORD, next_path=""):
    page = client.get("/login", follow_redirects=False)
    return client.post("/login", data={"csrf_token": csrf_of(page.text), "email": email, "password": password,
                                       "next": next_path}, follow_redirects=False)


@pytest.fixture
def client(app, aiko):
    """Signed in as Aiko; ``client.csrf`` is the session's CSRF token."""
    with make_client(app) as c:
        answer = sign_in(c)
        assert answer.status_code == 303, answer.text
        c.csrf = csrf_of(c.get("/", follow_redirects=False).text)
        yield c


@pytest.fixture
def draft():
    def make(**changes) -> InquiryDraft:
        values = dict(organisation="Sakura City", organisation_country="Japan", contact_name="Hanako Tanaka",
                      email="tanaka@city.example.jp", partner_preference="a coastal city in Vietnam",
                      partner_country="Vietnam", purpose="education and tourism",
                      message="We would like to start with school exchanges.", conversation_id="visitor-1",
                      channel="rest", phone="+81 3 1234 5678")
        values.update(changes)
        return InquiryDraft(**values)
    return make


@pytest.fixture
def submit(engine, draft):
    """submit(now=..., **draft fields) -> reference of a new sister-city inquiry."""
    counter = iter(range(10_000))

    def make(now=None, **changes) -> str:
        return submit_inquiry(engine, draft(**changes), f"key-{next(counter)}", now=now).reference
    return make


@pytest.fixture
def escalation(engine):
    def make(conversation_id="visitor-2", message="Which sister cities does Fukuoka have?", now=None) -> str:
        return escalate(engine, conversation_id, "rest", message, Contact(email="visitor@example.org"),
                        submission_key=f"esc-{conversation_id}-{message}", now=now).reference
    return make


@pytest.fixture
def tracker(settings):
    """add(conversation_id, [(type, text), ...]) writes events as Rasa's SQL tracker store does."""
    eng = create_engine(settings.tracker_store_url, future=True)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) "
                          "NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                          "action_name VARCHAR(255), data TEXT)"))
    start = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)

    def add(conversation_id, events):
        with eng.begin() as conn:
            for i, (kind, message) in enumerate(events):
                at = (start + timedelta(seconds=10 * i)).timestamp()
                data = {"event": kind, "timestamp": at}
                if message is not None:
                    data["text"] = message
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, :ts, :d)"),
                             {"s": conversation_id, "t": kind, "ts": at, "d": json.dumps(data)})
    yield add
    eng.dispose()
