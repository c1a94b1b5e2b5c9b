"""Answers about the list of sister-city affiliations."""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from actions.turn import Turn, joined, lines

MAX_NAMES_PER_ANSWER = 3


def counterpart_text(affiliation) -> str:
    region = affiliation.counterpart_region
    if region and region != affiliation.counterpart:
        return f"{affiliation.counterpart}, {region}"
    return affiliation.counterpart


def japanese_side(affiliation) -> str:
    if affiliation.municipality:
        return f"{affiliation.municipality} ({affiliation.prefecture})"
    return affiliation.prefecture


# "Which cities in Benguet have partners?": the province the list gives after a comma ("Baguio,
# Benguet"), not only the place of that name (Benguet Province).
CITIES_IN = re.compile(r"\b(?:cities|towns|municipalities|places|counterparts|lgus|ones)\s+(?:in|within)\s+"
                       r"(?:the\s+)?(?:province\s+of\s+)?(?P<region>[\w-]+(?:\s+[\w-]+)?)", re.IGNORECASE)


ASKS_WHICH_SIDE = re.compile(r"\b(?:which|what|who)\b", re.IGNORECASE)


def region_asked(turn: Turn) -> Optional[str]:
    match = CITIES_IN.search(turn.text or "")
    if not match:
        return None
    words = match.group("region").split()
    for candidate in (" ".join(words), words[0]):
        found = turn.kb.affiliations_in_region(candidate)
        if len({a.counterpart for a in found}) >= 2:
            return next((a.counterpart_region for a in found if a.counterpart_region), candidate)
    return None


# The name a sister-city question is about when it is not one the knowledge base knows: "does Davao
# city have a japanese sister city", "Da Nang japanese partner city?", "the sister city of Cebu in Japan".
_NAME = r"(?P<name>[a-z][\w.-]*(?:\s+[a-z][\w.-]*){0,2}?)"
_PLACE_WORD = r"(?:\s+(?:city|province|town|municipality|regency|district))?"
_UNLISTED = [re.compile(pattern, re.IGNORECASE) for pattern in (
    r"\b(?:does|do|has|is)\s+(?:the\s+)?" + _NAME + _PLACE_WORD + r"\s+(?:have|has|got|paired|twinned|partnered|"
    r"affiliated|linked)\b",
    r"^\W*" + _NAME + _PLACE_WORD + r"(?:['\u2019]s)?\s+(?:japanese\s+)?(?:sister|partner|twin|friendship)\b",
    r"\b" + _NAME + _PLACE_WORD + r"['\u2019]s\s+(?:japanese\s+)?(?:sister|partner|twin)",
    r"\b(?:sister|partner|twin)\s+(?:city|cities|prefectures?)\s+(?:of|for)\s+" + _NAME + _PLACE_WORD + r"(?:\s+in\b|\W*$)",
    # "which japanese city is twinned with sydney"
    r"\b(?:twinned|paired|partnered|affiliated|linked|sister\s+cit(?:y|ies))\s+(?:with|to)\s+(?:the\s+)?" + _NAME + _PLACE_WORD
    + r"\W*$")]
_NOT_A_PLACE = frozenset("""we our us i my it its they their there this that these those which what who any anyone
anybody japan japanese the a an your you he she sister partner city cities them one ones each other""".split())


def unlisted_name(text: str) -> Optional[str]:
    for pattern in _UNLISTED:
        match = pattern.search(text)
        if match and not set(match.group("name").lower().split()) & _NOT_A_PLACE:
            name = match.group("name")
            return name.title() if name.islower() else name
    return None


OUTSIDE = re.compile(r"\b(?:outside(?:\s+of)?|other\s+than|apart\s+from|except(?:\s+for)?|besides|not\s+in|"
                     r"excluding|beyond)\s+(?:the\s+)?$", re.IGNORECASE)


