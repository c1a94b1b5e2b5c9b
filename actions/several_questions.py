"""A message that asks two things at once ("who hosts the cooperation seminar and what is MOFA",
"where was the 2014 program held? also who is Aichi paired with"): NLU reads the whole message as
one intent, so the answer covers one question. Each question in it is also answered from its own
words, and what it adds that was not said already follows the first answer."""
from __future__ import annotations

import json
import re
from typing import Callable, List

from rasa_sdk.executor import CollectingDispatcher

from actions.names import names_in_message
from actions.turn import Turn

# Where a second question starts: after a question mark, or "and" / "also" before a question word.
_QUESTION_START = r"(?:what|whats|what's|who|whom|whose|which|where|when|how|is|are|was|were|does|do|did|can)\b"
_SPLIT = re.compile(r"\?+|[,;]?\s+(?:and\s+also|and|also|plus)\s+(?=" + _QUESTION_START + r")|[;.]\s+also\s+",
                    re.IGNORECASE)
_LEADING = re.compile(r"^\W*(?:and\s+|also\s+|plus\s+)*", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3
MAX_CLAUSES = 3


def questions_in(text: str) -> List[str]:
    """The questions of a message, when it has more than one; else []."""
    clauses = [_LEADING.sub("", part).strip(" ,.;:-") for part in _SPLIT.split(text or "")]
    clauses = [c for c in clauses if len(c.split()) >= MIN_CLAUSE_WORDS]
    return clauses[:MAX_CLAUSES] if len(clauses) >= 2 else []


def _key(message: dict) -> str:
    return json.dumps(message, sort_keys=True, default=str)


def answer_other_questions(turn: Turn, text: str, answer_one: Callable[[Turn, str], bool]) -> bool:
    """Answers each question of `text` with `answer_one` (which reads only the question's own
    words) and adds to the turn's reply what was not said yet. True when it added anything."""
    said = {_key(m) for m in turn.dispatcher.messages}
    added = False
    for clause in questions_in(text):
        dispatcher = CollectingDispatcher()
        names = names_in_message(turn.kb, {"text": clause})
        part = Turn(kb=turn.kb, names=names, dispatcher=dispatcher, intent="", context={}, text=clause)
        if not answer_one(part, clause):
            continue
        for message in dispatcher.messages:
            if _key(message) not in said:
                turn.dispatcher.messages.append(message)
                said.add(_key(message))
                added = True
    return added
