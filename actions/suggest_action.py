"""`action_suggest_intents`: when NLU is unsure or calls a message off-topic, first see whether the
message's own words answer it (a question the page does not cover, a computed question, a bare
known name); otherwise offer the likeliest topics as buttons (off-topic: say what the page covers)."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_action import answer_intent, answer_named_thing, answered_by_understanding, turn_for, typed_text
from actions.answer_guard import answer_or_apologise
from actions.bodies import answer_body_details, mentioned_body
from actions.followups import MAX_FOLLOWUP_WORDS, answer_followup
from actions.form_input import looks_like_question
from actions.honesty import SUBJECT_WORDS
from actions.names import YEAR_PATTERN
from actions.question import PROGRAMME, RELATION
from actions.references import NAMED_KINDS, POINTS_BACK
from actions.staff_answers import answered_by_staff
from actions.turn import payload

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05
# NLU's unsure first guess is taken when the message itself names that guess's subject ("hey, what
# exactly is the Regional Exchange Promotion Program?" guessed repp_about).
CONFIRMED_MIN_CONFIDENCE = 0.2
# What the previous answer left for a message that points back ("what country is that in?").
CONTEXT_NAMES = NAMED_KINDS + ("year", "results")
SUBJECT_OF_INTENT = (("repp_", "repp"), ("seminar_", "seminar"), ("jet", "jet"), ("sister_cit", "sister"))
# "tell me about the program": which one is not said, so ask (the page has two).
WHICH_PROGRAMME = re.compile(r"^\W*(?:tell me (?:more )?about|what(?:'s| is)|info(?:rmation)? (?:on|about)|explain)\s+"
                             r"(?:the|this|your)\s+program(?:me)?s?\W*$", re.IGNORECASE)


def _subject(intent: str) -> str | None:
    return next((s for prefix, s in SUBJECT_OF_INTENT if intent.startswith(prefix)), None)


def confirmed_guess(message: Dict[Text, Any], text: str, topic: str | None = None) -> str | None:
    """NLU's unsure first guess, when the message names its subject or the conversation is on it
    ("which ministries support it?" after JET)."""
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if not ranking or not text or ranking[0].get("confidence", 0) < CONFIRMED_MIN_CONFIDENCE:
        return None
    guess = str(ranking[0].get("name") or "")
    subject = _subject(guess)
    if subject and (SUBJECT_WORDS[subject].search(text) or (topic and _subject(topic) == subject)):
        return guess
    if subject == "repp" and (PROGRAMME.search(text) or YEAR_PATTERN.search(text)) and not SUBJECT_WORDS["jet"].search(text):
        # "Did the 2011 Japan-India program include Chennai?", "what did the 2015 group meet?": the exchange program
        return guess
    return None


def _label(domain: Dict[Text, Any], intent: str) -> str | None:
    variants = domain.get("responses", {}).get(f"utter_label_{intent}") or []
    return variants[0].get("text") if variants else None


class ActionSuggestIntents(Action):
    def name(self) -> Text:
        return "action_suggest_intents"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # It answers from the knowledge base too, so an outage is apologised for as action_answer's.
        return await answer_or_apologise(dispatcher, lambda attempt: self.suggest(attempt, tracker, domain))

    def suggest(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        turn = turn_for(tracker, dispatcher)
        text = typed_text(tracker)
        if answered_by_understanding(turn, text, message.get("entities")) or answer_named_thing(turn, text):
            return turn.events()
        if WHICH_PROGRAMME.search(text):
            dispatcher.utter_message(response="utter_ask_which_programme")
            return []
        guess = confirmed_guess(message, text, turn.context.get("topic"))
        if guess:
            turn.intent = guess
            if answer_intent(turn, text):
                return turn.events()
        if any(turn.names.found[k] for k in ("prefecture", "place", "country")) and RELATION.search(text):
            turn.intent = "sister_cities"  # a named side and a partner word: a question about the list
            if answer_intent(turn, text):
                return turn.events()
        if POINTS_BACK.search(text) and len(text.split()) <= MAX_FOLLOWUP_WORDS and any(
                turn.context.get(k) for k in CONTEXT_NAMES):
            turn.intent = "followup"  # "what country is that in?": about the previous answer
            answer_followup(turn, text)
            return turn.events()
        body = mentioned_body(turn, text)
        if body is not None and looks_like_question(text):
            answer_body_details(turn, body)  # "how many members does the Conference ... have": its part only
            return turn.events()
        if answered_by_staff(turn, text):  # nothing the knowledge base answers: staff may have
            return turn.events()
        if turn.intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        # Carry the names the user typed into the buttons; the answer validates them again.
        entities: Dict[str, str] = {}
        for entity in message.get("entities") or []:
            if isinstance(entity, dict) and isinstance(entity.get("entity"), str) and isinstance(entity.get("value"), str):
                entities.setdefault(entity["entity"], entity["value"])
        buttons: List[Dict[str, str]] = []
        for ranked in message.get("intent_ranking") or []:
            intent, confidence = ranked.get("name"), ranked.get("confidence", 0)
            label = _label(domain, intent)
            if label and confidence >= MIN_CONFIDENCE and len(buttons) < MAX_SUGGESTIONS:
                buttons.append({"title": label, "payload": payload(intent, entities)})
        # The label is in domain.yml; a domain without it still gets a button that says what it does.
        buttons.append({"title": _label(domain, "human_handoff") or "Talk to CLAIR staff",
                        "payload": "/human_handoff"})
        if len(buttons) == 1:
            dispatcher.utter_message(response="utter_default")
        else:
            dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
