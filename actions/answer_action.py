"""`action_answer`: one action for every knowledge question, dispatched on the intent, plus
follow-up fragments ("and in 2012?") that reuse the previous question's topic."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import affiliation_answers as aff
from actions.answer_guard import answer_or_apologise
from actions.answer_handlers import HANDLERS
from actions.bodies import answer_body, body_asked_about
from actions import jet_answers as jet
from actions import programme_answers as repp
from actions import support_answers as support
from actions.computed_answers import answer_affiliation_question, answer_programme_question, edition_participants
from actions.knowledge_access import knowledge_base
from actions.edition_partners import answer_edition_partners
from actions.followups import MAX_FOLLOWUP_WORDS, answer_followup, answer_regrouped, answer_relative_edition, is_followup
from actions.honesty import answer_gap, answered_pair_detail, find_gap
from actions.staff_answers import answered_by_staff
from actions.names import names_in_message
from actions.place_details import answer_place_region, ordinal_pick
from actions.several_questions import answer_other_questions
from actions.references import add_own_organisation, fill_from_context
from actions.question import (AFFILIATION_INTENTS, EDITION_CONTEXT, PROGRAMME, RELATION, affiliation_question,
                              asks_its_own_aggregate, programme_question)
from actions.turn import CONTEXT_SLOTS, Turn

ASKS_WHO_TAKES_PART = re.compile(
    r"\b(?:who|whom)\b.*\b(?:for|join|joins|joined|go|goes|went|take|took|takes|attend|attended|participate\w*|"
    r"eligible|part|in\s+it|on\s+it)\b|\bparticipants?\b|\bdelegat(?:es|ion)\b", re.IGNORECASE)
ASKS_AIMS = re.compile(r"\b(?:aims?|aiming|goals?|objectives?|purpose|trying to achieve|meant to)\b", re.IGNORECASE)
ASKS_ALUMNI = re.compile(r"\b(?:alumni|alumnus|former|ex-?jets?|after (?:jet|the program(?:me)?|their contract)|"
                         r"(?:return|go|come|get)(?:s|ed|ing)? (?:back )?home|once they (?:leave|finish|return))\b",
                         re.IGNORECASE)
ASKS_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
ASKS_WHEN = re.compile(r"\bwhen\b|\bwhich years?\b|\bwhat years?\b|\bhow many times\b", re.IGNORECASE)
ASKS_HOW_OFTEN = re.compile(r"\bhow often\b|\bhow frequently\b|\bfrequency\b|\bevery year\b|\bannual(?:ly)?\b",
                            re.IGNORECASE)
ASKS_PURPOSE = re.compile(r"\b(?:point|purpose|benefits?|gains?|get out of|what for|why (?:do|does|is|are|would))\b",
                          re.IGNORECASE)
ASKS_WHO_RUNS = re.compile(r"\b(?:team(?:s|ed)? up|work(?:s|ed)? (?:with|together)|partner(?:s|ed)? with|together with|"
                           r"collaborat\w*|co-?organi[sz]\w*|organi[sz]\w*|runs?|running|in charge)\b", re.IGNORECASE)
ASKS_WHAT_IS_DONE = re.compile(
    r"\b(?:what|how)\b.*\b(?:does|do|can|could|will)\b.*\b(?:do|help|support|offer|provide|assist)\b"
    r"|\b(?:help|support|services?|assistance)\b.*\b(?:with|for|in|on)\b.*\bsister", re.IGNORECASE)
JET_WORDS = re.compile(r"\bjets?\b|\b(?:cir|alt|sea)s?\b", re.IGNORECASE)  # "former JETs"
CITIES_ONLY_OR_IN = re.compile(r"^\W*(?:and\s+)?(?:what|which)\s+cit(?:y|ies)\b", re.IGNORECASE)
THERE = re.compile(r"\b(?:there|in that country|in it|that country)\b", re.IGNORECASE)
REFERS_BACK = re.compile(r"\b(?:that|those|these|them|it|they)\b", re.IGNORECASE)
# Handlers that, with nothing named, would ask which prefecture, year or position is meant.
NEEDS_A_NAME = {"sister_cities", "sister_city_count", "repp_edition", "repp_theme", "jet_position_detail"}
# Answers that name no place or year still become the topic a follow-up refers to
# ("where is it held?" after the seminar).
TOPIC_ONLY = {"seminar_about", "jet_about", "jet_supporters", "jet_positions", "jet_participation", "jetaa",
              "support_services", "contact_office", "repp_about", "repp_organisers", "repp_participants",
              "repp_cancelled", "repp_list", "list_as_of"}


def turn_for(tracker: Tracker, dispatcher: CollectingDispatcher) -> Turn:
    """The answer in the making for the tracker's latest message."""
    kb = knowledge_base()
    message = tracker.latest_message or {}
    context = {key: tracker.get_slot(slot) for key, slot in CONTEXT_SLOTS.items()}
    context["topic"] = tracker.get_slot("topic")
    names, text = names_in_message(kb, message), typed_text(tracker)
    add_own_organisation(kb, names, tracker.get_slot("organisation"), text)
    return Turn(kb=kb, names=names, dispatcher=dispatcher,
                intent=(message.get("intent") or {}).get("name") or "", context=context, text=text)


