"""The sister cities of the places an edition visited: "do any of the cities visited in 2010 have sister
ties with Japanese prefectures?", "The FY2015 program visited Hanoi and HCMC. Which prefectures are they
twinned with?". The edition's cities come from the knowledge base; each one on the sister-city list is
answered from the list, the others are said not to be on it."""
from __future__ import annotations

import re

from actions.affiliation_answers import answer_affiliations
from actions.question import RELATION
from actions.turn import Turn, joined

VISITED = re.compile(r"\b(?:visit\w*|went|go(?:ne)?\s+to|mission|trip|program(?:me)?|edition|itinerary|cover\w*|"
                     r"tour\w*|stops?|destinations?)\b", re.IGNORECASE)


def answer_edition_partners(turn: Turn, text: str) -> bool:
    """True when the message asked the partners of an edition's places, and they were answered."""
    names = turn.names
    if not text or not names.years or not RELATION.search(text) or not VISITED.search(text) \
            or names.found["prefecture"] or names.ambiguous:
        return False
    editions = [e for e in turn.kb.editions() if e.fiscal_year in names.years and e.cities]
    if not editions:
        return False
    cities = list(dict.fromkeys(city for e in editions for city in e.cities))
    listed, unlisted = [], []
    for city in cities:
        resolution = turn.kb.resolve(city, kind="place")
        if resolution.status in ("exact", "fuzzy") and resolution.name \
                and turn.kb.affiliations_of_counterpart(resolution.name):
            listed.append(resolution.name)
        else:
            unlisted.append(city)
    years = joined([f"FY{e.fiscal_year}" for e in editions])
    turn.intent = "sister_cities"
    if not listed:
        turn.say("utter_edition_places_none", years=years, cities=joined(cities), **turn.source_values())
        turn.remember()
        return True
    turn.say("utter_edition_places_partners", years=years, cities=joined(cities),
             unlisted=f" {joined(unlisted)} {'is' if len(unlisted) == 1 else 'are'} not on the sister-city list."
             if unlisted else "")
    for place in listed:
        answer_affiliations(turn, None, place, None)
    return True
