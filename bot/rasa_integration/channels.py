"""Rasa input channels (REST and socket.io) that cap a message's length before it reaches NLU.

One 100,000-character message costs Rasa seconds and gigabytes; ours is swapped for the
`message_too_long` intent, which bypasses NLU and gets a polite answer from the domain.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.request import Request

from bot.rasa_integration import rasa_patches
from bot.settings import load_settings

rasa_patches.apply()  # this module is what every Rasa server of ours imports first (credentials.yml)

TOO_LONG_INTENT = "/message_too_long"


def capped(text: object, limit: int) -> Optional[Text]:
    if not isinstance(text, str):
        return None
    return TOO_LONG_INTENT if len(text) > limit else text


class CappedRestInput(RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) with the length cap."""

    def __init__(self) -> None:
        self.max_chars = load_settings().max_message_chars

    def _extract_message(self, req: Request) -> Optional[Text]:
        return capped(super()._extract_message(req), self.max_chars)


class CappedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (the chat page's widget; same events and path, /socket.io) with the
    length cap. Configured in credentials.yml like Rasa's `socketio` channel."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_chars = load_settings().max_message_chars

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def on_capped_message(message: UserMessage) -> None:
            text = capped(message.text, self.max_chars)
            if text is None:  # not text at all (e.g. a JSON object): nothing for NLU to read
                return
            message.text = text
            await on_new_message(message)

        return super().blueprint(on_capped_message)
