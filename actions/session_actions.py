"""A visitor who types `/restart` or `/session_start` gets a reply, not silence (Rasa's own
actions for these say nothing). The conversation starts afresh either way."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, Restarted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

SESSION_START_TYPED = "/session_start"


class ActionRestart(Action):
    def name(self) -> Text:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_restarted")
        return [Restarted()]


class ActionSessionStart(Action):
    """Starts a session as Rasa's default does (slots are not carried over: domain.yml's
    session_config). Greets only when the visitor typed it: a session that starts by itself
    before the visitor's first message must not put a greeting before the answer."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if ((tracker.latest_message or {}).get("text") or "").strip() == SESSION_START_TYPED:
            dispatcher.utter_message(response="utter_greet")
        return [SessionStarted(), ActionExecuted("action_listen")]
