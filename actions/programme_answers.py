"""Answers about the Regional Exchange Promotion Program and its editions."""
from __future__ import annotations

import re
from typing import List, Optional

from actions.required_records import required
from actions.affiliation_answers import answer_names_problem
from actions.turn import Turn, lines, payload


def edition_where(edition) -> str:
    countries = " and ".join(edition.countries)
    return f"{countries} ({', '.join(edition.cities)})" if edition.cities else countries


def year_range(turn: Turn) -> dict:
    years = [e.fiscal_year for e in turn.kb.editions()]
    return {"first_year": min(years), "last_year": max(years)}


def _edition_line(edition) -> str:
    if edition.status == "cancelled":
        return f"FY{edition.fiscal_year}: {edition_where(edition)} – cancelled ({edition.reason})"
    return f"FY{edition.fiscal_year}: {edition_where(edition)}"


def say_edition(turn: Turn, year: int) -> None:
    edition = turn.kb.edition(year)
    if edition is None:
        turn.say("utter_no_edition_year", year=year, **year_range(turn))
    elif edition.status == "cancelled":
        turn.say("utter_edition_cancelled", year=year, where=edition_where(edition), reason=edition.reason)
    elif not edition.cities and ASKS_CITIES.search(turn.text):
        # "Which cities did the 2012 program visit?": the page names the countries only
        turn.say("utter_edition_cities_unknown", year=year, where=edition_where(edition), title=edition.title)
    else:
        turn.say("utter_edition", year=year, where=edition_where(edition), title=edition.title)


ASKS_CITIES = re.compile(r"\b(?:cit(?:y|ies)|towns?|where in|which places|what places)\b", re.IGNORECASE)
ASKS_AIMS = re.compile(r"\b(?:aims?|aimed|aiming|goals?|objectives?|purpose|trying to achieve|meant to)\b", re.IGNORECASE)
ASKS_DETAILS = re.compile(r"\b(?:what happened|happen\w*|details?|tell me (?:more )?about|describe|activities|"
                          r"schedule|itinerary|programme of|what did (?:they|the \w+) do)\b", re.IGNORECASE)


def _went_there(turn: Turn, year: int, name: str) -> None:
    """ "Did the 2011 program include Chennai?": yes or no, before the edition itself."""
    edition = turn.kb.edition(year)
    if edition is None or edition.status == "cancelled":
        return  # the edition's own line says where it was planned and that it was cancelled
    there = name in edition.countries or name in edition.cities
    turn.say("utter_edition_went_there" if there else "utter_edition_not_there", year=year, name=name)


def repp_about(turn: Turn) -> None:
    program = turn.records.exchange_program()
    turn.say("utter_repp_about", name=program.name, frequency=program.frequency, organiser=program.organiser,
             region=program.region, mission=program.mission, gains=lines(list(program.gains)))


def repp_organisers(turn: Turn) -> None:
    program = turn.records.exchange_program()
    turn.say("utter_repp_organisers", name=program.name, organiser=program.organiser,
             partners=" and the ".join(program.partners))


def repp_participants(turn: Turn) -> None:
    program = turn.records.exchange_program()
    years = turn.names.years
    for year in years:  # "Who was the program for in 2012?": that edition, then who takes part
        say_edition(turn, year)
        details = turn.kb.edition_details(year)
        if details is not None and details.participants:  # the page says who went that year
            turn.say("utter_edition_participants", year=year, participants=details.participants,
                     description=details.participants_description)
    if years:
        edition = turn.kb.edition(years[-1])
        # "does any prefecture have a sister city in that country?" after it: the edition's one host country
        host = edition.countries[0] if edition is not None and len(edition.countries) == 1 else None
        turn.remember(year=years[-1], country=host)
    turn.say("utter_repp_participants", participants=program.participants, mission=program.mission)


