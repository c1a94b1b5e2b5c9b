"""`action_suggest_intents`: when NLU is unsure or calls a message off-topic, first see whether the
message's own words answer it (a question the page does not cover, a computed question, a bare
known name); otherwise offer the likeliest topics as buttons (off-topic: say what the page covers)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_action import answer_named_thing, answered_by_understanding, turn_for, typed_text
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
        turn = turn_for(tracker, dispatcher)
        text = typed_text(tracker)
        if answered_by_understanding(turn, text, message.get("entities")) or answer_named_thing(turn, text):
            return turn.events()
        if turn.intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
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
