"""Answers about the JET Programme."""
from __future__ import annotations

import re
from typing import Optional

from actions.bodies import mentioned_body
from actions.required_records import at_least_one
from actions.turn import Turn, joined, lines, payload, plural


def jet_about(turn: Turn) -> None:
    jet = turn.records.jet_programme()
    turn.say("utter_jet_about", name=jet.name, description=jet.description, aims=lines(list(jet.aims)))


def jet_supporters(turn: Turn) -> None:
    jet = turn.records.jet_programme()
    supporters = at_least_one(turn.kb.supporting_bodies(), "supporting bodies")
    if turn.asks_yes_or_no:  # "is MOFA one of the JET supporters?"
        named = mentioned_body(turn, turn.text)
        if named is not None:
            supporting = any(b.name == named.name for b in supporters)
            turn.say("utter_jet_supporter_yes" if supporting else "utter_jet_supporter_no",
                     name=named.abbreviation or named.name)
    bodies = [b.name if b.name == b.abbreviation else f"{b.name} ({b.abbreviation})" for b in supporters]
    turn.say("utter_jet_supporters", implementer=jet.implemented_by, lines=lines(bodies),
             count=plural(len(bodies), *(("ministry", "ministries") if all(
                 b.name.startswith("Ministry") for b in supporters) else ("body", "bodies"))))
    # the count answers "supported by how many ministries?"


def jet_positions(turn: Turn) -> None:
    positions = at_least_one(turn.kb.positions(), "JET positions")
    turn.say("utter_jet_positions", count=len(positions),
             lines=lines([f"{p.name} ({p.code}): {p.description}" for p in positions]))


def position_by_word(turn: Turn, by_description: bool = False) -> Optional[str]:
    """ "What does the sports one do?": the one position whose name has a word the message has."""
    words = {w[:5] for w in re.findall(r"[a-z]{4,}", turn.text.lower())}
    found = [p.code for p in turn.kb.positions()
             if {w[:5] for w in re.findall(r"[a-z]{4,}", p.name.lower())} - SHARED_NAME_WORDS & words]
    if not found and by_description:  # "which of them works in schools?" after the positions: the line saying so
        found = [p.code for p in turn.kb.positions()
                 if {w[:5] for w in re.findall(r"[a-z]{5,}", p.description.lower())} - SHARED_NAME_WORDS & words]
    return found[0] if len(found) == 1 else None


SHARED_NAME_WORDS = {"inter", "excha", "relat"}  # "international", "exchange" also mean other things


def jet_position_detail(turn: Turn, position: Optional[str] = None) -> None:
    position = position or turn.names.first("position") or position_by_word(turn)
    if position is None:
        positions = at_least_one(turn.kb.positions(), "JET positions")
        buttons = [{"title": f"{p.code} – {p.name}", "payload": payload("jet_position_detail", {"position": p.code})}
                   for p in positions]
        turn.say("utter_ask_position", buttons=buttons, codes=joined([p.code for p in positions], "or"))
        return
    named = [position] + [p for p in turn.names.found["position"] if p != position]
    for code in named:  # "what's the difference between a CIR and an ALT": each one named
        found = turn.kb.position(code)
        if found is not None:
            turn.say("utter_jet_position", name=found.name, code=found.code, description=found.description)
    asked = turn.kb.position(position)
    turn.remember(position=asked.code if asked is not None else None)


def jet_participation(turn: Turn) -> None:
    note = turn.records.jet_programme().participation_note
    figures = at_least_one(turn.kb.jet_participation(), "JET participation figures")
    if turn.names.years and not any(f.fiscal_year in turn.names.years for f in figures):
        # "how many joined JET in FY2014?": the page gives other years only; never one for another
        turn.say("utter_not_on_page", what=f"how many took part in JET in FY{turn.names.years[0]}")
        turn.say("utter_page_says_participation", note=note, figure=figures[0].text)
        return
    for figure in figures:
        turn.say("utter_jet_participation", note=note, year=figure.fiscal_year, count=figure.participants,
                 origin=figure.origin)


def jetaa(turn: Turn) -> None:
    turn.say("utter_jetaa", description=turn.records.jetaa().description)
