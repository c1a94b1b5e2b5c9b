"""What a visitor's opening request already says, so the form does not ask it again.

"We are Cebu City and want a Japanese partner city" names the organisation (and, because Cebu
City is on CLAIR's list, its country) and the preferred partner. Only what the message states
is read: a name after a cue such as "we are" or "on behalf of", a partner after "partner ... in"
or a country adjective before "partner". The country of a known place comes from the knowledge
base (a prefecture is in the home country, a counterpart in its own). Anything unsure is left
for the form to ask."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from knowledge import KnowledgeBase
from knowledge.resolver import Match

# "we are Cebu City", "on behalf of the City of Hue", "I'm from Kagoshima Prefecture".
_ORGANISATION_CUE = re.compile(
    r"\b(?:we\s+are\s+from|we['\u2019]?re\s+from|we\s+are|we['\u2019]?re|this\s+is|i\s+am\s+from|"
    r"i['\u2019]?m\s+from|im\s+from|greetings\s+from|hello\s+from|writing\s+from|on\s+behalf\s+of|i\s+represent|"
    r"we\s+r|representing|i\s+work\s+for|i\s+work\s+at|i\s+am\s+with|i['\u2019]?m\s+with|iam\s+from|"
    r"(?:calling|writing|emailing|messaging|contacting\s+you)\s+from|"
    r"(?:officer|official|staff|mayor|governor|head|director|secretary|manager|coordinator|representative)\s+"
    r"(?:at|of|from)|our\s+(?:city|town|municipality|province|prefecture|regency|village)\s*,|"
    r"(?:sister|partner|twin)\s+cit(?:y|ies)\s+for|(?:npo|ngo|association|organi[sz]ation|group)\s+(?:\w+\s+){0,3}?"
    r"(?:called|named))\s+(?:the\s+)?",
    re.IGNORECASE)
# Where the organisation's name ends: punctuation or a word that starts the rest of the sentence.
_NAME_END = re.compile(
    r"\s*(?:[,.;:!?()]|\s(?:and|but|who|which|that|in|from|we|i|want|wants|would|wish|wishes|is|are|"
    r"looking|seeking|seek|interested|hoping|hope|plan|planning|to|with|would|for)\b)", re.IGNORECASE)
_GOVERNMENT_WORDS = re.compile(
    r"\b(?:city|town|municipality|municipal|province|provincial|prefecture|prefectural|village|county|government|"
    r"council|ward|district|regency|office|committee|board|corporation|administration|city\s+hall|lgu)\b",
    re.IGNORECASE)
# "Davao City government here, philippines": the name before "here".
_NAME_HERE = re.compile(r"(?:^|[.!?,;:]\s*|\b(?:hi|hello|morning|good\s+\w+)[!,.]?\s+)(?:the\s+)?"
                        r"(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,6}?)\s+here\b", re.IGNORECASE)
# "Khon Kaen Municipality would like ...", "Good day! The Provincial Government of Nueva Ecija seeks ...",
# "Shizuoka Prefecture - we'd like ...": a government's name as the sentence's subject.
_NAME_SUBJECT = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:hi|hello|hey|good\s+\w+|greetings|dear\s+\w+|sawasdee\s+\w+)[!,.]?\s+)?(?:the\s+)?"
    r"(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,7}?)\s*(?:\s[-\u2013\u2014]\s|\s(?:would\s+like|wants|wishes|"
    r"seeks|hopes|plans|intends|is\s+(?:looking|seeking|interested|hoping|planning|keen|considering)|"
    r"would\s+love)\b)", re.IGNORECASE)
# "Niigata Prefecture, International Affairs Division. We are ...": a government's name opening the message.
_NAME_LEADING = re.compile(
    r"^\W*(?:the\s+)?(?!(?:we|i|i['\u2019]m|im|our|my|this|hello|hi|hey|good|dear|greetings)\b)(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,5}?\s+(?:prefecture|city|municipality|province|"
    r"town|village|regency|government|council|corporation|city\s+hall|office))\s*[,.:;\u2013\u2014-]", re.IGNORECASE)
# Words that make "we are ..." describe the visitor rather than name them.
_NOT_A_NAME = re.compile(
    r"^(?:an?|some|interested|looking|hoping|planning|trying|seeking|not|very|also|just|here|new|still|from|"
    r"thinking|keen|wondering|glad|happy|after|for|about|going|aiming|ready|open|eager|searching|writing|"
    r"our|my|us|your|their|this|that|exploring|considering|currently|now|working|preparing|reviewing)\b",
    re.IGNORECASE)
MAX_NAME_WORDS = 8

# A government's name written as such, wherever a sentence starts: "Hanoi People's Committee, Department
# of Foreign Affairs.", "Dear CLAIR Singapore, Siem Reap Provincial Administration would like ...",
# "Hello! City Government of Muntinlupa.", "Penang Island City Council (Malaysia) wish ...".
_GOVERNMENT_OF = re.compile(
    r"(?:^|[.!?,;:]\s*)(?:the\s+)?(?P<name>(?:(?:city|municipal|provincial|prefectural|metropolitan|regional|"
    r"district|local)\s+)?(?:government|council|office|administration|corporation|city|municipality|province|"
    r"prefecture|regency)\s+of\s+(?:the\s+)?(?-i:[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2}))", re.IGNORECASE)
_CAPITALISED_RUN = re.compile(
    r"(?:^|[.!?,;:]\s*)(?:(?:[Hh]i|[Hh]ello|[Dd]ear|[Gg]ood\s+\w+|[Gg]reetings|[Mm]ingalaba|[Ss]abaidee|[Ss]elamat\s+\w+|[Ss]awasdee\s+\w+|"
    r"[Xx]in\s+chao|[Nn]amaste|[Kk]umusta)\W*\s+)?(?:[Tt]he\s+)?(?P<name>[A-Z][\w'\u2019-]*(?:\s+(?:[A-Z][\w'\u2019-]*|of|de|del|"
    r"dela|and))*)")
# "niigata pref. international affairs div.": a known prefecture or place followed by what it is.
_KNOWN_THEN_KIND = re.compile(r"^\s+(?:pref(?:ecture)?\b\.?|prefectural\s+government|city(?:\s+hall)?|"
                              r"city\s+government|municipality|province)\b", re.IGNORECASE)
_STARTS_SENTENCE = re.compile(r"(?:^|[.!?,;:]\s*|\b(?:hi|hello|dear|good\s+\w+|greetings)\W*\s+)(?:the\s+)?$", re.IGNORECASE)
_NOT_A_GOVERNMENT = re.compile(r"\bclair\b|\bjet\b", re.IGNORECASE)

# "a partner city in Vietnam", "sister city from Thailand", "a city in Hokkaido as partner".
_PARTNER_WHERE = re.compile(
    r"\b(?:partner|sister|twin|friendship|counterpart)\w*(?:[\s-]+(?:city|cities|town|towns|municipality|"
    r"government|prefecture|province|state|relationship|relations?|affiliation|ties|region|area)){0,2}\s+"
    r"(?:in|from|with|within|located\s+in)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|"
    r"south|east|west)\s+)?$", re.IGNORECASE)
_CITY_WHERE = re.compile(
    r"\b(?:with|find|want|like|need|seek\w*|looking\s+for|connect\w*\s+with)\s+(?:an?\s+|some\s+)?(?:\w+\s+)?"
    r"(?:city|cities|town|towns|municipality|prefecture|province|local\s+government)\s+(?:in|from)\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
# "... a partner city, ideally in Aichi", "another partner, this time in Laos".
_PREFERRED_WHERE = re.compile(r"\b(?:preferably|ideally|hopefully|possibly|perhaps|maybe|this\s+time|somewhere|"
                              r"anywhere|probably)\s+(?:(?:in|from|within)\s+)?(?:the\s+)?$", re.IGNORECASE)
_PREFERRED_REGION = re.compile(
    r"\b(?:preferably|ideally|hopefully|possibly|perhaps|maybe|somewhere|this\s+time|(?:partner|sister|twin|friendship)"
    r"\w*(?:[\s-]+(?:city|cities|town|prefecture|province|municipality|state|relations?|relationship)){0,2})\s+"
    r"(?:in|from|within)\s+(?:the\s+)?"
    r"(?P<region>(?-i:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)(?:\s+region)?)", re.IGNORECASE)
# "a Japanese partner", "Vietnamese sister city", "a Thai city as partner".
_ADJECTIVE_BEFORE = re.compile(
    r"^\s+(?:\w+\s+)?(?:partner|sister|twin|friendship|counterpart|city|cities|town|towns|municipality|"
    r"prefecture|local\s+government)", re.IGNORECASE)
# "We're a small town in Vietnam": no name, but the country.
# "our municipality in", "from a regency in", "our city in the": the country that follows is the visitor's.
_OWN_PLACE_IN = re.compile(
    r"\b(?:our|my|from\s+an?|we\s+are\s+an?|we['\u2019]?re\s+an?|i['\u2019]?m\s+from\s+an?|im\s+from\s+an?|"
    r"i['\u2019]?m\s+with\s+an?|i\s+am\s+with\s+an?)\s+"
    r"(?:\w+\s+){0,2}(?:city|town|municipality|province|regency|village|district|county|local\s+government|"
    r"government|council|lgu|prefecture|npo|ngo|association|organi[sz]ation)\s+(?:in|from)\s+(?:the\s+)?$", re.IGNORECASE)
_DESCRIBED_IN = re.compile(
    r"^an?\s+(?:\w+\s+){0,2}(?:city|town|municipality|province|village|local\s+government|government)\s+"
    r"(?:in|from)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Opening:
    """What the opening message said: None where it said nothing sure."""
    organisation: Optional[str] = None
    organisation_country: Optional[str] = None
    partner_preference: Optional[str] = None


def _organisation_span(text: str) -> Optional[tuple]:
    """Where the organisation's name is: after the first cue that is followed by a name ("We're
    looking for a partner, this is Bayview City Hall"), or before "here"."""
    spans = []
    for cue in _ORGANISATION_CUE.finditer(text):
        rest = text[cue.end():]
        end = _NAME_END.search(rest)
        name = rest[:end.start()] if end else rest
        name = name.strip(" '\"")
        if name and not _NOT_A_NAME.match(name) and len(name.split()) <= MAX_NAME_WORDS:
            spans.append((cue.end(), cue.end() + len(name)))
            break
    for named in (_NAME_HERE.search(text), _NAME_SUBJECT.search(text), _NAME_LEADING.search(text),
                  _GOVERNMENT_OF.search(text), *_government_runs(text)):
        if named and _GOVERNMENT_WORDS.search(named.group("name")) and not _NOT_A_NAME.match(named.group("name")) \
                and not _NOT_A_GOVERNMENT.search(named.group("name")):
            spans.append((named.start("name"), named.end("name")))
    return min(spans, key=lambda span: (span[0], -span[1])) if spans else None  # the one named first, in full


