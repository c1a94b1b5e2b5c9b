"""Questions the page does not answer: say so plainly, give the one line the page does say that is
relevant, and offer to pass the question to CLAIR staff. The topics and their cue words are data
(knowledge/data/page_gaps.yml); this module only matches them and picks the related line."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Dict, Optional, Tuple

from actions.programme_answers import edition_where
from actions.support_answers import page_says_contact
from actions.turn import Turn
from knowledge.results import PageGap


@lru_cache(maxsize=64)
def _cue_pattern(cues: Tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


TOPIC_SUBJECTS = (("seminar", "seminar"), ("repp", "program"), ("sister_cit", "sister"))


def find_gap(turn: Turn, text: str) -> Optional[PageGap]:
    """The topic whose cue the message contains; with several, the one with the longest cue
    ("when is the seminar" is about the seminar's dates even though "this year" is there too)."""
    if not text:
        return None
    best: Optional[Tuple[int, PageGap]] = None
    # The conversation's subject counts as said: "how long does it last?" after the seminar is about the seminar.
    subject = "" if turn.names.anything else next(
        (word for prefix, word in TOPIC_SUBJECTS if (turn.context.get("topic") or "").startswith(prefix)), "")
    for gap in turn.kb.page_gaps():
        if gap.needs and not _cue_pattern(gap.needs).search(f"{text} {subject}"):
            continue  # "the capital of Australia" is not about sister cities
        found = [len(m.group()) for m in _cue_pattern(gap.cues).finditer(text)] if gap.cues else []
        if found and (best is None or max(found) > best[0]):
            best = (max(found), gap)
    return best[1] if best else None


def _position(turn: Turn) -> None:
    code = turn.names.first("position") or turn.context.get("position")
    position = turn.kb.position(code) if code else None
    if position is None:
        turn.say("utter_page_says", fact=turn.records.jet_programme().description)
        return
    turn.remember(position=position.code)
    turn.say("utter_page_says_position", name=position.name, code=position.code, description=position.description)


def _jet(turn: Turn) -> None:
    if turn.names.first("position"):  # "do CIRs get housing?": the position's line
        _position(turn)
        return
    turn.say("utter_page_says", fact=turn.records.jet_programme().description)


def _participation(turn: Turn) -> None:
    jet = turn.records.jet_programme()
    figures = turn.kb.jet_participation()
    turn.say("utter_page_says_participation", note=jet.participation_note,
             figure=figures[0].text if figures else "")


def _latest_edition(turn: Turn) -> None:
    program = turn.records.exchange_program()
    held = [e for e in turn.kb.editions() if e.status != "cancelled"]
    latest = max(held, key=lambda e: e.fiscal_year)
    turn.say("utter_page_says_latest_edition", name=program.name, frequency=program.frequency,
             region=program.region, year=latest.fiscal_year, where=edition_where(latest))


def _participants(turn: Turn) -> None:
    turn.say("utter_page_says", fact=turn.records.exchange_program().mission[0].upper()
             + turn.records.exchange_program().mission[1:] + ".")


def _seminar(turn: Turn) -> None:
    seminar = turn.records.seminar()
    turn.say("utter_page_says_seminar", name=seminar.name, host=seminar.host, held_in=seminar.held_in,
             lecture_city=seminar.lecture_city)


def _support(turn: Turn) -> None:
    turn.say("utter_page_says", fact=turn.records.sister_city_support().intro)


def _affiliation_list(turn: Turn) -> None:
    source = turn.records.source()
    turn.say("utter_page_says_list", intro=source.list_intro, as_of=source.as_of)


def _affiliation_world(turn: Turn) -> None:
    source = turn.records.source()
    if source.world_link:
        turn.say("utter_page_says_list_scope", intro=source.list_intro, as_of=source.as_of,
                 world_link=source.world_link)
    else:  # the page text lost the link
        turn.say("utter_page_says_list_scope_no_link", intro=source.list_intro, as_of=source.as_of)


RELATED: Dict[str, Callable[[Turn], None]] = {
    "jet_position": _position, "jet_about": _jet, "jet_participation": _participation,
    "repp_latest": _latest_edition, "repp_participants": _participants, "seminar": _seminar,
    "support": _support, "contact": page_says_contact, "affiliation_list": _affiliation_list,
    "affiliation_world": _affiliation_world,
}


# Which of the page's subjects a related line is about, and the words that name each subject: "how
# much does the seminar cost" gets the seminar's line, not the generic one of the costs topic.
SUBJECT_OF = {"jet_position": "jet", "jet_about": "jet", "jet_participation": "jet", "repp_latest": "repp",
              "repp_participants": "repp", "seminar": "seminar", "support": "sister"}
SUBJECT_LINE = {"jet": "jet_position", "repp": "repp_participants", "seminar": "seminar", "sister": "support"}
SUBJECT_WORDS = {
    "seminar": re.compile(r"\bseminars?\b", re.IGNORECASE),
    "repp": re.compile(r"\b(?:exchange\s+(?:promotion\s+)?program(?:me)?s?|regional\s+exchange|missions?|"
                       r"study\s+(?:visit|mission)s?|repp|delegations?)\b", re.IGNORECASE),
    "jet": re.compile(r"\bjet\b|\b(?:cir|alt|sea)s?\b|\bteach\w*|\bcoordinators?\b", re.IGNORECASE),
    "sister": re.compile(r"\b(?:sister|twin|partner|friendship)[\s-]*(?:cit(?:y|ies)|towns?|relations?)\b|"
                         r"\baffiliations?\b", re.IGNORECASE),
}


def _related_line(gap: PageGap, text: str) -> str:
    """The gap's related line, unless the message is about another of the page's subjects."""
    subject = SUBJECT_OF.get(gap.related)
    if subject is None:  # the office contact line, whatever the subject
        return gap.related
    named = [name for name, words in SUBJECT_WORDS.items() if words.search(text or "")]
    return gap.related if not named or subject in named else SUBJECT_LINE[named[0]]


# Asked of a pair the list names ("in what year did Okayama sign with Pune?", "why was Kochi paired
# with Benguet?", "do Hiroshima and Hyderabad run student exchanges?"): anything but whether they
# are partners. The list gives the pair and nothing more.
ABOUT_A_PAIR = re.compile(r"\b(?:why|when|since|what\s+year|which\s+year|how\s+long|how\s+did|sign\w*|run|runs|hold|"
                          r"holds|organi[sz]e\w*|together|activit\w+|exchanges|projects?|visits?|cooperat\w+)\b", re.I)
PAIR_GAP = "affiliation_details"


def answered_pair_detail(turn: Turn, text: str, gap: Optional[PageGap] = None) -> bool:
    """A question about a named pair beyond whether they are partners (`gap`: the page gap the message
    asks, when one was found): what the page does not give, then whether the list has them. True when
    it answered."""
    prefecture, place = turn.names.first("prefecture"), turn.names.first("place")
    if not (prefecture and place and text):
        return False
    if gap is None or not gap.related.startswith("affiliation"):
        if not ABOUT_A_PAIR.search(text):
            return False
        gap = next((g for g in turn.kb.page_gaps() if g.topic == PAIR_GAP), None)
    if gap is None:
        return False
    turn.say("utter_not_on_page", what=gap.what)
    if turn.kb.affiliations(prefecture=prefecture, counterpart=place):
        turn.say("utter_page_says_pair", prefecture=prefecture, place=place, as_of=turn.records.source().as_of)
    else:
        turn.say("utter_affiliation_pair_no", prefecture=prefecture, place=place, **turn.source_values())
    turn.intent = "sister_cities"
    turn.remember(prefecture=prefecture, place=place)
    return True


def answer_gap(turn: Turn, gap: PageGap, text: str = "") -> None:
    if gap.related not in RELATED:  # "scope": nothing on the page is near it (the weather)
        turn.say("utter_out_of_scope")
        return
    turn.say("utter_not_on_page", what=gap.what)
    RELATED[_related_line(gap, text)](turn)
