"""Fixtures for the custom actions: a real knowledge base in tmp_path, and a way to run an
action the way the rasa-sdk action server does (Tracker + CollectingDispatcher + domain).

Helpers are fixtures (not importable functions) because pytest runs with
``--import-mode=importlib``, where test modules cannot import from conftest.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine

from actions import knowledge_access
from actions.answer_action import ActionAnswer
from knowledge import KnowledgeBase

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLOT_NAMES = ("topic", "context_prefecture", "context_place", "context_country", "context_year",
              "context_position")


@pytest.fixture
def database_url(kb_file, monkeypatch) -> str:
    """A fresh copy of the real KB (tests/conftest.py), named by DATABASE_URL; the action's cached
    facade is cleared before and after, so every test's action reads this very database."""
    url = f"sqlite:///{kb_file}"
    monkeypatch.setenv("DATABASE_URL", url)
    knowledge_access.knowledge_base.cache_clear()
    yield url
    cached = knowledge_access.knowledge_base.cache_info().currsize
    if cached:
        knowledge_access.knowledge_base()._engine.dispose()
    knowledge_access.knowledge_base.cache_clear()


@pytest.fixture
def engine(database_url):
    """An engine of our own on the test's database (for expected values and direct writes)."""
    eng = create_engine(database_url, future=True)
    yield eng
    eng.dispose()


@pytest.fixture
def kb(engine) -> KnowledgeBase:
    """An independent facade over the same database: expected values come from here."""
    return KnowledgeBase(engine)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    with open(PROJECT_ROOT / "domain.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def make_tracker(text: str = "", intent: Optional[str] = None, entities: Optional[List[Dict[str, Any]]] = None,
                 slots: Optional[Dict[str, Any]] = None, intent_ranking: Optional[List[Dict[str, Any]]] = None,
                 confidence: float = 0.95, sender_id: str = "test-user") -> Tracker:
    all_slots = {name: None for name in SLOT_NAMES}
    all_slots.update(slots or {})
    if intent_ranking is None:
        intent_ranking = [{"name": intent, "confidence": confidence}] if intent else []
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": list(entities or []),
        "intent_ranking": intent_ranking,
    }
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def run_action(domain, database_url):
    """run_action(action, text=..., intent=..., entities=..., slots=..., intent_ranking=...)
    -> (dispatcher.messages, events), like one call of the action server's webhook.
    Always on a test copy of the KB: any action may consult it (fallbacks try understanding first)."""

    def run(action, text: str = "", intent: Optional[str] = None, entities=None, slots=None,
            intent_ranking=None, domain_override=None) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
        tracker = make_tracker(text, intent, entities, slots, intent_ranking)
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain_override or domain))
        return dispatcher.messages, events

    return run


@pytest.fixture
def answer(database_url, run_action):
    """answer(text, intent, entities=None, slots=None) runs action_answer against the test KB."""

    def run(text: str, intent: str, entities=None, slots=None):
        return run_action(ActionAnswer(), text=text, intent=intent, entities=entities, slots=slots)

    return run


def entity(kind: str, value: Any, text: Optional[str] = None) -> Dict[str, Any]:
    """An NLU entity as Rasa sends it in latest_message."""
    return {"entity": kind, "value": value, "start": 0, "end": len(str(text if text is not None else value)),
            "extractor": "DIETClassifier", "confidence_entity": 0.99}


@pytest.fixture
def ent():
    return entity


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The slot values an action's events set: {slot name: value}."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def slots_of():
    return slot_events


class _Strict(dict):
    def __missing__(self, key):
        raise KeyError(f"response placeholder {{{key}}} was not filled in")


def render_message(message: Dict[str, Any], domain: Dict[str, Any]) -> str:
    """The text a user would see: the domain response named by the message, with the values
    the action passed in. Fails if the response does not exist or a placeholder is unfilled."""
    name = message.get("response")
    assert name, f"the action wrote text of its own instead of naming a response: {message}"
    variants = domain["responses"].get(name)
    assert variants, f"{name} is not a response in domain.yml"
    values = {k: v for k, v in message.items() if k not in ("response", "template")}
    return variants[0]["text"].format_map(_Strict(values))


@pytest.fixture
def render(domain):
    return lambda message: render_message(message, domain)


# --- the sister-city inquiry and "talk to a person" (tests/actions/test_inquiry_*.py) -----------

def _domain_slot_values(domain: Dict[str, Any]) -> Dict[str, Any]:
    """Every slot of the domain at its initial value, plus requested_slot (as Rasa sends them)."""
    values = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    values["requested_slot"] = None
    return values


def _user_event(text: str, intent: Optional[str], entities=None, timestamp: float = 1_700_000_000.0,
                input_channel: str = "rest", confidence: float = 0.95) -> Dict[str, Any]:
    intent_dict = {"name": intent, "confidence": confidence} if intent else {"name": None, "confidence": 0.0}
    return {"event": "user", "timestamp": timestamp, "text": text, "input_channel": input_channel,
            "parse_data": {"text": text, "intent": intent_dict, "entities": list(entities or []),
                           "intent_ranking": [intent_dict] if intent else []}}


