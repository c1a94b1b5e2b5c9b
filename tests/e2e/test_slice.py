"""The first end-to-end slice through the REST webhook: a real Rasa server, a real action server,
the knowledge base in a database."""
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.e2e


def test_greeting(chat):
    reply = chat.say("greeter", "hello")
    assert "CLAIR Singapore assistant" in reply[0]["text"]
    assert reply[0]["buttons"], "a greeting offers suggestions as buttons"


def test_sister_cities_of_a_prefecture_come_from_the_database(chat, kb):
    answer = chat.text("fukuoka-fan", "Which sister cities does Fukuoka have?")
    expected = kb.affiliations_of_prefecture("Fukuoka")
    assert len(expected) == 4
    assert f"Fukuoka has {len(expected)} sister-city affiliation" in answer
    for affiliation in expected:
        assert affiliation.counterpart in answer
    assert kb.source().as_of in answer


def test_a_name_added_to_the_database_is_answered_without_retraining_or_restart(chat, e2e_settings):
    engine = create_engine(e2e_settings.database_url, future=True)
    with engine.begin() as connection:
        connection.execute(text("UPDATE kb_affiliation SET retired = 1 WHERE id = "
                                "(SELECT a.id FROM kb_affiliation a JOIN kb_prefecture p ON p.id = a.prefecture_id "
                                "WHERE p.name = 'Shizuoka')"))
    try:
        answer = chat.text("editor", "sister cities of Shizuoka")
        assert "Shizuoka has no sister-city affiliation" in answer
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE kb_affiliation SET retired = 0"))
    assert "Dagupan" in chat.text("editor-2", "sister cities of Shizuoka")


def test_an_over_long_message_is_refused_politely_before_nlu(chat, e2e_settings):
    answer = chat.text("long-writer", "sister cities " * 10_000)
    assert "too long" in answer
    assert str(e2e_settings.max_message_chars) in answer


def test_the_http_api_is_off_without_a_token(assistant, e2e_settings):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{e2e_settings.rasa_url}/conversations/greeter/tracker", timeout=10)
    assert refused.value.code in (403, 404, 405)


def _listening_addresses(port: int) -> set:
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                addresses.add(address)
    return addresses


def test_both_servers_listen_on_loopback_only(assistant, e2e_settings):
    for port in (e2e_settings.rasa_port, e2e_settings.action_port):
        addresses = _listening_addresses(port)
        assert addresses == {"0100007F"}, f"port {port} listens on {addresses}"


def test_conversations_are_stored_in_the_sql_tracker_store(chat, e2e_settings):
    chat.say("stored-visitor", "hello")
    engine = create_engine(e2e_settings.tracker_store_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT type_name, data FROM events WHERE sender_id = 'stored-visitor'")).all()
    assert any(row.type_name == "user" and json.loads(row.data)["text"] == "hello" for row in rows)
