"""action_answer (and the fallback action, which answers too) when the knowledge base cannot give
the answer: the database server is away, or a record the answer needs is missing. The visitor gets
a plain reply that claims nothing and offers staff; nothing of a half-made answer is said or
remembered; a server back within ANSWER_RETRY_SECONDS costs no answer."""
import asyncio
import socket
import sqlite3
import time

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, text
from sqlalchemy.exc import OperationalError

from actions import answer_guard, knowledge_access
from actions.answer_action import ActionAnswer
from actions.answer_guard import answer_or_apologise
from actions.required_records import RecordMissing, RequiredRecords, at_least_one
from actions.suggest_action import ActionSuggestIntents
from knowledge import models as m

STAFF_BUTTON = {"title": "Pass my question to CLAIR staff", "payload": "/human_handoff"}


def _closed_port() -> int:
    with socket.socket() as probe:  # bound and closed again: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(database_url, monkeypatch):
    """DATABASE_URL (after the test copy set it) names a PostgreSQL server that refuses connections;
    the retry window is short."""
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{_closed_port()}/clair")
    monkeypatch.setattr(answer_guard, "ANSWER_RETRY_SECONDS", 0.5)
    knowledge_access.knowledge_base.cache_clear()
    yield
    knowledge_access.knowledge_base.cache_clear()


def _server_away() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_with_the_database_down_the_visitor_is_told_and_offered_staff(database_down, run_action, domain, render):
    started = time.monotonic()
    messages, events = run_action(ActionAnswer(), text="Which sister cities does Fukuoka have?", intent="sister_cities")
    assert [message["response"] for message in messages] == ["utter_answer_unavailable"]
    assert events == []  # nothing remembered as answered
    assert time.monotonic() - started < 5  # waited about the window, no more
    said = render(messages[0])
    assert "haven't answered" in said and "ask again" in said
    assert domain["responses"]["utter_answer_unavailable"][0]["buttons"] == [STAFF_BUTTON]


def test_the_fallback_action_apologises_the_same_way(database_down, run_action):
    messages, events = run_action(ActionSuggestIntents(), text="what about fukuoka?", intent="nlu_fallback",
                                  intent_ranking=[{"name": "nlu_fallback", "confidence": 0.4}])
    assert [message["response"] for message in messages] == ["utter_answer_unavailable"]
    assert events == []


def test_a_server_back_within_the_window_costs_no_answer():
    tries = []

    def answer(dispatcher):
        tries.append(1)
        dispatcher.utter_message(response="utter_half_said")
        if len(tries) < 3:
            raise _server_away()
        dispatcher.utter_message(response="utter_answer")
        return [{"event": "slot", "name": "topic", "value": "sister_cities"}]

    dispatcher = CollectingDispatcher()
    events = asyncio.run(answer_or_apologise(dispatcher, answer))
    assert len(tries) == 3
    assert [message["response"] for message in dispatcher.messages] == ["utter_half_said", "utter_answer"]
    assert events == [{"event": "slot", "name": "topic", "value": "sister_cities"}]


def test_a_database_error_that_is_no_outage_is_not_waited_for():
    tries = []

    def answer(dispatcher):
        tries.append(1)
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: kb_text"))

    dispatcher = CollectingDispatcher()
    assert asyncio.run(answer_or_apologise(dispatcher, answer)) == []
    assert len(tries) == 1
    assert [message["response"] for message in dispatcher.messages] == ["utter_answer_unavailable"]


def test_an_empty_knowledge_base_file_gets_the_unavailable_reply(answer, engine):
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE kb_text"))
    messages, events = answer("How does CLAIR Singapore support sister city affiliations?", "support_services")
    assert [message["response"] for message in messages] == ["utter_answer_unavailable"] and events == []


def test_a_missing_record_is_said_plainly_and_nothing_half_said():
    def answer(dispatcher):
        dispatcher.utter_message(response="utter_jet_supporter_yes")
        raise RecordMissing("jet_programme")

    dispatcher = CollectingDispatcher()
    assert asyncio.run(answer_or_apologise(dispatcher, answer)) == []
    assert [message["response"] for message in dispatcher.messages] == ["utter_answer_record_missing"]


