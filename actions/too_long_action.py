"""`action_message_too_long`: the polite answer to a message the channel refused for its length."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import load_settings


class ActionMessageTooLong(Action):
    def name(self) -> Text:
        return "action_message_too_long"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_message_too_long", max_chars=load_settings().max_message_chars)
        return []