def typed_text(tracker: Tracker) -> str:
    """What the visitor typed; a `/intent{...}` shortcut has no words of its own."""
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text


def answered_by_understanding(turn: Turn, text: str, entities: Any) -> bool:
    """What the message's own words settle whatever the intent: a question the page does not
    answer, or one the list or the editions answer only by computing. True when it answered."""
    if answer_relative_edition(turn, text):  # before the gaps: "the next one" is no future edition
        return True
    if turn.intent == "repp_participants" and turn.context.get("year") and not turn.names.anything \
            and len(text.split()) <= MAX_PARTICIPANTS_FOLLOWUP_WORDS:
        edition_participants(turn, int(turn.context["year"]))  # "who took part?" after an edition: that one's
        return True
    gap = find_gap(turn, text)
    if answered_pair_detail(turn, text, gap):  # the gap, then whether the list has the pair
        return True
    if gap is not None:
        if not answered_by_staff(turn, text, gap.topic):  # what the page lacks, staff may have answered
            answer_gap(turn, gap, text)  # before any answer: a nearby fact must not pass for this one
        return True
    if ASKS_ALUMNI.search(text) and (JET_WORDS.search(text) or (turn.context.get("topic") or "").startswith("jet")):
        turn.intent = "jetaa"  # "what do they do after they go home?" after JET
        jet.jetaa(turn)
        turn.remember()
        return True
    if answer_place_region(turn, text):  # "which province is La Trinidad in?", "and the second?"
        return True
    if ASKS_SUPPORTERS.search(text) and not turn.names.anything and (
            JET_WORDS.search(text) or (turn.context.get("topic") or "").startswith("jet")):
        turn.intent = "jet_supporters"  # "which ministries support it?" after JET
        jet.jet_supporters(turn)
        turn.remember()
        return True
    if answer_ordinal(turn, text):  # "what does the last one do?" after the positions
        return True
    if answer_regrouped(turn, text):
        return True
    if answer_edition_partners(turn, text):  # "do any of the cities visited in 2010 have sister ties?"
        return True
    if _computed(turn, text, entities):
        return True
    body = body_asked_about(turn, text)
    if body is not None:
        answer_body(turn, body)
        return True
    if is_followup(turn, text):
        answer_followup(turn, text)
        return True
    if turn.intent in ("sister_cities", "sister_city_count") and not turn.names.anything \
            and ASKS_WHAT_IS_DONE.search(text):
        turn.intent = "support_services"  # "what does it do for sister cities?" asks about the help, not a list
        support.support_services(turn)
        turn.remember()
        return True
    return False


ASKS_SUPPORTERS = re.compile(r"\bministr(?:y|ies)\b.*\b(?:support|back|behind|involved|fund)|\b(?:who|which|anyone|anybody)\b.*"
                             r"\b(?:supports?|supporting|backs?|backing|is behind|are behind|implements?|implemented|funds?)\b",
                             re.IGNORECASE)
MAX_PARTICIPANTS_FOLLOWUP_WORDS = 5
ASKS_SEMINAR = re.compile(r"\bseminar\b", re.IGNORECASE)