def _government_runs(text: str) -> list:
    """Capitalised names opening a sentence that say they are a government ("Yangon City Development
    Committee", "Siem Reap Provincial Administration"): more than the government word alone."""
    runs = []
    for run in _CAPITALISED_RUN.finditer(text):
        words = run.group("name").split()
        if len(words) >= 2 and len(words) <= MAX_NAME_WORDS and _GOVERNMENT_WORDS.search(run.group("name")) \
                and not _GOVERNMENT_WORDS.fullmatch(words[0]):
            runs.append(run)
    return runs


def _known_government(text: str, matches: List[Match]) -> Optional[tuple]:
    """ "niigata pref. international affairs div.", "hanoi city here": a known name said to be the government."""
    for match in matches:
        if match.kind not in ("prefecture", "place") or not _STARTS_SENTENCE.search(text[:match.start]):
            continue
        kind = _KNOWN_THEN_KIND.match(text[match.end:])
        if kind:
            return match.start, match.end + kind.end()
    return None


def country_of(kb: KnowledgeBase, match: Match) -> Optional[str]:
    """The country a name found in a message stands in: a prefecture is in the home country."""
    if match.kind == "prefecture":
        return kb.home_country()
    if match.kind == "place":
        place = kb.place(match.name)
        return place.country if place else None
    if match.kind == "country":
        return match.name
    return None


