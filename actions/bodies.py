"""Questions about an organisation the page names: "What is CLAIR?", "what does MOFA stand for",
"Who is JIAM?", "what does the Ministry of Foreign Affairs do?".

Every body comes from the knowledge base with its role there: the bodies that support JET, the
partners of the Regional Exchange Promotion Program, CLAIR (supporting JET, hosting the seminar,
and through CLAIR Singapore organising the program and supporting sister cities) and JETAA. The
answer is what the page says of that body, and no more: the page gives CLAIR no full name, so
neither does the reply."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from actions.turn import Turn, joined

# Words of a "what is X" question that do not change what is asked.
DEFINITION_WORDS = frozenset("""what whats what's who whos who's is are was were does do did stand stands for mean means
meaning tell me about the a an please exactly abbreviation acronym short full name form of in on explain describe
info information role its it their job jet program programme on this page you know anything""".split())
ASKS_FULL_NAME = re.compile(r"\b(?:stand(?:s)? for|full (?:name|form)|short for|spell(?:ed)? out|mean(?:s|ing)?|"
                            r"abbreviation|acronym)\b", re.IGNORECASE)
MAX_EXTRA_WORDS = 1  # "what is MOFA's role in JET" still asks about MOFA


@dataclass(frozen=True)
class Body:
    key: str  # "supporter", "clair", "repp_partner", "jetaa"
    name: str
    abbreviation: Optional[str]
    names: Tuple[str, ...]  # how a visitor may write it


def _forms(name: str, abbreviation: Optional[str]) -> Tuple[str, ...]:
    forms = {name}
    if abbreviation:
        forms.add(abbreviation)
    short = re.sub(r"\s*\([^)]*\)", "", name).strip()  # "Japan Intercultural Academy of Municipalities (JIAM)"
    forms.add(short)
    forms.add(short.split(",")[0])  # "Ministry of Education, Culture, ..." is "Ministry of Education"
    forms.add(re.sub(r"\s+in\s+japan$", "", short, flags=re.IGNORECASE))  # "the Conference of ... Associations"
    for form in list(forms):
        bare = re.sub(r"^(?:the\s+)?(?:japan(?:'s)?\s+)?ministry\s+of\s+", "", form, flags=re.IGNORECASE)
        if bare != form and len(bare.split()) >= 2:
            forms.add(bare)  # "Foreign Affairs", "Internal Affairs and Communications"
    return tuple(sorted(forms, key=len, reverse=True))


def bodies(turn: Turn) -> List[Body]:
    kb = turn.kb
    found: List[Body] = []
    for body in kb.supporting_bodies():
        key = "clair" if body.abbreviation == "CLAIR" else "supporter"
        found.append(Body(key, body.name, body.abbreviation, _forms(body.name, body.abbreviation)))
    program = kb.exchange_program()
    if program:
        found.append(Body("clair", program.organiser, None, (program.organiser,)))
        for partner in program.partners:
            abbreviation = re.search(r"\(([A-Z]{2,})\)", partner)
            found.append(Body("repp_partner", partner, abbreviation.group(1) if abbreviation else None,
                              _forms(partner, abbreviation.group(1) if abbreviation else None)))
    jetaa = kb.jetaa()
    if jetaa:
        found.append(Body("jetaa", jetaa.name, jetaa.abbreviation, _forms(jetaa.name, jetaa.abbreviation)))
    return found


def _mention(text: str, body: Body) -> Optional[re.Match]:
    for form in body.names:
        # An abbreviation matches in any case ("mofa"); a name as words.
        match = re.search(r"(?<!\w)" + re.escape(form) + r"(?:['\u2019]s)?(?!\w)", text, re.IGNORECASE)
        if match:
            return match
    return None


def _longest_mention(turn: Turn, text: str) -> Optional[Tuple[Body, re.Match]]:
    best: Optional[Tuple[Body, re.Match]] = None
    for body in bodies(turn):
        match = _mention(text, body)
        if match and (best is None or len(match.group(0)) > len(best[1].group(0))):
            best = (body, match)
    return best


def mentioned_body(turn: Turn, text: str) -> Optional[Body]:
    """The body the message names (the longest name found), whatever else it says."""
    best = _longest_mention(turn, text)
    return best[0] if best else None


def body_asked_about(turn: Turn, text: str) -> Optional[Body]:
    """The body a definition-like question asks about: the message is the body's name plus
    question words ("What is CLAIR?"), not a question about something else that names it
    ("which ministries support JET" is the supporters' list)."""
    best = _longest_mention(turn, text)
    if best is None:
        return None
    body, match = best
    rest = (text[:match.start()] + " " + text[match.end():]).lower()
    words = [w for w in re.findall(r"[a-z']+", rest) if w not in DEFINITION_WORDS]
    return body if len(words) <= MAX_EXTRA_WORDS else None


def answer_body_details(turn: Turn, body: Body) -> None:
    """A question about a body beyond its part on the page ("what courses does JIAM run?"): the page
    says no more than its part, which follows."""
    named = f"{body.name} ({body.abbreviation})" if body.abbreviation and body.abbreviation not in body.name else body.name
    turn.say("utter_not_on_page_body", body=named)
    answer_body(turn, body)


def answer_body(turn: Turn, body: Body) -> None:
    kb, records = turn.kb, turn.records
    named = f"{body.name} ({body.abbreviation})" if body.abbreviation and body.abbreviation not in body.name else body.name
    if body.key == "jetaa":
        turn.say("utter_jetaa", description=records.jetaa().description)
    elif body.key == "supporter":
        others = [b.abbreviation or b.name for b in kb.supporting_bodies() if b.name != body.name]
        turn.say("utter_body_supporter", body=named, implementer=records.jet_programme().implemented_by,
                 others=joined(others))
    elif body.key == "repp_partner":
        program = records.exchange_program()
        other = next((p for p in program.partners if p != body.name), "")
        turn.say("utter_body_repp_partner", body=named, other=other, organiser=program.organiser, name=program.name)
    else:
        program, seminar = records.exchange_program(), records.seminar()
        # "What does CLAIR stand for?" asks what the page does not give: said first, plainly.
        response = "utter_body_clair_full_name" if ASKS_FULL_NAME.search(turn.text) else "utter_body_clair"
        turn.say(response, seminar=seminar.name, seminar_held_in=seminar.held_in,
                 organiser=program.organiser, program=program.name, support=records.sister_city_support().intro)
    # What a follow-up ("what else does it do?") refers back to.
    turn.intent = TOPIC_OF[body.key]
    turn.remember()


TOPIC_OF = {"supporter": "jet_supporters", "repp_partner": "repp_organisers", "jetaa": "jetaa",
            "clair": "support_services"}