def answer_one_question(turn: Turn, text: str) -> bool:
    """One question of a message that asks several, read from its own words only (NLU read the
    whole message as one intent). True when it answered."""
    names = turn.names
    if names.ambiguous or names.unknown:
        return False
    body = body_asked_about(turn, text)
    if body is not None:
        answer_body(turn, body)
    elif _computed(turn, text, None):
        pass
    elif names.first("position") and not names.years:
        jet.jet_position_detail(turn)  # "what does CIR stand for"
    elif ASKS_SUPPORTERS.search(text) and JET_WORDS.search(text):
        jet.jet_supporters(turn)  # "which ministries back the JET program"
    elif names.years and (PROGRAMME.search(text) or ASKS_WHERE.search(text)):
        repp.repp_edition(turn)  # "where was the 2014 program held"
    elif ASKS_SEMINAR.search(text) and not names.anything:
        repp.seminar_about(turn)  # "who hosts the cooperation seminar"
    elif any(names.found[k] for k in ("prefecture", "place", "country")) and RELATION.search(text):
        aff.sister_cities(turn)  # "who is Aichi paired with"
    else:
        return False
    return True


ORDINAL_TOPICS = {"sister_cities", "sister_city_count", "jet_positions"}


def answer_ordinal(turn: Turn, text: str) -> bool:
    """ "the second one?" after a list: that item, asked about as the list's kind. True when it answered."""
    if turn.context.get("topic") not in ORDINAL_TOPICS and not turn.context.get("results"):
        return False
    picked = ordinal_pick(turn, text)
    if picked is None or len(text.split()) > 8:
        return False
    item, kind = picked
    if kind == "position":
        turn.intent = "jet_position_detail"
        jet.jet_position_detail(turn, item)
    elif kind == "counterpart":
        turn.intent = "sister_cities"
        aff.answer_affiliations(turn, None, item, None)
    elif kind == "prefecture":
        turn.intent = "sister_cities"
        aff.answer_affiliations(turn, item, None, None)
    else:
        return False
    return True


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await answer_or_apologise(dispatcher, lambda attempt: answer_message(tracker, attempt))


def answer_message(tracker: Tracker, dispatcher: CollectingDispatcher) -> List[Dict[Text, Any]]:
    """Says the answer to the tracker's latest message; the events that remember what it was about."""
    turn = turn_for(tracker, dispatcher)
    entities = (tracker.latest_message or {}).get("entities")
    text = typed_text(tracker)
    answered = answered_by_understanding(turn, text, entities) or answer_intent(turn, text)
    answered = answer_other_questions(turn, text, answer_one_question) or answered
    if not answered:
        dispatcher.utter_message(response="utter_default")
        return []
    return turn.events()


def answer_intent(turn: Turn, text: str) -> bool:
    """Answers with the handler of the turn's intent. False when the intent has none."""
    if turn.intent == "list_as_of" and any(turn.names.found[k] for k in ("prefecture", "place", "country")):
        turn.intent = "sister_cities"  # "Is Brunei on the sister city list?" asks about Brunei
    names_a_side = any(turn.names.found[k] for k in ("prefecture", "place", "country"))
    if turn.intent.startswith("jet") and names_a_side and RELATION.search(text) and not JET_WORDS.search(text):
        turn.intent = "sister_cities"  # "... which Indian city is our partner according to your list?"
    elif turn.intent.startswith(("repp", "seminar")) and (turn.names.first("prefecture") or turn.names.first("place")) \
            and RELATION.search(text) and not PROGRAMME.search(text) and not turn.names.years:
        turn.intent = "sister_cities"  # "I work at Pune Municipal Corporation. Which prefecture is our sister city?"
    if turn.intent.startswith("jet") and ASKS_AIMS.search(text) and not turn.names.first("position"):
        turn.intent = "jet_about"  # "what is JET aiming for": its aims
    elif turn.intent.startswith("jet") and ASKS_ALUMNI.search(text):
        turn.intent = "jetaa"  # "what happens with JET people once they return home?"
    elif turn.intent in ("repp_about", "repp_participants", "repp_edition") and ASKS_PURPOSE.search(text) \
            and not turn.names.years:
        turn.intent = "repp_about"  # "what's the point of the mission for those who go": what they gain
    elif turn.intent.startswith("repp") and ASKS_HOW_OFTEN.search(text) and not turn.names.years:
        turn.intent = "repp_organisers"  # "how often is it held?": the line that says it is organised annually
    elif turn.intent in ("repp_about", "repp_participants") and ASKS_WHO_RUNS.search(text):
        turn.intent = "repp_organisers"  # "who does CLAIR Singapore team up with to run the REPP"
    elif turn.intent == "jetaa" and turn.names.first("position") and not ASKS_ALUMNI.search(text):
        turn.intent = "jet_position_detail"  # "what's SEA in JET (not southeast asia lol)"
    elif turn.intent in ("repp_edition", "repp_about", "repp_list") and ASKS_WHO_TAKES_PART.search(text):
        turn.intent = "repp_participants"  # "who was the 2012 program for?" asks who, of that edition
    if turn.intent in ("sister_cities", "sister_city_count") and not RELATION.search(text) and (
            turn.names.years or turn.context.get("topic") in EDITION_CONTEXT):
        turn.intent = "repp_edition"  # "In 2010 which Indian cities did the officials go to?": that edition
    if turn.intent in ("repp_fy2015", "repp_about", "repp_list") and not turn.names.years and turn.names.first("country") \
            and ASKS_WHEN.search(text):
        turn.intent = "repp_edition"  # "when did vietnam host the program?": every edition there, not FY2015's
    if turn.intent == "repp_fy2015" and turn.names.years and 2015 not in turn.names.years:
        turn.intent = "repp_edition"  # "where was the 2013 program held?" guessed as the FY2015 one
    handler = HANDLERS.get(turn.intent)
    if handler is None:
        return False
    if turn.intent in NEEDS_A_NAME:
        fill_from_context(turn)  # "does it have other partners?": the previous answer's prefecture
    if turn.intent == "jet_about" and turn.names.first("position") and not ASKS_AIMS.search(text):
        turn.intent, handler = "jet_position_detail", jet.jet_position_detail  # "what is a CIR in the JET program?"
    handler(turn)
    if turn.remembered is None and turn.intent in TOPIC_ONLY:
        turn.remember()
    return True


