"""Answers about CLAIR Singapore's sister-city support and how to contact the office, built from the
knowledge base's sister-city support texts (knowledge/data/sister_city_support.yml)."""
from __future__ import annotations

from actions.turn import Turn, lines
from knowledge.results import SisterCitySupport


def support_services(turn: Turn) -> None:
    support = turn.records.sister_city_support()
    turn.say("utter_support_services", intro=support.intro, count=len(support.forms),
             lines=lines(list(support.forms)))


def contact_office(turn: Turn) -> None:
    support = turn.records.sister_city_support()
    if support.contact_details:
        turn.say("utter_contact_office_details", statement=support.contact_statement,
                 details=support.contact_details)
    else:  # the page gives none: its note says so, and nothing is made up
        turn.say("utter_contact_office", statement=support.contact_statement, note=contact_note(support))


def page_says_contact(turn: Turn) -> None:
    """The page's contact line after a question it does not answer ("is there parking?")."""
    support = turn.records.sister_city_support()
    if support.contact_details:
        turn.say("utter_page_says_contact_details", statement=support.contact_statement,
                 details=support.contact_details)
    else:
        turn.say("utter_page_says_contact", statement=support.contact_statement, note=contact_note(support))


def contact_note(support: SisterCitySupport) -> str:
    # The note explains why there are no details; a knowledge base without one still reads well.
    return support.contact_note or ""
