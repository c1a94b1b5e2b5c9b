"""Follow-ups that refer back to the previous answer: "which of those are in Thailand?", "does
either of them also have one in India?", "how many is that?", "how long was it?", "where is it
held?", corrections ("sorry, I meant Osaka", "no, Indonesia") and "what about Shizuoka?".

The previous answer left its topic and context in slots (actions/turn.py CONTEXT_SLOTS); a
follow-up changes one detail of it, or asks about the things it listed.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from actions import affiliation_answers as aff
from actions import jet_answers as jet
from actions import programme_answers as repp
from actions import support_answers as support
from actions.bodies import answer_body, answer_body_details, mentioned_body
from actions.honesty import answer_gap
from actions.references import SINGULAR, fill_from_context
from actions.computed_answers import (answer_affiliation_question, answer_programme_question, edition_length,
                                      edition_participants, group_line, grouping_word)
from actions.question import (FEWEST, MOST, PARTICIPANT_COUNT, RELATION, AffiliationQuestion, ProgrammeQuestion,
                              asks_its_own_aggregate, grouping_of)
from actions.turn import Turn, joined, lines, plural
from knowledge.affiliation_query import GROUP_KEYS, AffiliationQuery
from knowledge.query import KnowledgeBase

REFERS_TO_RESULTS = re.compile(r"\b(those|these|them|they|either|neither|any of them|each of them|which of)\b", re.I)
CORRECTION = re.compile(r"^\W*(sorry|no|nope|oops|actually|i meant|i mean|not|what about|how about|and|same for"
                        r"|ok and|okay and|then)\b|\bi meant\b", re.I)
THERE = re.compile(r"\b(there|that country|in it)\b", re.I)
HOW_MANY = re.compile(r"\b(how many|how much|count|total|number)\b", re.I)
HOW_LONG = re.compile(r"\b(how long|how many days|duration|length|lasted?)\b", re.I)
WHERE = re.compile(r"\bwhere\b", re.I)
WHEN = re.compile(r"\b(?:when|which month|what month|what dates?|which dates?)\b", re.I)
EDITION_TOPICS = ("repp_edition", "repp_theme", "repp_first", "repp_fy2015", "repp_list", "repp_edition_length",
                  "repp_edition_participants", "repp_cancelled")
# "does it have any others?": the rest of the prefecture's affiliations
OTHERS = re.compile(r"\b(?:others?|what else|any more|anything else|elsewhere|anywhere else|outside)\b", re.I)
# "what kind of help exactly?" after the support
WHAT_KIND = re.compile(r"\b(?:what|which) (?:kind|sort|type)s?\b|\bhow exactly\b|\bwhat help\b|\bin what way", re.I)
CITIES_ONLY = re.compile(r"^\W*(?:and\s+)?(?:what|which)\s+cit(?:y|ies)(?:\s+(?:exactly|then|precisely|are they|"
                         r"are those|were they|please))?\W*$", re.I)
LIST_TOPICS = ("sister_cities", "sister_city_count")
SHARES = re.compile(r"\b(?:share[sd]?|sharing|in common|who else|anyone else|anybody else)\b", re.I)
MAX_FOLLOWUP_WORDS = 12  # longer messages are questions of their own
# "and the year before?", "the next one?", "what about the following year": the edition next to
# the one just answered ("last year" means the calendar, so it is not one of these).
RELATIVE_EDITION = re.compile(
    r"\b(?:year|one|edition|program(?:me)?|mission)\s+(?P<after1>after|later)\b"
    r"|\b(?:year|one|edition|program(?:me)?|mission)\s+(?:before|earlier|prior)\b"
    r"|\b(?P<after2>next|following|subsequent)\s+(?:year|one|edition|program(?:me)?|mission)\b"
    r"|\b(?:previous|preceding|prior|earlier)\s+(?:year|one|edition|program(?:me)?|mission)\b", re.I)
MAX_RELATIVE_WORDS = 8
POSITION_TOPICS = ("jet_positions", "jet_position_detail")
OTHER_POSITIONS = re.compile(r"\b(?:other|rest|remaining|all)\b.*\b(?:positions?|ones?|roles?|two)\b|\bthe others\b", re.I)
# "what other partners does that prefecture have?": the one prefecture of the previous answer.
THAT_PREFECTURE = re.compile(r"\b(?:that|this|the same)\s+(?:prefecture|japanese side|local government)\b", re.I)
TOOK_PART = re.compile(r"\bhow many (?:people |ppl |participants |delegates |officials )?(?:took part|went|joined|"
                       r"participated|attended|were there|came)\b", re.I)
WHO_TAKES_PART = re.compile(r"\bwho\b.*\b(?:takes?|took|part|attends?|goes|went|joins?|joined|comes?|came|"
                            r"participates?|participated)\b|\bwho\s+(?:were|are)\s+(?:they|the\s+\w+)\b"
                            r"|\bparticipants?\b", re.I)
# "what was it called?", "its title?": the edition just answered.
TITLE = re.compile(r"\b(called|title|titled|name|named|theme)\b", re.I)


def is_followup(turn: Turn, text: str) -> bool:
    """A message that leans on the previous answer (whatever intent NLU gave it)."""
    if turn.intent == "followup":
        return True
    if not turn.context.get("topic") or not text or len(text.split()) > MAX_FOLLOWUP_WORDS:
        return False
    if _previous_results(turn.context, turn.kb)[0] and REFERS_TO_RESULTS.search(text):
        return True
    if THAT_PREFECTURE.search(text) and not turn.names.anything and _prefecture_meant(turn):
        return True
    if turn.context.get("topic") == "seminar_about" and WHO_TAKES_PART.search(text) and not turn.names.anything:
        return True
    if (turn.context.get("topic") or "").startswith("repp") and WHO_TAKES_PART.search(text) and not turn.names.anything:
        return True  # "and who goes on it?" after the programme's organisers
    if turn.context.get("year") and TOOK_PART.search(text) and not turn.names.anything:
        return True  # "how many took part?" after an edition
    if turn.context.get("year") and CITIES_ONLY.search(text):
        return True  # "what cities?" after an edition
    if turn.context.get("topic") in LIST_TOPICS and CITIES_ONLY.search(text) and _listed_side(turn.context):
        return True  # "which cities exactly?" after the prefectures with partners in Vietnam
    if turn.context.get("topic") in LIST_TOPICS and SHARES.search(text) and not turn.names.anything \
            and _single_counterpart(turn):
        return True
    if turn.context.get("prefecture") and OTHERS.search(text) and not turn.names.anything:
        return True
    if turn.context.get("topic") == "support_services" and WHAT_KIND.search(text) and not turn.names.anything:
        return True
    if turn.context.get("topic") in POSITION_TOPICS and not turn.names.anything and OTHER_POSITIONS.search(text):
        return True
    if turn.context.get("topic") in POSITION_TOPICS and not turn.names.anything and jet.position_by_word(turn, True):
        return True  # "which one is about teaching?" after the positions
    if CORRECTION.search(text) and turn.names.anything:
        return True
    bare = not turn.names.anything and turn.intent != "list_as_of"  # "as of when is that list" is no follow-up
    return bare and bool(re.search(r"\b(it|that|there|they)\b", text, re.I)) and bool(
        HOW_LONG.search(text) or WHERE.search(text) or WHEN.search(text) or HOW_MANY.search(text)
        or (TITLE.search(text) and turn.context.get("year")))


def answer_relative_edition(turn: Turn, text: str) -> bool:
    """ "And the year before?" after an edition: the edition before or after it. True when answered."""
    year = turn.context.get("year")
    match = RELATIVE_EDITION.search(text or "")
    if not year or not match or turn.names.years or len(text.split()) > MAX_RELATIVE_WORDS:
        return False
    after = bool(match.group("after1") or match.group("after2"))
    years = sorted({e.fiscal_year for e in turn.kb.editions()})
    neighbours = [y for y in years if y > int(year)] if after else [y for y in years if y < int(year)]
    if not neighbours:  # nothing after the latest or before the first: say which one that is
        answer_programme_question(turn, ProgrammeQuestion("latest" if after else "first"))
        return True
    turn.intent = "repp_edition"
    repp.repp_edition(turn, years=[neighbours[0] if after else neighbours[-1]])
    return True


def answer_followup(turn: Turn, text: str) -> None:
    context, names = turn.context, turn.names
    topic = context.get("topic")
    if context.get("year") and (TOOK_PART.search(text) or PARTICIPANT_COUNT.search(text)) and not names.anything \
            and topic != "seminar_about":
        edition_participants(turn, int(context["year"]))
    elif context.get("year") and CITIES_ONLY.search(text):
        turn.intent = "repp_edition"
        repp.repp_edition(turn, years=[int(context["year"])])
    elif topic in LIST_TOPICS and CITIES_ONLY.search(text) and (side := _listed_side(context)):
        turn.intent = "sister_cities"
        aff.answer_affiliations(turn, *side)
    elif topic in LIST_TOPICS and SHARES.search(text) and not names.anything and _single_counterpart(turn):
        turn.intent = "sister_cities"  # "does any other prefecture share that one?" after Chiba's Thai partner
        aff.answer_affiliations(turn, None, _single_counterpart(turn), None)
    elif context.get("prefecture") and OTHERS.search(text) and not names.anything:
        turn.intent = "sister_cities"
        aff.answer_affiliations(turn, context["prefecture"], None, None)
    elif topic == "support_services" and WHAT_KIND.search(text) and not names.anything:
        turn.intent = "support_services"
        support.support_services(turn)
        turn.remember()
    elif topic in POSITION_TOPICS and not names.anything and OTHER_POSITIONS.search(text):
        turn.intent = "jet_positions"  # "and the other two positions?"
        jet.jet_positions(turn)
        turn.remember()
    elif topic in POSITION_TOPICS and not names.anything and jet.position_by_word(turn, True):
        turn.intent = "jet_position_detail"
        jet.jet_position_detail(turn, jet.position_by_word(turn, True))
    elif topic == "seminar_about" and WHO_TAKES_PART.search(text) and not names.anything:
        turn.intent = "seminar_about"  # "and who takes part?": whom the seminar brings together
        repp.seminar_about(turn)
        turn.remember()
    elif THAT_PREFECTURE.search(text) and not names.anything and _prefecture_meant(turn):
        turn.intent = "sister_cities"
        aff.answer_affiliations(turn, _prefecture_meant(turn), None, None)
    elif _previous_results(context, turn.kb)[0] and REFERS_TO_RESULTS.search(text):
        _about_results(turn, text)
    elif not names.anything and HOW_LONG.search(text) and context.get("year"):
        edition_length(turn, int(context["year"]))
    elif not names.anything and WHEN.search(text) and context.get("year") and _has_period(turn, int(context["year"])):
        edition_length(turn, int(context["year"]))  # "which month?" after FY2015: its dates, with its length
    elif not names.anything and WHERE.search(text) and topic == "seminar_about":
        turn.intent = "seminar_about"
        turn.remember()
        seminar = turn.records.seminar()
        turn.say("utter_seminar_where", name=seminar.name, held_in=seminar.held_in, lecture_city=seminar.lecture_city)
    elif not names.anything and (WHERE.search(text) or WHEN.search(text) or TITLE.search(text)) \
            and context.get("year"):
        turn.intent = "repp_edition"
        repp.repp_edition(turn, years=[int(context["year"])])
    elif not names.anything and HOW_MANY.search(text) and topic == "sister_cities" and context.get("place") \
            and len(context.get("results") or []) == 1 and SINGULAR.search(text):
        fill_from_context(turn)  # "how many does it have in total?" after "which prefecture is paired with Ipoh?"
        turn.intent = "sister_city_count"
        aff.sister_city_count(turn)
    elif not names.anything and HOW_MANY.search(text) and topic in ("sister_cities", "sister_city_count"):
        turn.intent = "sister_city_count"
        _count_previous(turn, grouping_of(text))
    else:
        _changed_detail(turn)


def _single_counterpart(turn: Turn) -> Optional[str]:
    """The one counterpart the previous answer named, if it named exactly one."""
    context = turn.context
    if context.get("place"):
        return context["place"]
    if not context.get("prefecture"):
        return None
    # After Chiba's Thai partner, or after Hokkaido's only one ("who else has it as a partner?")
    countries = (context["country"],) if context.get("country") else ()
    found = turn.kb.query_affiliations(AffiliationQuery(prefectures=(context["prefecture"],),
                                                        countries=countries)).affiliations
    places = {a.counterpart for a in found}
    return places.pop() if len(places) == 1 else None


def _listed_side(context) -> Optional[tuple]:
    """The prefecture, place and country the previous list was about, if it named any."""
    side = (context.get("prefecture"), context.get("place"), context.get("country"))
    return side if any(side) else None


def _has_period(turn: Turn, year: int) -> bool:
    details = turn.kb.edition_details(year)
    return bool(details is not None and details.period)


def _prefecture_meant(turn: Turn) -> Optional[str]:
    """The one prefecture the previous answer was about, or named (one country's single affiliation)."""
    context = turn.context
    if context.get("prefecture"):
        return context["prefecture"]
    if context.get("country") or context.get("place"):
        found = turn.kb.query_affiliations(AffiliationQuery(
            countries=(context["country"],) if context.get("country") else (),
            places=(context["place"],) if context.get("place") else ())).affiliations
        prefectures = {a.prefecture for a in found}
        return prefectures.pop() if len(prefectures) == 1 else None
    return None


def _previous_results(context, kb: KnowledgeBase) -> tuple:
    """What "those" refers to: the groups the previous answer listed or, after a single
    prefecture's, counterpart's or country's affiliations, that one."""
    if context.get("results"):
        return list(context["results"]), context.get("grouping") or "prefecture"
    if context.get("place") and not context.get("prefecture") and context.get("topic") in LIST_TOPICS:
        # After Manila's affiliations, "which of these" are the Japanese sides it listed.
        found = kb.query_affiliations(AffiliationQuery(places=(context["place"],))).affiliations
        if found:
            return list(dict.fromkeys(a.prefecture for a in found)), "prefecture"
    for key, grouping in (("prefecture", "prefecture"), ("place", "counterpart"), ("country", "country")):
        if context.get(key) and context.get("topic") in ("sister_cities", "sister_city_count"):
            return [context[key]], grouping
    return [], "prefecture"


def answer_regrouped(turn: Turn, text: str) -> bool:
    """ "And which countries?" after "which prefecture has the most?": the same aggregate by
    another grouping. True when it answered."""
    measure = turn.context.get("measure")
    if not measure or measure == "covers_all_countries" or turn.names.anything or not text \
            or len(text.split()) > MAX_FOLLOWUP_WORDS or asks_its_own_aggregate(text):
        return False
    grouping = grouping_of(text)
    if not grouping or grouping == turn.context.get("grouping"):
        return False
    turn.intent = "sister_cities"
    if measure == "distinct":
        answer_affiliation_question(turn, AffiliationQuestion(AffiliationQuery(group_by=grouping), "distinct"))
    else:
        measure, _, size = measure.partition(":")  # "exactly:2"
        query = AffiliationQuery(group_by=grouping, measure=measure, size=int(size) if size.isdigit() else 1)
        answer_affiliation_question(turn, AffiliationQuestion(query, "list"))
    return True


def _about_results(turn: Turn, text: str) -> None:
    """The things the previous answer listed, filtered by what this message names, or counted."""
    context, names = turn.context, turn.names
    results, grouping = _previous_results(context, turn.kb)
    if grouping == "country" and set(names.found["country"]) - set(results):
        # "does either of them also have one in Indonesia?" after Vietnam's: its Japanese sides
        found = turn.kb.query_affiliations(AffiliationQuery(countries=tuple(results))).affiliations
        results, grouping = list(dict.fromkeys(a.prefecture for a in found)), "prefecture"
    filters = {"prefecture": "prefectures", "counterpart": "places", "country": "countries"}
    # Any: AffiliationQuery's filter keywords (tuples of names), passed on as **listed and **narrowing.
    listed: Dict[str, Any] = {filters[grouping]: tuple(results)}
    query = AffiliationQuery(**listed, group_by=grouping)
    narrowing: Dict[str, Any] = {"prefectures": tuple(names.found["prefecture"]), "countries": tuple(names.found["country"]),
                 "places": tuple(names.found["place"])}
    narrowing[filters[grouping]] = tuple(results)
    if grouping == "country":  # the listed countries, down to the one named
        narrowing["countries"] = tuple(c for c in results if c in names.found["country"]) or tuple(results)
    elif grouping == "counterpart":
        narrowing["places"] = tuple(results)
    turn.intent = "sister_cities"
    measure = "most" if MOST.search(text) else "fewest" if FEWEST.search(text) else None
    if measure:
        # "which of them has the most there?": among those, in the country just asked about; after
        # one country's affiliations, "them" are its Japanese prefectures.
        if grouping == "country":
            narrowing, grouping = {**narrowing, "countries": tuple(results)}, "prefecture"
        elif not narrowing["countries"] and context.get("country") and THERE.search(text):
            narrowing["countries"] = (context["country"],)
        answer_affiliation_question(turn, AffiliationQuestion(AffiliationQuery(**narrowing, group_by=grouping,
                                                                               measure=measure), "list"))
        return
    narrowed = AffiliationQuery(**narrowing, group_by=grouping)
    scope = names.found["country"] + names.found["place"] + names.found["prefecture"]
    if not scope:
        result = turn.kb.query_affiliations(query)
        turn.remember(results=results, grouping=grouping)
        if result.groups and not HOW_MANY.search(text):
            # "which cities are they paired with?", "can you list them": what they are, not how many
            turn.say("utter_those_listed", lines=lines([group_line(g, grouping) for g in result.groups]),
                     **turn.source_values())
            return
        turn.say("utter_of_those_count", groups=plural(len(result.groups), *_words(grouping)),
                 names=joined(results), affiliations=plural(len(result.affiliations), "sister-city affiliation",
                                                            "sister-city affiliations"),
                 **turn.source_values())
        return
    result = turn.kb.query_affiliations(narrowed)
    turn.remember(results=[g.name for g in result.groups] or results, grouping=grouping,
                  country=names.first("country"), place=names.first("place"))
    if result.groups:
        turn.say("utter_of_those", scope=joined(scope), lines=lines([group_line(g, grouping) for g in result.groups]),
                 **turn.source_values())
    else:
        turn.say("utter_of_those_none", names=joined(results), scope=joined(scope), **turn.source_values())


def _words(grouping: str):
    return grouping_word(grouping, 1), grouping_word(grouping, 2)


def _count_previous(turn: Turn, counted: Optional[str] = None) -> None:
    """ "How many is that?": the affiliations the previous answer was about; "how many prefectures
    is that?" (`counted`): the prefectures (counterparts, countries) among them."""
    context = turn.context
    prefecture, place, country = context.get("prefecture"), context.get("place"), context.get("country")
    results, grouping = list(context.get("results") or []), context.get("grouping") or "prefecture"
    prefectures = tuple(results) if results and grouping == "prefecture" else (prefecture,) if prefecture else ()
    places = tuple(results) if results and grouping == "counterpart" else (place,) if place else ()
    countries = tuple(results) if results and grouping == "country" else (country,) if country else ()
    found = turn.kb.query_affiliations(AffiliationQuery(prefectures=prefectures, places=places,
                                                        countries=countries)).affiliations
    sides, partners = joined(list(prefectures + places)), joined(list(countries))
    what = (f"{sides} with {partners}" if sides and partners else sides or partners) or "The whole list"
    turn.remember(prefecture=prefecture, place=place, country=country, results=results or None,
                  grouping=context.get("grouping"))
    affiliations = plural(len(found), "sister-city affiliation", "sister-city affiliations")
    if counted:
        groups = list(dict.fromkeys(GROUP_KEYS[counted](a) for a in found))
        turn.say("utter_count_previous_groups", what=what, affiliations=affiliations,
                 groups=plural(len(groups), *_words(counted)), names=joined(groups), **turn.source_values())
        return
    turn.say("utter_count_previous", what=what, affiliations=affiliations, **turn.source_values())


def _participation_in(turn: Turn, years: List[int]) -> None:
    """ "And in 2012?" after JET's participation figure: the page gives figures for some years only."""
    turn.intent = "jet_participation"
    turn.remember()
    if {f.fiscal_year for f in turn.kb.jet_participation()} >= set(years):
        jet.jet_participation(turn)
        return
    gap = next((g for g in turn.kb.page_gaps() if g.related == "jet_participation" and g.topic == "jet_numbers"), None)
    if gap is not None:
        answer_gap(turn, gap)
    else:
        jet.jet_participation(turn)


def _changed_detail(turn: Turn) -> None:
    """Answers a fragment by changing one detail of the previous question."""
    names, context = turn.names, turn.context
    topic = context.get("topic")
    named = names.anything
    fill_from_context(turn)  # "which cities did they visit?": the previous answer's country
    if topic == "jet_supporters" and (body := mentioned_body(turn, turn.text)):
        answer_body(turn, body)  # "which one of them deals with foreign affairs?"
    elif (topic or "").startswith("repp") and not named and WHO_TAKES_PART.search(turn.text):
        turn.intent = "repp_participants"  # "and who goes on these missions?"
        repp.repp_participants(turn)
    elif names.years and topic == "jet_participation":
        _participation_in(turn, names.years)
    elif names.years and (topic or "").startswith("jet") and (HOW_MANY.search(turn.text) or TOOK_PART.search(turn.text)):
        _participation_in(turn, names.years)  # "and how many from ASEAN and India joined in FY2011?"
    elif len(names.years) == 1 and topic == "repp_edition_length" and not WHERE.search(turn.text):
        edition_length(turn, names.years[0])  # "how about the 2015 one?" after "how long was it?"
    elif len(names.years) == 1 and topic == "repp_edition_participants" and not WHERE.search(turn.text):
        edition_participants(turn, names.years[0])
    elif names.years and topic in ("repp_edition", "repp_theme", "repp_first", "repp_fy2015", "repp_edition_length",
                                   "repp_edition_participants"):
        turn.intent = "repp_theme" if topic == "repp_theme" else "repp_edition"  # "and 2013's, where was that?"
        (repp.repp_theme if topic == "repp_theme" else repp.repp_edition)(turn)
    elif names.first("position"):
        turn.intent = "jet_position_detail"
        jet.jet_position_detail(turn)
    elif any(names.found[k] for k in ("prefecture", "place", "country")):
        _changed_affiliation(turn, topic)
    elif names.years:
        turn.intent = "repp_edition"
        repp.repp_edition(turn)
    elif body := mentioned_body(turn, turn.text):
        answer_body_details(turn, body)  # "what courses does JIAM run?"
    elif not aff.answer_names_problem(turn):
        turn.say("utter_default")


def _changed_affiliation(turn: Turn, topic: Optional[str]) -> None:
    names, context = turn.names, turn.context
    if topic == "repp_edition_count" and names.first("country"):
        answer_programme_question(turn, ProgrammeQuestion("count", names.first("country")))
        return
    if topic in EDITION_TOPICS and (names.first("country") or names.first("place")) and not RELATION.search(turn.text):
        # "and Malaysia?" after an edition; "is pune also a sister city of some pref?" asks the list
        turn.intent = "repp_edition"
        repp.repp_edition(turn, years=[])
        return
    if topic == "sister_city_count":
        turn.intent = "sister_city_count"
        aff.sister_city_count(turn)
        return
    turn.intent = "sister_cities"
    new = {kind: names.first(kind) for kind in ("prefecture", "place", "country")}
    previous = {kind: context.get(kind) for kind in ("prefecture", "place", "country")}
    # "Does Tokyo have one in Indonesia?" then "and in Thailand?": keep the side not replaced.
    if previous["prefecture"] and previous["country"] and not new["place"]:
        kept = {kind: new[kind] or previous[kind] for kind in new}
        # "what about Shizuoka?": none there is said with all of Shizuoka's affiliations.
        aff.answer_affiliations(turn, kept["prefecture"], None, kept["country"])
        return
    aff.answer_affiliations(turn, new["prefecture"], new["place"], new["country"])
