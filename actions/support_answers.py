"""Answers about CLAIR Singapore's sister-city support and how to contact the office, built from the
knowledge base's sister-city support texts (knowledge/data/sister_city_support.yml)."""
from __future__ import annotations

from actions.turn import Turn, lines


def support_services(turn: Turn) -> None:
    support = turn.kb.sister_city_support()
    turn.say("utter_support_services", count=len(support.forms), lines=lines(list(support.forms)))


def contact_office(turn: Turn) -> None:
    turn.say("utter_contact_office", statement=turn.kb.sister_city_support().contact_statement)