def _outside(turn: Turn, country: str) -> bool:
    """The message asks about everywhere but `country` ("any outside the Philippines?")."""
    text = turn.text or ""
    return any(m.kind == "country" and m.name == country and OUTSIDE.search(text[:m.start])
               for m in turn.kb.find_names(text))


def answer_names_problem(turn: Turn) -> bool:
    """Says what is wrong when the message named nothing we know. True when it said something."""
    if turn.names.ambiguous:
        turn.clarify(turn.names.ambiguous[0])
        return True
    if turn.names.unknown:
        turn.say("utter_unknown_name", name=turn.names.unknown[0])
        return True
    return False


# "Besides Pune, does Okayama have another partner?": the pair, and the prefecture's others.
BESIDES = re.compile(r"\b(?:besides|apart\s+from|other\s+than|except|in\s+addition\s+to|aside\s+from|another|any\s+others?|"
                     r"else)\b", re.IGNORECASE)


def answer_affiliations(turn: Turn, prefecture: Optional[str], place: Optional[str],
                        country: Optional[str]) -> None:
    kb, source = turn.kb, turn.source_values()
    if prefecture and place:
        found = kb.affiliations(prefecture=prefecture, counterpart=place)
        turn.remember(prefecture=prefecture, place=place)
        turn.say("utter_affiliation_pair_yes" if found else "utter_affiliation_pair_no",
                 prefecture=prefecture, place=place, **source)
        if not found or BESIDES.search(turn.text or ""):
            _own_affiliations(turn, prefecture)  # "besides Pune, does Okayama have another?": all of them
    elif prefecture and country and _outside(turn, country):
        # "does it have any outside the Philippines?": the prefecture's others
        turn.remember(prefecture=prefecture)
        found = [a for a in kb.affiliations_of_prefecture(prefecture) if a.country != country]
        if found:
            turn.say("utter_affiliations_of_prefecture_outside", prefecture=prefecture, country=country,
                     count=len(found), lines=lines([f"{counterpart_text(a)} ({a.country})" for a in found]), **source)
        else:
            turn.say("utter_no_affiliations_of_prefecture_outside", prefecture=prefecture, country=country, **source)
    elif prefecture and country:
        found = kb.affiliations(prefecture=prefecture, country=country)
        turn.remember(prefecture=prefecture, country=country)
        if found:
            turn.say("utter_affiliations_of_prefecture_in_country", prefecture=prefecture, country=country,
                     count=len(found), lines=lines([counterpart_text(a) for a in found]), **source)
        else:
            turn.say("utter_no_affiliations_of_prefecture_in_country", prefecture=prefecture,
                     country=country, **source)
            _own_affiliations(turn, prefecture)
    elif prefecture:
        found = kb.affiliations_of_prefecture(prefecture)
        turn.remember(prefecture=prefecture)
        if found:
            turn.say("utter_affiliations_of_prefecture", prefecture=prefecture, count=len(found),
                     lines=lines([f"{counterpart_text(a)} ({a.country})" for a in found]), **source)
        else:
            turn.say("utter_no_affiliations_of_prefecture", prefecture=prefecture, **source)
    elif place:
        region = region_asked(turn)
        found = kb.affiliations_in_region(region) if region else kb.affiliations_of_counterpart(place)
        place = region or place
        sides = list(dict.fromkeys(a.prefecture for a in found))
        if ASKS_WHICH_SIDE.search(turn.text or "") and len(sides) == 1:
            # "which prefecture is paired with Ipoh?": "it" in the next question is Fukuoka
            turn.remember(place=place, results=sides, grouping="prefecture")
        else:
            turn.remember(place=place)
        if found:
            # A region ("Bali", "Maharashtra") names each counterpart in it as the list gives it.
            lines_of = [japanese_side(a) if a.counterpart == place else f"{japanese_side(a)} – {counterpart_text(a)}"
                        for a in found]
            countries = joined(list(dict.fromkeys(a.country for a in found)))  # "which country is Yasothon in?"
            turn.say("utter_affiliations_of_place", place=place, country=countries, count=len(found),
                     lines=lines(lines_of), **source)
        else:
            turn.say("utter_no_affiliations_of_place", place=place, **source)
    elif country:
        found = kb.affiliations_of_country(country)
        turn.remember(country=country)
        if found:
            turn.say("utter_affiliations_of_country", country=country, count=len(found), total=kb.count_affiliations(),
                     lines=lines([f"{japanese_side(a)} – {counterpart_text(a)}" for a in found]), **source)
        else:
            turn.say("utter_no_affiliations_of_country", country=country, **source)
    elif not answer_names_problem(turn):
        unknown = unlisted_name(turn.text or "")
        if unknown:
            turn.say("utter_unknown_name", name=unknown)  # "Does Yangon have a Japanese sister city?"
        else:
            turn.say("utter_ask_prefecture_or_place")


