"""The real assistant (trained model, policies, forms, action server) gives the same replies, turn
by turn, whether its conversations are read whole (Rasa's SQLTrackerStore) or windowed (ours),
through knowledge questions, follow-ups, a form with a question in the middle, and escalation."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import replace

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig

from bot.services import Supervisor, assistant_services
from bot.settings import PROJECT_ROOT
from bot.rasa_integration.sqlite_tracker_store import SQLiteTrackerStore
from tests import servers
from tests.servers import free_port

pytestmark = pytest.mark.e2e

# The real assistant's fixtures (tests/servers.py), this module's own instances.
e2e_settings, trained_model = servers.e2e_settings, servers.trained_model

REFERENCE = re.compile(r"SC-\d{4}-\d{6}-\d")  # random per inquiry: masked before comparing

SCRIPT = [
    "hello",
    "Which sister cities does Fukuoka have?",
    "and in Vietnam?",
    "what is the regional exchange promotion programme",
    "which countries did the 2015 mission visit",
    "and in 2012?",
    "what does an ALT do",
    "how many sister cities are there in Thailand",
    "we want a sister city in Vietnam",  # the form starts
    "Sakura City",
    "What does a CIR do?",  # a question in the middle: answered, then the form asks again
    "Japan",
    "Hanako Tanaka",
    "what is JETAA",
    "tanaka@city.example.jp",
    "skip",
    "cancel",  # the form ends; nothing stored
    "tell me about the JET programme",
    "Which sister cities does Osaka have?",
    "and Kyoto?",
    "who organises the seminar",
    "I want to talk to a person",  # escalation: quotes the recent questions
    "hanako@city.example.jp",
    "thanks, bye",
]


@pytest.fixture(scope="module")
def action_server(e2e_settings, trained_model, tmp_path_factory):
    settings = replace(e2e_settings, var_dir=tmp_path_factory.mktemp("window-var"), action_port=free_port())
    services = [s for s in assistant_services(settings, trained_model) if s.name == "action server"]
    with Supervisor(services, settings):
        yield settings.action_endpoint_url


@pytest.fixture(scope="module")
def agent(trained_model, action_server):
    return Agent.load(str(trained_model), action_endpoint=EndpointConfig(action_server))


def replies(agent, store, sender):
    agent.tracker_store = agent.processor.tracker_store = store
    said = []
    for text in SCRIPT:
        output = CollectingOutputChannel()
        asyncio.run(agent.handle_message(UserMessage(text, output, sender_id=sender)))
        said.append([REFERENCE.sub("SC-…", json.dumps({k: v for k, v in message.items() if k != "recipient_id"},
                                                      sort_keys=True)) for message in output.messages])
    return said


def escalation_messages(e2e_settings, sender):
    """What the escalation of conversation `sender` quotes to staff (its recent questions)."""
    listed = subprocess.run([sys.executable, "-m", "bot", "inquiries", "list", "--json"], cwd=PROJECT_ROOT,
                            env={**os.environ, "DATABASE_URL": e2e_settings.database_url},
                            capture_output=True, text=True, timeout=120, check=True)
    return [item.get("message") for item in json.loads(listed.stdout) if sender in json.dumps(item)]


def test_windowed_conversations_get_the_same_replies(agent, e2e_settings, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    whole = SQLTrackerStore(domain=agent.domain, host=url)
    windowed = SQLiteTrackerStore(domain=agent.domain, host=url)
    windowed.window_turns = 6  # windowed from message 7 on; the form outlasts the window
    run = uuid.uuid4().hex[:8]
    expected = replies(agent, whole, f"whole-{run}")
    got = replies(agent, windowed, f"windowed-{run}")
    for number, (text, want, have) in enumerate(zip(SCRIPT, expected, got), start=1):
        assert have == want, f"message {number} ({text!r})"
    assert all(turn for turn in got)  # every message was answered
    # and the window was in use: Rasa would read the whole conversation
    assert len(asyncio.run(windowed.retrieve(f"windowed-{run}")).events) < len(
        asyncio.run(whole.retrieve(f"windowed-{run}")).events)
    quoted = escalation_messages(e2e_settings, f"windowed-{run}")
    assert quoted and quoted == escalation_messages(e2e_settings, f"whole-{run}")