def _partner(text: str, matches: List[Match], organisation: Optional[tuple], kb: KnowledgeBase) -> Optional[str]:
    """The partner the message asks for: a known name after "partner ... in", or a country
    adjective ("Vietnamese", "Thai") before "partner" / "city"."""
    for match in matches:
        if organisation and organisation[0] <= match.start < organisation[1]:
            continue
        before, after = text[:match.start], text[match.end:]
        if _PARTNER_WHERE.search(before) or _CITY_WHERE.search(before) or _PREFERRED_WHERE.search(before):
            return match.name
        if match.kind == "country" and _ADJECTIVE_BEFORE.match(after):
            return match.name
    # "... a new partner city, preferably in Kyushu": a region the list does not name is kept as written.
    for where in _PREFERRED_REGION.finditer(text):
        if not (organisation and organisation[0] <= where.start("region") < organisation[1]):
            return where.group("region")
    return None


def _described_country(text: str, matches: List[Match], kb: KnowledgeBase, home: bool = False) -> Optional[str]:
    """ "We're a small town in Vietnam", "Our municipality in Cambodia wants...", "hi im from a
    regency in indonesia": the visitor's own country, said without a name."""
    cue = _ORGANISATION_CUE.search(text)
    for match in matches:
        if match.kind != "country" or (match.name == kb.home_country() and not home):
            continue
        if cue and _DESCRIBED_IN.match(text[cue.end():match.start]):
            return match.name
        if _OWN_PLACE_IN.search(text[:match.start]):
            return match.name
    return None