def _own_affiliations(turn: Turn, prefecture: str) -> None:
    """After "no", what the prefecture does have: a receptionist's answer, not just a "no"."""
    found = turn.kb.affiliations_of_prefecture(prefecture)
    if found:
        turn.say("utter_affiliations_of_prefecture", prefecture=prefecture, count=len(found),
                 lines=lines([f"{counterpart_text(a)} ({a.country})" for a in found]), **turn.source_values())


def sister_cities(turn: Turn) -> None:
    names = turn.names
    prefectures = names.found["prefecture"]
    if len(prefectures) > 1 and not (names.first("place") or names.first("country")):
        for prefecture in prefectures[:MAX_NAMES_PER_ANSWER]:  # "Fukuoka and Osaka"
            answer_affiliations(turn, prefecture, None, None)
        return
    places = names.found["place"]
    if len(places) > 1 and not (prefectures or names.first("country")):
        for place in places[:MAX_NAMES_PER_ANSWER]:  # "Kawit and Quezon - which prefectures are they partnered with?"
            answer_affiliations(turn, None, place, None)
        return
    answer_affiliations(turn, names.first("prefecture"), names.first("place"), names.first("country"))


def _say_count(turn: Turn, found: list, none_response: str, count_response: str, names: Callable[[list], str],
               **named: Any) -> None:
    """How many affiliations one side has, with the names counted ("how many partners does Bangkok
    have" is rarely asked for the number alone), or that it has none."""
    if not found:
        turn.say(none_response, **named)
        return
    turn.say(count_response, count=len(found), names=names(found), **named)


def sister_city_count(turn: Turn) -> None:
    kb, names, source = turn.kb, turn.names, turn.source_values()
    prefecture, place, country = names.first("prefecture"), names.first("place"), names.first("country")
    if prefecture:
        turn.remember(prefecture=prefecture)
        _say_count(turn, kb.affiliations_of_prefecture(prefecture), "utter_no_affiliations_of_prefecture",
                   "utter_affiliation_count_prefecture", lambda found: joined([counterpart_text(a) for a in found]),
                   prefecture=prefecture, **source)
    elif country:
        turn.remember(country=country)
        found = kb.affiliations_of_country(country)
        # With the pairs counted and the share of the whole list: "how many and who?", "is it nearly half?"
        turn.say("utter_affiliation_count_country", country=country, count=len(found), total=kb.count_affiliations(),
                 names="; ".join(f"{japanese_side(a)} – {counterpart_text(a)}" for a in found), **source)
    elif place:
        turn.remember(place=place)
        _say_count(turn, kb.affiliations_of_counterpart(place), "utter_no_affiliations_of_place",
                   "utter_affiliation_count_place", lambda found: joined(list(dict.fromkeys(map(japanese_side, found)))),
                   place=place, **source)
    elif not answer_names_problem(turn):
        turn.remember()
        by_country = kb.count_by_country()
        turn.say("utter_affiliation_count_total", count=kb.count_affiliations(),
                 lines=lines([f"{name}: {count}" for name, count in by_country.items()]), **source)


def list_as_of(turn: Turn) -> None:
    turn.say("utter_list_as_of", count=turn.kb.count_affiliations(), **turn.source_values())
