"""One answer in the making: the message's resolved names, the conversation's context, and a way
to say a domain response with values."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.names import KINDS, MessageNames
from actions.required_records import RequiredRecords
from knowledge.query import KnowledgeBase

CONTEXT_SLOTS = {kind: f"context_{kind}" for kind in KINDS}
CONTEXT_SLOTS["year"] = "context_year"
# What the last computed answer listed ("which of those are in Thailand?") and what it grouped by.
CONTEXT_SLOTS["results"] = "context_results"
CONTEXT_SLOTS["grouping"] = "context_grouping"
# The aggregate it computed ("most", "more_than_one"): "and which countries?" asks it again by country.
CONTEXT_SLOTS["measure"] = "context_measure"


# "Is MOFA one of the supporters?", "did the 2011 program include Chennai?": answered "Yes:" or "No:".
YES_NO_QUESTION = re.compile(r"^\W*(?:\w+[,:]\s+)?(?:is|are|was|were|does|do|did|has|have|had|can|could)\b", re.I)


@dataclass
class Turn:
    kb: KnowledgeBase
    names: MessageNames
    dispatcher: CollectingDispatcher
    intent: str
    # The context slots' values: a name, a year, or a list ("results"); None where unset. Any: they come
    # from the tracker as JSON and each reader checks the value it needs.
    context: Dict[str, Any] = field(default_factory=dict)
    remembered: Optional[Dict[str, Any]] = None  # None: this answer sets no context
    text: str = ""  # what the visitor typed ("" for a /intent shortcut)

    @property
    def records(self) -> RequiredRecords:
        """The knowledge base's one-of-a-kind records, each required (see actions/required_records.py)."""
        return RequiredRecords(self.kb)

    @property
    def asks_yes_or_no(self) -> bool:
        return bool(YES_NO_QUESTION.search(self.text))

    def say(self, response: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
        if isinstance(values.get("count"), int):
            # Counted nouns, for templates that say "{affiliations}" rather than "affiliation(s)".
            # One is said to be the only one: "is that the only one?" is the next question otherwise.
            only = "only " if values["count"] == 1 else ""
            values.setdefault("affiliations", only + plural(values["count"], "sister-city affiliation"))
            values.setdefault("governments", only + plural(values["count"], "Japanese local government"))
        self.dispatcher.utter_message(response=response, buttons=buttons or [], **values)

    def source_values(self) -> Dict[str, Any]:
        source = self.records.source()
        return {"source": source.title, "as_of": source.as_of}

    def remember(self, **values: Optional[Any]) -> None:
        """Keeps what this answer was about, for a follow-up question."""
        self.remembered = {key: None if value is None else [str(v) for v in value] if isinstance(value, list)
                           else str(value) for key, value in values.items()}

    def events(self) -> List[Dict[str, Any]]:
        if self.remembered is None:
            return []
        events = [SlotSet("topic", self.intent)]
        for key, slot in CONTEXT_SLOTS.items():
            events.append(SlotSet(slot, self.remembered.get(key)))
        return events

    def clarify(self, resolution: Any, intent: Optional[str] = None) -> None:
        """Asks which of several known names the user meant, one button each."""
        buttons = [
            {"title": candidate.name, "payload": payload(intent or self.intent, {candidate.kind: candidate.name})}
            for candidate in resolution.candidates
        ]
        self.say("utter_clarify_name", buttons=buttons)


def payload(intent: str, entities: Dict[str, Any]) -> str:
    """A button payload: an intent shortcut whose entities the actions will validate again."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def lines(items: List[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """ "1 sister-city affiliation", "4 sister-city affiliations": never "affiliation(s)"."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def joined(names: List[str], conjunction: str = "and") -> str:
    """ "Chiba", "Chiba and Fukuoka", "Chiba, Fukuoka and Osaka" ("CIR, ALT or SEA"); nothing: ""."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {conjunction} " + names[-1]
