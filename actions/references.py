"""What a message that names nothing refers to: the previous answer's subject ("does it have other
partners?" after Osaka's, "which cities did they visit?" after Malaysia's editions), or, in the
request form, the visitor's own local government ("which prefecture are we already twinned with?")."""
from __future__ import annotations

import re
from typing import Optional

from actions.names import MessageNames
from actions.turn import Turn
from knowledge.query import KnowledgeBase

POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their|theirs|that|there|those|these|this\s+one|he|she)\b", re.I)
SINGULAR = re.compile(r"\b(?:it|its)\b", re.I)
FIRST_PERSON_PLURAL = re.compile(r"\b(?:we|us|our|ours)\b", re.I)
NAMED_KINDS = ("prefecture", "place", "country", "position")
OWN_KINDS = ("prefecture", "place")


def fill_from_context(turn: Turn) -> bool:
    """Gives a message that names nothing but points back the previous answer's names and year.
    True when it added any."""
    if not POINTS_BACK.search(turn.text or ""):
        return False
    found = turn.names.found
    if found["country"] and not (found["prefecture"] or found["place"]) and SINGULAR.search(turn.text) \
            and turn.context.get("prefecture"):
        turn.names.add("prefecture", turn.context["prefecture"])  # "does it have any outside the Philippines?"
        return True
    if turn.names.anything:
        return False
    results = turn.context.get("results") or []
    if SINGULAR.search(turn.text) and len(results) == 1 and turn.context.get("grouping") == "prefecture":
        turn.names.add("prefecture", results[0])  # "how many does it have in total?" after "which prefecture ...?"
        return True
    added = False
    for kind in NAMED_KINDS:
        value = turn.context.get(kind)
        if value:
            turn.names.add(kind, value)
            added = True
    year = turn.context.get("year")
    if year and str(year).isdigit():
        turn.names.years.append(int(year))
        added = True
    return added


def add_own_organisation(kb: KnowledgeBase, names: MessageNames, organisation: Optional[str], text: str) -> None:
    """ "who's our existing partner?" asked while the form holds "Pune Municipal Corporation": Pune."""
    if not isinstance(organisation, str) or not FIRST_PERSON_PLURAL.search(text or ""):
        return
    if any(names.found[kind] for kind in OWN_KINDS):
        return
    own = next((m for m in kb.find_names(organisation) if m.kind in OWN_KINDS), None)
    if own is not None:
        names.add(own.kind, own.name)
