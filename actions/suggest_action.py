"""`action_suggest_intents`: when NLU is unsure, offer the likeliest topics as buttons."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import payload

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05


def _label(domain: Dict[Text, Any], intent: str) -> str | None:
    variants = domain.get("responses", {}).get(f"utter_label_{intent}") or []
    return variants[0].get("text") if variants else None


class ActionSuggestIntents(Action):
    def name(self) -> Text:
        return "action_suggest_intents"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        # Carry the names the user typed into the buttons; the answer validates them again.
        entities = {}
        for entity in message.get("entities") or []:
            if isinstance(entity, dict) and isinstance(entity.get("value"), str):
                entities.setdefault(entity.get("entity"), entity["value"])
        buttons = []
        for ranked in message.get("intent_ranking") or []:
            intent, confidence = ranked.get("name"), ranked.get("confidence", 0)
            label = _label(domain, intent)
            if label and confidence >= MIN_CONFIDENCE and len(buttons) < MAX_SUGGESTIONS:
                buttons.append({"title": label, "payload": payload(intent, entities)})
        buttons.append({"title": _label(domain, "human_handoff"), "payload": "/human_handoff"})
        if len(buttons) == 1:
            dispatcher.utter_message(response="utter_default")
        else:
            dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
