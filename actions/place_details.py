"""Which province, state or island a place on the list is in ("which province is La Trinidad in?",
"what state is it in?"), and "the first one" / "the second?" / "the last one" after a list: the
item of the previous answer it points at. The region is the one the list gives after the place's
name; nothing else is said of it."""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from actions.question import RELATION
from actions.turn import Turn

ASKS_REGION = re.compile(r"\b(?:which|what)\s+(?:province|state|region|island|part\s+of|area|district)\b|"
                         r"\bwhere\s+(?:is|are|'s)\s+(?!the\s+(?:program|seminar|office))", re.IGNORECASE)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "last": -1}
ORDINAL = re.compile(r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last)(?:\s+one)?\b", re.IGNORECASE)
REGION_TOPIC = "place_region"
POSITION_TOPICS = ("jet_positions",)  # the one answer that lists them in order


def listed_items(turn: Turn) -> Tuple[List[str], str]:
    """The previous answer's items in the order it listed them, and what they are."""
    context, kb = turn.context, turn.kb
    if context.get("topic") in POSITION_TOPICS:
        return [p.code for p in kb.positions()], "position"
    if context.get("results"):
        return list(context["results"]), context.get("grouping") or "prefecture"
    if context.get("prefecture"):
        return [a.counterpart for a in kb.affiliations_of_prefecture(context["prefecture"])], "counterpart"
    if context.get("place"):
        return list(dict.fromkeys(a.prefecture for a in kb.affiliations_of_counterpart(context["place"]))), "prefecture"
    return [], ""


def ordinal_pick(turn: Turn, text: str) -> Optional[Tuple[str, str]]:
    """ "the second one" after a list: that item and its kind."""
    match = ORDINAL.search(text or "")
    if not match or turn.names.anything:
        return None
    items, kind = listed_items(turn)
    index = ORDINALS[match.group(1).lower()]
    if not items or index >= len(items):
        return None
    return items[index], kind


def asks_region(text: str) -> bool:
    return bool(ASKS_REGION.search(text or "")) and not RELATION.search(text or "")


def answer_place_region(turn: Turn, text: str) -> bool:
    """Says which region a place is in, when the message asks it (or, after such an answer, asks
    it of the next item: "and the second?"). True when it answered."""
    picked = ordinal_pick(turn, text)
    again = turn.context.get("topic") == REGION_TOPIC and picked is not None
    if not (asks_region(text) or again):
        return False
    place = turn.names.first("place")
    if place is None and picked and picked[1] == "counterpart":
        place = picked[0]
    if place is None and not turn.names.anything:
        place = turn.context.get("place")
    found = turn.kb.place(place) if place else None
    if found is None:
        return False
    turn.intent = REGION_TOPIC
    # The list it came from stays the context: "and the second?" picks from it again.
    turn.remember(prefecture=turn.context.get("prefecture") if picked else None, place=found.name)
    if found.region and found.region != found.name:
        turn.say("utter_place_region", place=found.name, region=found.region, country=found.country,
                 **turn.source_values())
    else:
        turn.say("utter_place_region_unknown", place=found.name, country=found.country)
    return True
