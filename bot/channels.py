"""Rasa input channels that cap a message's length before it reaches NLU.

One 100,000-character message costs Rasa seconds and gigabytes; ours is swapped for the
`message_too_long` intent, which bypasses NLU and gets a polite answer from the domain.
"""
from __future__ import annotations

from typing import Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.settings import load_settings

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