def _computed(turn: Turn, text: str, entities: Any) -> bool:
    """Answers a question the list or the editions support only by computing. True when it did."""
    if turn.names.ambiguous or turn.names.unknown:
        return False  # say what is wrong with the name first
    if not turn.names.anything and turn.context.get("topic") and REFERS_BACK.search(text):
        return False  # "how many prefectures is that?" counts the previous answer, not the whole list
    if turn.context.get("topic") in EDITION_CONTEXT and not RELATION.search(text) and not turn.names.years \
            and CITIES_ONLY_OR_IN.search(text):
        return False  # "what cities?", "which cities in Thailand?" after an edition: the editions
    intent = turn.intent
    if not turn.names.anything and THERE.search(text) and turn.context.get("country") and asks_its_own_aggregate(text):
        turn.names.add("country", turn.context["country"])  # "which prefecture has the most there?" after the Philippines
        intent = "sister_cities"
    if intent not in AFFILIATION_INTENTS and turn.context.get("topic") in AFFILIATION_INTENTS \
            and asks_its_own_aggregate(text) and len(text.split()) <= MAX_FOLLOWUP_WORDS:
        intent = "sister_cities"  # "so which country has the most?" after a count: about the list still
    question = affiliation_question(text, intent, turn.names, entities)
    if question is not None:
        turn.intent = "sister_cities"
        answer_affiliation_question(turn, question)
        return True
    edition_question = programme_question(text, turn.intent, turn.names, turn.context.get("topic"))
    if edition_question is not None:
        turn.intent = "repp_list"
        answer_programme_question(turn, edition_question)
        return True
    return False


def answer_named_thing(turn: Turn, text: str) -> bool:
    """A message that is little more than a known name ("Benguet", "fukouka?", "sister cities
    Albay") is a question about that name. True when it answered."""
    names = turn.names
    if names.ambiguous:
        turn.clarify(names.ambiguous[0], intent="sister_cities")
        return True
    if names.unknown or not names.anything:
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text.lower()) if w not in NAME_FILLER]
    if len(words) > 3 + sum(len(found) for found in names.found.values()) * 3:
        return False  # a sentence about something else that happens to name a place
    if PROGRAMME.search(text) and not RELATION.search(text) and not names.first("position"):
        turn.intent = "repp_edition"  # "when did vietnam host the program?": the editions there
        repp.repp_edition(turn)
    elif any(names.found[kind] for kind in ("prefecture", "place", "country")):
        turn.intent = "sister_cities"
        aff.sister_cities(turn)
    elif names.first("position"):
        turn.intent = "jet_position_detail"
        jet.jet_position_detail(turn)
    else:
        turn.intent = "repp_edition"
        repp.repp_edition(turn)
    return True


# Words around a bare name that do not change what is asked ("what about Benguet?").
NAME_FILLER = frozenset("""what about and how the of in is there any anything for info information tell me
please sister city cities partner partners twin twinned affiliation affiliations japan japanese fy""".split())