def _action_event(name: str, timestamp: float) -> Dict[str, Any]:
    return {"event": "action", "timestamp": timestamp, "name": name, "policy": None, "confidence": None}


def _slot_event(name: str, value: Any, timestamp: float) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": timestamp, "name": name, "value": value}


@pytest.fixture
def user_event():
    """user_event(text, intent, entities=None, timestamp=..., input_channel="rest"): a UserUttered
    event as the rasa-sdk tracker receives it."""
    return _user_event


@pytest.fixture
def form_tracker(domain):
    """form_tracker(text, intent, requested_slot, slots=..., entities=..., candidates=..., form=...,
    active=True, history=...) -> the Tracker Rasa's FormAction sends to validate_<form>.

    Built like rasa.core.actions.forms.FormAction._temporary_tracker: the conversation so far, the
    user's message after action_listen, SlotSet(requested_slot), ActionExecuted(<form>), then the
    slot candidates (what tracker.slots_to_validate() returns). ``active=False`` is the activation
    turn (no active loop yet, so Rasa sends requested_slot None)."""

    def build(text: str = "", intent: Optional[str] = None, requested_slot: Optional[str] = None,
              slots: Optional[Dict[str, Any]] = None, entities=None, candidates: Optional[Dict[str, Any]] = None,
              form: str = "affiliation_form", active: bool = True, history: Optional[List[Dict[str, Any]]] = None,
              sender_id: str = "inquiry-visitor", confidence: float = 0.95) -> Tracker:
        now = 1_700_000_100.0
        values = _domain_slot_values(domain)
        values.update(slots or {})
        values.update(candidates or {})
        values["requested_slot"] = requested_slot if active else None
        user = _user_event(text, intent, entities, timestamp=now, confidence=confidence)
        events = list(history or []) + [_action_event("action_listen", now - 1), user,
                                         _slot_event("requested_slot", values["requested_slot"], now + 1),
                                         _action_event(form, now + 2)]
        events += [_slot_event(name, value, now + 3) for name, value in (candidates or {}).items()]
        active_loop = {"name": form, "validate": True, "rejected": False,
                       "trigger_message": user["parse_data"]} if active else {}
        return Tracker(sender_id=sender_id, slots=values, latest_message=user["parse_data"], events=events,
                       paused=False, followup_action=None, active_loop=active_loop, latest_action_name=form)

    return build


@pytest.fixture
def run_tracker(domain):
    """run_tracker(action, tracker) -> (dispatcher.messages, events): one webhook call."""

    def run(action, tracker: Tracker):
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain))
        return dispatcher.messages, events

    return run


@pytest.fixture
def conversation_tracker(domain):
    """conversation_tracker(slots=..., events=..., sender_id=..., text=..., intent=...) -> a Tracker
    for a plain action (not a form validation) with every domain slot and the given history."""

    def build(slots: Optional[Dict[str, Any]] = None, events: Optional[List[Dict[str, Any]]] = None,
              sender_id: str = "inquiry-visitor", text: str = "", intent: Optional[str] = None) -> Tracker:
        values = _domain_slot_values(domain)
        values.update(slots or {})
        history = list(events or [])
        users = [e for e in history if e.get("event") == "user"]
        latest = users[-1]["parse_data"] if users else _user_event(text, intent)["parse_data"]
        return Tracker(sender_id=sender_id, slots=values, latest_message=latest, events=history,
                       paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")

    return build


def _clear_inquiry_engine() -> None:
    from actions import inquiry_actions
    if inquiry_actions.inquiry_engine.cache_info().currsize:
        inquiry_actions.inquiry_engine().dispose()
    inquiry_actions.inquiry_engine.cache_clear()


@pytest.fixture
def inquiry_database(database_url):
    """The test's knowledge base with the inquiry tables (one shared database, as in production);
    the actions' cached inquiry engine is cleared before and after."""
    from bot.inquiries.models import create_schema
    eng = create_engine(database_url, future=True)
    create_schema(eng)
    eng.dispose()
    _clear_inquiry_engine()
    yield database_url
    _clear_inquiry_engine()


@pytest.fixture
def point_inquiries_at(monkeypatch):
    """point_inquiries_at(url): from now on the inquiry actions write to ``url`` (DATABASE_URL
    changed and the cached engine cleared; the knowledge facade, already cached, is unaffected)."""

    def point(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        _clear_inquiry_engine()

    yield point
    _clear_inquiry_engine()


@pytest.fixture
def chat(answer, slots_of, render):
    """A conversation through action_answer, with the slots carried from turn to turn as the tracker would."""
    class Chat:
        def __init__(self):
            self.slots = {}

        def say(self, text, intent):
            messages, events = answer(text, intent, None, dict(self.slots))
            self.slots.update(slots_of(events))
            return [m["response"] for m in messages], "\n".join(render(m) for m in messages)

    return Chat()
