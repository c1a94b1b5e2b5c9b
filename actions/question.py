"""What a message asks, as a structured question: the words that say "most", "both", "compare",
"how many prefectures" or "list them all" turn the intent and the resolved names into one
AffiliationQuery (knowledge/affiliation_query.py) or one question about the programme's editions.

The intent says the topic; these cues say the shape. They are read from the message itself, so
a question DIET has not seen phrased that way still gets the computation it asks for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from actions.names import MessageNames
from knowledge.affiliation_query import AffiliationQuery


def _cue(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


MOST = _cue(r"\b(the )?(most|highest|largest|greatest|biggest|maximum|top)\b")
FEWEST = _cue(r"\b(fewest|least|lowest|smallest|minimum)\b")
MORE_THAN_ONE = _cue(r"\b(more than (one|1|a single|once)|multiple|several|two or more|2 or more|at least (two|2)"
                     r"|over one)\b")
EXACTLY = _cue(r"\b(just|only|exactly|precisely|solely) (?P<size>one|1|a single|two|2|three|3|four|4)\b"
              r"|\bonly a single\b|\bjust the one\b")
FIRST_AND_LATEST = _cue(r"\b(first|earliest|oldest)\b.*\b(and|or|&)\b.*\b(latest|most recent|last|newest)\b"
                        r"|\b(latest|most recent|last|newest)\b.*\b(and|or|&)\b.*\b(first|earliest|oldest)\b")
COUNTRY_WORDS = _cue(r"\bcountr(y|ies)\b")
YEAR_WORDS = _cue(r"\b(years?|editions?|programs?|programmes?|when)\b")
ONLY = _cue(r"\b(only|exclusively|solely)\s+(have|has|had|got|with|in)\b|\b(have|has)\s+(only|exclusively|solely)\b"
           r"(?!\s+(one|1|a single|two|2|three|3)\b)")
SIZES = {"one": 1, "1": 1, "a single": 1, "two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
COMPARE = _cue(r"\b(compare[sd]?|comparison|versus|vs\.?|difference|which (one |\w+ )?(has|have) more|who has more"
               r"|more than|fewer than|as many|more( \w+){1,5} than|fewer( \w+){1,5} than)\b"
               r"|\bmore\b[^?]*\bor\b|\bor\b[^?]*\bmore\b")  # "more sister-city links: India or Thailand?"
HOW_MANY = _cue(r"\b(how many|number of|count|total|in total|altogether)\b")
WHOLE_LIST = _cue(r"\b(all|every|everything|whole|full|complete|entire|each)\b|\blist (of )?(the )?(sister|affiliat|partner)"
                  r"|\bshow (me )?(the )?(whole |full )?list\b")
WHICH_GROUPS = _cue(r"^\W*(what|which|list( the)?|name( the)?)\s+(\w+\s+)?(prefectures|countries|counterparts|cities|nations)\b")
DISTINCT = _cue(r"\b(different|distinct|unique|separate)\b")
EITHER = _cue(r"\b(or|either)\b")
# Affiliation words that name the relation, not a grouping ("sister cities" are affiliations).
RELATION = _cue(r"\b(sister|twin|twinn|affiliat|partner|friend|counterpart|paired|linked|relation|tie)|\bthe list\b")
RELATION_PHRASES = _cue(r"\b(sister|twin|partner|friendship|friendly|affiliated)[- ]?(cit(y|ies)|towns?)\b")
GROUP_WORDS = (
    ("prefecture", _cue(r"\b(prefectures?|local governments?|japanese (side|places|regions|governments?|cit(y|ies))"
                        r"|(cit(y|ies)|towns?|places?) in japan)\b")),
    ("country", _cue(r"\b(countr(y|ies)|nations?)\b")),
    ("counterpart", _cue(r"\b(counterparts?|cit(y|ies)|towns?|municipalit(y|ies)|places?|provinces?)\b")),
)
# Editions of the Regional Exchange Promotion Program.
PROGRAMME = _cue(r"\b(program(me)?s?|editions?|missions?|repp|exchange promotion|study missions?|held|hosted?)\b")
LATEST = _cue(r"\b(latest|most recent|last|newest|recent|current|final)\b")
FIRST = _cue(r"\b(first|earliest|oldest|inaugural|start(ed)?|began|begin|beginning)\b")
PARTICIPANT_COUNT = _cue(r"\bhow many (people|ppl|participants|delegates|officials|members|persons)\b"
                         r"|\b(number|no\.?) of (people|participants|delegates|officials)\b"
                         r"|\bhow many (took part|joined|went)\b")
HOW_OFTEN_HELD = _cue(r"\bhow (often|frequently)\b.*\b(held|organi[sz]ed|run|take place|takes place|happen|happens|occur)\b")
EDITION_LENGTH = _cue(r"\bhow long\b|\bhow many days\b|\bduration\b|\bnumber of days\b"
                      r"|\b(which|what) month\b|\bwhen exactly\b")  # the page gives month and length together
HOW_MANY_EDITIONS = _cue(r"\bhow many (times|editions|programs|programmes|missions|years)\b|\bhow often\b"
                         r"|\bnumber of (times|editions|programs|programmes|missions)\b")
# "how many editions actually took place", "how many were held": editions, not participants.
HOW_MANY_TOOK_PLACE = _cue(r"\bhow many\b(?!\s+(people|participants|delegates|officials))(\s+[\w-]+){0,8}?\s+"
                           r"(took place|were (actually )?held|went ahead|happened|have (actually )?been held|were run|(have |has )?"
                           r"(actually )?(taken place|gone ahead|happened|been run))\b")
PER_COUNTRY = _cue(r"\b(each|every|per|by) (host )?country\b|\bwhich countr(y|ies)\b.*\b(years?|when)\b"
                   r"|\b(years?|when)\b.*\bwhich countr(y|ies)\b")

# "Which country hosted the program most often?": the host countries, counted.
HOW_MANY_COUNTRIES = _cue(r"\b(how many|number of)\s+(different\s+|distinct\s+|separate\s+)?(countries|nations|host countries)\b")
HOSTS = _cue(r"\b(countr(y|ies)|nations?|host(s|ed|ing)?|went|visited|destinations?)\b")

# "Which city has the programme visited more than once?"
MORE_THAN_ONCE = _cue(r"\b(more than once|twice|repeat(ed(ly)?)?|several times|multiple times|revisit(ed)?)\b")
VISITED = _cue(r"\b(visit(ed|s)?|revisit(ed)?|went|go(ne)?|been|host(ed|s)?|held|travel(l?ed)?|destinations?)\b")
CITY_WORDS = _cue(r"\b(cit(y|ies)|towns?|places?)\b")

# "who hosted the year before Malaysia?", "what came right after the cancelled India edition?", "the year
# following the 2011 India program": the edition next to another one.
ADJACENT = _cue(r"\b(?P<direction>before|after|following|preceding|prior to|previous to|succeeding)\s+(?:the\s+|that\s+)?"
                r"(?!(?:it|they|that|this|then|we|you)\b)(?=(?:[\w-]+\s+)?(?:fy\s?\d{2,4}|\d{4}|cancel\w*|[A-Z]\w+))")
SEVERAL_COUNTRIES = _cue(r"\b(two|2|several|multiple|both) (host )?countries\b|\bat once\b|\bat the same time\b")
ASKS_PLACES = _cue(r"\b(where|(which|what) (cit(y|ies)|places?|countr(y|ies))|cities)\b")
ASKS_WHICH = _cue(r"\b(which|what|who|where|when)\b")
CANCELLED_WORDS = _cue(r"\bcancel(?:l?ed|lation)?\b")
# "only have a single sister city", "just one partner": a group size.
ONLY_SIZE = _cue(r"\b(only|just|solely)\s+(have|has|had|got|with)\s+(?P<size>one|1|a single|two|2|three|3|four|4)\b")

# With a year, words that can only mean an edition ("In 2010 which cities did the officials go to?").
EDITION_WORDS = _cue(r"\b(participants?|delegat\w*|officials|went|go|visit(ed|s)?|travel\w*|host(s|ed)?|mission|trip|held|"
                     r"take place|took place)\b")

GENERIC_PROGRAMME_INTENTS = {"repp_about", "repp_list", "repp_organisers", "repp_first", "repp_cancelled"}
AFFILIATION_INTENTS = {"sister_cities", "sister_city_count", "list_as_of"}
PROGRAMME_INTENTS = {"repp_about", "repp_edition", "repp_list", "repp_first", "repp_cancelled", "repp_theme",
                     "repp_organisers", "repp_fy2015"}


@dataclass(frozen=True)
class AffiliationQuestion:
    """ask: "list" (the affiliations or groups), "count" (how many affiliations), "distinct"
    (how many prefectures/counterparts/countries), "compare" (two or more named sides), "whole_list"
    (every affiliation, paged)."""

    query: AffiliationQuery
    ask: str
    compared: Tuple[str, ...] = ()
    page: int = 1


@dataclass(frozen=True)
class ProgrammeQuestion:
    """ask: "edition" (the years named), "participants" / "length" (of one year's edition), "latest",
    "first", "count" (how many editions, optionally in one country), "by_country", "most_hosted" /
    "fewest_hosted" (the host countries with the most or fewest editions), "repeat_cities" /
    "repeat_countries" (visited by more than one edition that went ahead)."""

    ask: str
    country: Optional[str] = None
    year: Optional[int] = None
    between: Tuple[int, ...] = ()  # "how many took place between FY2007 and FY2012": first and last year
    after: bool = True  # with ask="adjacent": the edition after (or before) the anchor
    cancelled: bool = False  # with ask="adjacent": the anchor is the cancelled edition


def grouping_of(text: str) -> Optional[str]:
    """The grouping the question is about: the first grouping word that is not part of a relation
    phrase ("sister cities" names the relation; "which cities" names counterparts)."""
    cleaned = RELATION_PHRASES.sub(" ", text)
    found = [(m.start(), -len(m.group()), kind) for kind, pattern in GROUP_WORDS for m in [pattern.search(cleaned)] if m]
    return min(found)[2] if found else None  # the longest at the first place: "cities in Japan" are prefectures


def _page(entities) -> int:
    for entity in entities or []:
        if isinstance(entity, dict) and entity.get("entity") == "list_page":
            value = str(entity.get("value", ""))
            if value.isdigit() and 0 < int(value) < 100:
                return int(value)
    return 1


def affiliation_question(text: str, intent: str, names: MessageNames, entities=None) -> Optional[AffiliationQuestion]:
    """The computed question in the message, or None when it is a plain lookup the intent's own
    handler answers (which runs the same query layer)."""
    if intent not in AFFILIATION_INTENTS and not RELATION.search(text):
        return None
    prefectures = tuple(names.found["prefecture"])
    places = tuple(names.found["place"])
    countries = tuple(names.found["country"])
    grouping = grouping_of(text)
    # Any: the filters are AffiliationQuery's keyword arguments (tuples of names), passed on as **filters.
    filters: Dict[str, Any] = dict(prefectures=prefectures, places=places, countries=countries)

    if FEWEST.search(text) or MOST.search(text):
        set_aside = tuple(c for c in countries if _set_aside(text, c))
        if set_aside:
            # "After the Philippines, which country has the most?": the whole ranking, whose "after them" answers it
            countries = tuple(c for c in countries if c not in set_aside)
            filters = dict(filters, countries=countries)
        if prefectures and all(_set_aside(text, p) for p in prefectures):
            # "after chiba and fukuoka who has the next most?": the ranking of prefectures
            prefectures, grouping = (), grouping or "prefecture"
            filters = dict(filters, prefectures=())
    if _page(entities) > 1 or (intent != "list_as_of" and WHOLE_LIST.search(text)
                               and not (prefectures or places or countries)
                               and not HOW_MANY.search(text) and not MOST.search(text)):
        return AffiliationQuestion(AffiliationQuery(group_by="country"), "whole_list", page=_page(entities))
    if len(prefectures) >= 2 and not places and (COMPARE.search(text) or MOST.search(text) or countries):
        # "Chiba or Yamagata: which has more Philippine partners?", "do Kagawa and Kochi have Philippine
        # partners?": each side, in the countries named.
        return AffiliationQuestion(AffiliationQuery(prefectures=prefectures, countries=countries,
                                                    group_by="prefecture"), "compare", compared=prefectures)
    if len(countries) >= 2 and not (prefectures or places) and (COMPARE.search(text) or MOST.search(text)) \
            and grouping in (None, "country"):
        return AffiliationQuestion(AffiliationQuery(countries=countries, group_by="country"), "compare",
                                   compared=countries)
    if FEWEST.search(text) or MOST.search(text):
        measure = "fewest" if FEWEST.search(text) else "most"
        if prefectures and not grouping:
            return None  # "Which of Chiba's partners is the biggest?" is not a question about the list
        if grouping == "prefecture" and prefectures and not (places or countries):
            # "Is Fukuoka the prefecture with the most partners?": Fukuoka is checked, not a filter
            filters = dict(filters, prefectures=())
        query = AffiliationQuery(**filters, group_by=grouping or "prefecture", measure=measure)
        return AffiliationQuestion(query, "list")
    exactly = EXACTLY.search(text) or ONLY_SIZE.search(text)
    if exactly and not (prefectures or places) and (grouping or exactly.group("size") not in ("one", "1", "a single")):
        # "how many prefectures have exactly two partners?", "which prefs have exactly 2 sister citys"
        size = SIZES.get((exactly.group("size") or "one").lower(), 1)
        query = AffiliationQuery(**filters, group_by=grouping or "prefecture", measure="exactly", size=size)
        return AffiliationQuestion(query, "list")
    if MORE_THAN_ONE.search(text) and len(prefectures) + len(places) == 1 and not countries and not grouping:
        return None  # "hokkaido got more than one sister city?": its own list answers it, with the count
    if MORE_THAN_ONE.search(text):
        query = AffiliationQuery(**filters, group_by=grouping or "prefecture", measure="more_than_one")
        return AffiliationQuestion(query, "list")
    if countries and ONLY.search(text) and not (prefectures or places) and grouping in (None, "prefecture", "counterpart") \
            and not exactly:
        # "How many prefectures only have Philippine partners?": every affiliation of theirs is there
        query = AffiliationQuery(countries=countries, group_by=grouping or "prefecture", measure="only_countries")
        return AffiliationQuestion(query, "list")
    if len(countries) >= 2 and not places and not EITHER.search(text) and grouping in (None, "prefecture"):
        # "is kochi one of the prefectures that has partners in both indonesia and the philippines?"
        query = AffiliationQuery(prefectures=prefectures, countries=countries, group_by="prefecture",
                                 measure="covers_all_countries")
        return AffiliationQuestion(query, "list")
    if HOW_MANY.search(text) and grouping and (DISTINCT.search(text) or _asks_groups(text, grouping)):
        return AffiliationQuestion(AffiliationQuery(**filters, group_by=grouping), "distinct")
    if grouping and not (prefectures or places or countries) and WHICH_GROUPS.search(text):
        # "What countries are on the list?", "Which prefectures have sister cities?"
        return AffiliationQuestion(AffiliationQuery(group_by=grouping), "distinct")
    return None


def _set_aside(text: str, name: str) -> bool:
    """The message puts `name` aside ("after the Philippines", "apart from India") rather than filtering on it."""
    return re.search(r"\b(?:after|besides|apart\s+from|other\s+than|except(?:\s+for)?|excluding|not\s+counting)\s+(?:the\s+)?"
                     r"(?:[\w-]+(?:\s*,\s*|\s+and\s+|\s*&\s*))*" + re.escape(name) + r"\b", text, re.IGNORECASE) is not None


def asks_its_own_aggregate(text: str) -> bool:
    """The message says which computation it wants, so it is no fragment of the previous one."""
    return any(cue.search(text) for cue in (MOST, FEWEST, MORE_THAN_ONE, EXACTLY, COMPARE, HOW_MANY, WHOLE_LIST))


def _asks_groups(text: str, grouping: str) -> bool:
    """ "How many prefectures have sister cities" counts prefectures; "how many sister cities
    does Chiba have" counts affiliations."""
    pattern = dict(GROUP_WORDS)[grouping]
    match = re.search(r"\b(how many|number of)\s+(\w+\s+){0,2}?" + pattern.pattern, RELATION_PHRASES.sub(" ", text),
                      re.IGNORECASE)
    return bool(match)


EDITION_CONTEXT = {"repp_edition", "repp_theme", "repp_first", "repp_fy2015", "repp_list", "repp_about",
                   "repp_edition_count", "repp_edition_length", "repp_edition_participants", "repp_cancelled"}


def programme_question(text: str, intent: str, names: MessageNames,
                       topic: Optional[str] = None) -> Optional[ProgrammeQuestion]:
    """`topic`: what the previous answer was about; after an edition, "the first one" is one too."""
    edition_words = bool(names.years) and bool(EDITION_WORDS.search(text))  # "no. of participants 2015?"
    if intent not in PROGRAMME_INTENTS and not PROGRAMME.search(text) and topic not in EDITION_CONTEXT \
            and not edition_words:
        return None
    if RELATION.search(text):
        return None
    if not names.years and EDITION_LENGTH.search(text) and topic:
        return None  # "how long did it last?" asks about the edition just answered (a follow-up)
    if intent == "repp_fy2015" and 2015 in names.years:
        return None  # the FY2015 details answer has the place, dates, length and participants together
    adjacent = ADJACENT.search(text)
    if adjacent and ASKS_WHICH.search(text) and (names.years or names.first("country") or CANCELLED_WORDS.search(text)):
        after = adjacent.group("direction").lower() in ("after", "following", "succeeding")
        return ProgrammeQuestion("adjacent", names.first("country"), year=names.years[0] if names.years else None,
                                 after=after, cancelled=bool(CANCELLED_WORDS.search(text[adjacent.end():])))
    if HOW_MANY_COUNTRIES.search(text) and not names.first("country"):
        return ProgrammeQuestion("host_countries")  # "how many different countries have hosted it since FY2007?"
    if len(names.years) >= 2 and HOW_MANY_EDITIONS.search(text) or HOW_MANY_TOOK_PLACE.search(text):
        return ProgrammeQuestion("count", names.first("country"), between=(min(names.years), max(names.years))
                                 if len(names.years) >= 2 else ())
    if not names.years and PARTICIPANT_COUNT.search(text) and (LATEST.search(text) or FIRST.search(text)):
        return ProgrammeQuestion("participants", year=-1 if LATEST.search(text) else 0)
    if names.years and len(names.years) == 1 and PARTICIPANT_COUNT.search(text):
        return ProgrammeQuestion("participants", year=names.years[0])
    if names.years and len(names.years) == 1 and EDITION_LENGTH.search(text):
        return ProgrammeQuestion("length", year=names.years[0])
    if len(names.years) == 1 and HOW_MANY.search(text) and CITY_WORDS.search(text):
        return ProgrammeQuestion("city_count", year=names.years[0])  # "how many cities were on the 2011 itinerary?"
    if names.years:
        # "Tell me about the 2010 edition", "Where is the 2014 programme?": that edition, whatever
        # general programme intent the generic verb drew.
        generic = intent in GENERIC_PROGRAMME_INTENTS or (intent == "repp_fy2015" and 2015 not in names.years) \
            or (edition_words and intent not in PROGRAMME_INTENTS and intent != "repp_participants") \
            or (intent == "repp_theme" and ASKS_PLACES.search(text))  # "the 2014 program - which cities did it cover"
        return ProgrammeQuestion("edition") if generic else None
    country = names.first("country")
    if HOW_MANY_EDITIONS.search(text) and not (country or names.first("place")) and HOW_OFTEN_HELD.search(text):
        return None  # "how often is it held?" asks its frequency (annually), not a count
    if HOW_MANY_EDITIONS.search(text):
        return ProgrammeQuestion("count", country)
    if HOW_MANY.search(text) and CITY_WORDS.search(text) and VISITED.search(text):
        return ProgrammeQuestion("city_count", country)  # "how many different Indian cities have the missions visited?"
    if (MORE_THAN_ONE.search(text) or SEVERAL_COUNTRIES.search(text)) and COUNTRY_WORDS.search(text) \
            and YEAR_WORDS.search(text) and not country and not MORE_THAN_ONCE.search(text):
        # "In which years did the program visit more than one country?"
        return ProgrammeQuestion("multi_country_years")
    if (MORE_THAN_ONCE.search(text) or MORE_THAN_ONE.search(text)) and VISITED.search(text) and not country:
        # "which city has the programme visited more than once?"
        return ProgrammeQuestion("repeat_cities" if CITY_WORDS.search(text) else "repeat_countries")
    if (MOST.search(text) or FEWEST.search(text)) and HOSTS.search(text) and not country:
        return ProgrammeQuestion("most_hosted" if MOST.search(text) else "fewest_hosted")
    if PER_COUNTRY.search(text) and not country:
        return ProgrammeQuestion("by_country")
    if LATEST.search(text) and FIRST.search(text) and not country and FIRST_AND_LATEST.search(text):
        return ProgrammeQuestion("first_and_latest")  # "the first edition ... and the most recent one"
    if LATEST.search(text) and not country:
        return ProgrammeQuestion("latest")
    if FIRST.search(text) and not country and intent != "repp_first":
        return ProgrammeQuestion("first")
    return None