def repp_edition(turn: Turn, years: Optional[List[int]] = None, country: Optional[str] = None,
                 place: Optional[str] = None) -> None:
    names = turn.names
    years = years if years is not None else names.years
    country = country or names.first("country")
    place = place or names.first("place")
    if years:
        edition = turn.kb.edition(years[-1])
        # "does any prefecture have a sister city in that country?" after it: the edition's one host country
        host = edition.countries[0] if edition is not None and len(edition.countries) == 1 else None
        turn.remember(year=years[-1], country=host)
        for year in years:
            if turn.asks_yes_or_no and (named := country or place):
                _went_there(turn, year, named)
            details = turn.kb.edition_details(year) if len(years) == 1 else None
            if details is not None and details.aims and ASKS_AIMS.search(turn.text):
                turn.say("utter_edition_aims", title=details.title, aims=details.aims)  # "what was it aiming for?"
                return
            if details is not None and details.parts and ASKS_DETAILS.search(turn.text):
                say_details(turn, details)  # "What happened on the 2015 programme?": all the page says of it
                return
            say_edition(turn, year)
    elif country or place:
        name = country or place
        found = turn.kb.editions_in_country(country) if country else turn.kb.editions_in_city(place or "")
        # One edition found is what "what was it called?" asks about next.
        turn.remember(country=country, place=place, year=found[0].fiscal_year if len(found) == 1 else None)
        if found and ASKS_CITIES.search(turn.text) and not any(e.cities for e in found):
            for edition in found:  # "which cities in Thailand?": the page names none
                turn.say("utter_edition_cities_unknown", year=edition.fiscal_year, where=edition_where(edition),
                         title=edition.title)
        elif found:
            turn.say("utter_editions_in_country", name=name, lines=lines([_edition_line(e) for e in found]),
                     source=turn.records.source().title)
            for other in turn.names.found["country"][1:] if country else []:  # "what years did Singapore and Malaysia host"
                there = turn.kb.editions_in_country(other)
                if there:
                    turn.say("utter_editions_in_country", name=other, lines=lines([_edition_line(e) for e in there]),
                             source=turn.records.source().title)
                else:
                    turn.say("utter_no_editions_in_country", name=other, **year_range(turn))
        else:
            turn.say("utter_no_editions_in_country", name=name, **year_range(turn))
    elif not answer_names_problem(turn):
        repp_list(turn)


def repp_theme(turn: Turn, years: Optional[List[int]] = None) -> None:
    years = years if years is not None else turn.names.years
    if not years:
        buttons = [{"title": f"FY{e.fiscal_year}", "payload": payload("repp_theme", {"fiscal_year": str(e.fiscal_year)})}
                   for e in turn.kb.editions()]
        turn.say("utter_ask_year", buttons=buttons, **year_range(turn))
        return
    turn.remember(year=years[-1])
    for year in years:
        edition = turn.kb.edition(year)
        if edition is None:
            turn.say("utter_no_edition_year", year=year, **year_range(turn))
        elif edition.status == "cancelled" or not edition.title:
            turn.say("utter_edition_theme_cancelled", year=year, where=edition_where(edition), reason=edition.reason)
        else:
            turn.say("utter_edition_theme", year=year, title=edition.title)


def repp_cancelled(turn: Turn) -> None:
    cancelled = turn.kb.cancelled_editions()
    turn.remember(year=cancelled[0].fiscal_year if len(cancelled) == 1 else None)  # "where was it supposed to go?"
    turn.say("utter_cancelled_editions", lines=lines([_edition_line(e) for e in cancelled]), **year_range(turn))


def repp_first(turn: Turn) -> None:
    edition = required(turn.kb.first_edition(), "editions")
    turn.remember(year=edition.fiscal_year)
    turn.say("utter_first_edition", year=edition.fiscal_year, where=edition_where(edition), title=edition.title)


def repp_list(turn: Turn) -> None:
    editions = sorted(turn.kb.editions(), key=lambda e: e.fiscal_year)
    turn.say("utter_edition_list", lines=lines([_edition_line(e) for e in editions]), source=turn.records.source().title,
             **year_range(turn))


def repp_fy2015(turn: Turn) -> None:
    details = required(turn.kb.fy2015_details(), "FY2015 details")
    if details.aims and ASKS_AIMS.search(turn.text):
        turn.remember(year=details.fiscal_year)
        turn.say("utter_edition_aims", title=details.title, aims=details.aims)  # "what was it aiming for?"
        return
    say_details(turn, details)


def say_details(turn: Turn, details) -> None:
    turn.remember(year=details.fiscal_year)
    turn.say("utter_fy2015_details", title=details.title, cities=" and ".join(details.cities),
             month=details.period, days=details.days,
             parts="; ".join(f"{part.name} ({part.location})" for part in details.parts),
             participants=details.participants, participant_description=details.participants_description,
             summary=details.summary)


def seminar_about(turn: Turn) -> None:
    seminar = turn.records.seminar()
    turn.say("utter_seminar", name=seminar.name, host=seminar.host, held_in=seminar.held_in,
             brings_together=seminar.brings_together, aims=" and ".join(seminar.aims),
             activities="; ".join(seminar.activities), lines=lines(list(seminar.overseas_participants)))
