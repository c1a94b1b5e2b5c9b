"""The socket.io channel the chat page uses: Rasa loads it from credentials.yml, with session
persistence, and it applies the same length cap as the REST channel before NLU."""
import asyncio
import threading

import pytest
from rasa.core.run import create_http_input_channels

from bot.rasa_integration.channels import TOO_LONG_INTENT, CappedSocketIOInput
from bot.settings import PROJECT_ROOT


def deliver(channel, data):
    """Sends `data` as the widget's user_uttered event; returns the texts passed on to Rasa."""
    received = []

    async def on_new_message(message):
        received.append(message.text)

    channel.blueprint(on_new_message)
    handler = channel.sio.handlers["/"][channel.user_message_evt]
    # A thread of its own: Playwright's sync API (the browser tests) keeps an event loop running here.
    thread = threading.Thread(target=asyncio.run, args=(handler("socket-1", data),))
    thread.start()
    thread.join()
    return received


@pytest.fixture
def channel(monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "20")
    return CappedSocketIOInput.from_credentials({"session_persistence": True})


def test_credentials_enable_the_capped_socketio_channel_with_session_persistence():
    channels = create_http_input_channels(None, str(PROJECT_ROOT / "credentials.yml"))
    socket = [c for c in channels if isinstance(c, CappedSocketIOInput)]
    assert len(socket) == 1 and socket[0].session_persistence
    assert (socket[0].socketio_path, socket[0].user_message_evt, socket[0].bot_message_evt) == (
        "/socket.io", "user_uttered", "bot_uttered")
    assert socket[0].name() == "socketio"


def test_a_message_within_the_cap_reaches_rasa_unchanged(channel):
    assert deliver(channel, {"message": "What does an ALT do?", "session_id": "s1"}) == ["What does an ALT do?"]


def test_a_message_over_the_cap_becomes_the_too_long_intent(channel):
    assert deliver(channel, {"message": "x" * 21, "session_id": "s1"}) == [TOO_LONG_INTENT]
    assert deliver(channel, {"message": "y" * 100_000, "session_id": "s1"}) == [TOO_LONG_INTENT]


def test_a_message_without_the_session_id_is_ignored_with_persistence_on(channel):
    with pytest.warns(UserWarning, match="session_id"):
        assert deliver(channel, {"message": "hello"}) == []


def test_a_message_that_is_not_text_is_not_passed_on(channel):
    assert deliver(channel, {"message": {}, "session_id": "s1"}) == []
