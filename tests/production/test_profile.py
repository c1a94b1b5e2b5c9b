"""The production profile end to end with one Rasa server and one action server behind nginx: its
own PostgreSQL databases made by `prepare`, the knowledge base there, conversations in Rasa's SQL
tracker store on PostgreSQL, and conversation locks in Redis under the configured prefix."""
import threading
import uuid

import pytest
from sqlalchemy import text

from knowledge import KnowledgeBase
from bot.responses import values
from tests.production.conversations import events, problems

pytestmark = pytest.mark.production

CLUSTER = {"rasa_servers": 1, "action_servers": 1}


def test_prepare_created_both_postgresql_databases(cluster):
    with cluster.app_engine.connect() as connection:
        names = set(connection.scalars(text("SELECT datname FROM pg_database")))
    assert {cluster.name, f"{cluster.name}_tracker"} <= names
    assert cluster.app_engine.dialect.name == cluster.tracker_engine.dialect.name == "postgresql"


def test_a_knowledge_question_is_answered_from_postgresql_and_kept_in_its_tracker_store(cluster):
    kb = KnowledgeBase(cluster.app_engine)
    expected = kb.affiliations_of_prefecture("Fukuoka")
    assert expected, "the knowledge base was loaded into PostgreSQL"

    sender = f"profile-{uuid.uuid4().hex[:8]}"
    question = "Which sister cities does Fukuoka have?"
    prefecture, count, lines, *_ = values(cluster.chat.say(sender, question), "utter_affiliations_of_prefecture")
    assert (prefecture, int(count.split()[0])) == ("Fukuoka", len(expected))
    assert all(affiliation.counterpart in lines for affiliation in expected)

    conversation = events(cluster.tracker_engine, sender)
    assert problems(conversation, [question]) == []
    assert any(e.type == "bot" and "Fukuoka" in e.text for e in conversation)


def test_the_conversation_lock_lives_in_redis_under_the_prefix(cluster):
    sender = f"locked-{uuid.uuid4().hex[:8]}"
    wanted_key = f"{cluster.lock_store_prefix}:lock:{sender}".encode()
    seen = []
    with cluster.redis.monitor() as monitor:
        # MONITOR reports every command to Redis; the one we send after the message marks the end.
        end = f"end-of-{sender}"

        def send():
            try:
                cluster.chat.say(sender, "What does an ALT do?")
            finally:
                cluster.redis.echo(end)

        sender_thread = threading.Thread(target=send)
        sender_thread.start()
        while True:
            command = monitor.next_command()["command"]
            if end in command:
                break
            if sender in command:
                seen.append(command)
        sender_thread.join()
    keys = {word.encode() for command in seen for word in command.split() if sender in word}
    assert keys == {wanted_key}, seen
    assert cluster.redis.exists(wanted_key) == 0, "the lock is deleted when the message is done"