@pytest.mark.parametrize("question, intent", [
    ("How do I contact CLAIR Singapore?", "contact_office"),
    ("How does CLAIR Singapore support sister city affiliations?", "support_services"),
    ("What is the phone number of the office?", "contact_office"),  # a page gap, then the contact line
])
def test_without_the_support_texts_the_answer_says_so(answer, engine, domain, render, question, intent):
    with engine.begin() as connection:
        connection.execute(delete(m.SourceText).where(m.SourceText.subject == "sister_city_support"))
    messages, events = answer(question, intent)
    assert [message["response"] for message in messages] == ["utter_answer_record_missing"]
    assert events == []
    assert "haven't answered" in render(messages[0])
    assert domain["responses"]["utter_answer_record_missing"][0]["buttons"] == [STAFF_BUTTON]


@pytest.mark.parametrize("subject, question, intent", [
    ("jet", "What is the JET Programme?", "jet_about"),
    ("jetaa", "What is JETAA?", "jetaa"),
    ("seminar", "What is the cooperation seminar?", "seminar_about"),
])
def test_a_missing_section_gets_the_missing_reply(answer, engine, subject, question, intent):
    with engine.begin() as connection:
        connection.execute(delete(m.SourceText).where(m.SourceText.subject == subject))
    messages, _ = answer(question, intent)
    assert [message["response"] for message in messages] == ["utter_answer_record_missing"]


def test_a_missing_section_does_not_stop_answers_that_do_not_need_it(answer, engine, ent):
    with engine.begin() as connection:  # every message is checked for the bodies the page names
        connection.execute(delete(m.SourceText).where(m.SourceText.subject.in_(["jetaa", "regional_exchange"])))
    messages, _ = answer("Which sister cities does Fukuoka have?", "sister_cities", [ent("prefecture", "Fukuoka")])
    assert [message["response"] for message in messages] == ["utter_affiliations_of_prefecture"]


def test_required_records_give_the_record_and_stop_at_a_missing_one(kb, engine):
    required = RequiredRecords(kb)
    assert required.jetaa() == kb.jetaa() and required.seminar() == kb.seminar()
    with engine.begin() as connection:
        connection.execute(delete(m.SourceText).where(m.SourceText.subject == "jetaa"))
    assert kb.jetaa() is None  # the facade says it is not there; a check for every message reads that
    with pytest.raises(RecordMissing, match="jetaa"):
        required.jetaa()
    assert required.seminar() == kb.seminar()


@pytest.mark.parametrize("table, question, intent", [
    (m.JetPosition, "Which positions are there in JET?", "jet_positions"),
    (m.JetPosition, "What does a JET participant do?", "jet_position_detail"),  # would ask "Which position: ?"
    (m.SupportingBody, "Which ministries support the JET Programme?", "jet_supporters"),  # "0 bodies"
    (m.JetParticipation, "How many youths joined JET?", "jet_participation"),  # said nothing at all
])
def test_an_empty_table_is_no_answer_that_there_are_none(answer, engine, table, question, intent):
    with engine.begin() as connection:
        connection.execute(delete(table))
    messages, _ = answer(question, intent)
    assert [message["response"] for message in messages] == ["utter_answer_record_missing"]


def test_an_empty_text_table_gets_the_missing_reply(answer, engine):
    with engine.begin() as connection:
        connection.execute(delete(m.SourceText))
    messages, _ = answer("How do I contact CLAIR Singapore?", "contact_office")
    assert [message["response"] for message in messages] == ["utter_answer_record_missing"]


def test_at_least_one_passes_a_list_through_and_stops_at_an_empty_one():
    assert at_least_one([1], "figures") == [1]
    with pytest.raises(RecordMissing, match="figures"):
        at_least_one([], "figures")