def read_opening(text: str, kb: KnowledgeBase) -> Opening:
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return Opening()
    matches = kb.find_names(text)
    span = _organisation_span(text)
    known = _known_government(text, matches)
    if known and (span is None or known[0] < span[0]):
        span = known
    partner = _partner(text, matches, span, kb)
    if partner == kb.home_country():
        partner = None  # "a Japanese partner" is what every partner is: the form still asks where
    if not span:
        return Opening(organisation_country=_described_country(text, matches, kb), partner_preference=partner)
    name = text[span[0]:span[1]]
    name = name.title() if name.islower() else name  # "legazpi city" is noted as a name
    inside = [m for m in matches if span[0] <= m.start and m.end <= span[1] and m.kind in ("prefecture", "place")]
    # A name that is neither on the list nor reads like a government ("we are happy") is no name.
    if not inside and not (_GOVERNMENT_WORDS.search(name) or name[:1].isupper()):
        return Opening(partner_preference=partner)
    country = country_of(kb, inside[0]) if inside else None
    if country is None:
        # "We are Tagbilaran City in the Philippines", "Sakai City in Osaka Prefecture", "Kota Kinabalu
        # City Hall in Sabah Malaysia": the country (or a known place) right after the name.
        after = [m for m in matches if span[1] <= m.start <= span[1] + 30 and m.kind in ("country", "prefecture", "place")
                 and re.match(r"^[\s,(]*(?:here\b)?[\s,(]*(?:in|of|from|,)?\s*(?:the\s+)?(?:[\w-]+[\s,]+)?$",
                              text[span[1]:m.start], re.IGNORECASE)]
        country = country_of(kb, after[0]) if after else None
    if country is None:
        # "I'm with a small NPO in Japan called ...": the country said of the organisation before its name
        country = _described_country(text[:span[0]], [m for m in matches if m.end <= span[0]], kb, home=True)
    return Opening(organisation=name, organisation_country=country, partner_preference=partner)
