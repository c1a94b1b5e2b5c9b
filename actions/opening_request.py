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
    r"i['\u2019]?m\s+from|im\s+from|greetings\s+from|hello\s+from|hi\s+from|good\s+(?:morning|afternoon|evening|day)\s+from|"
    r"writing\s+from|on\s+behalf\s+of|i\s+represent|kami\s+dari|saya\s+dari|kami\s+adalah|"
    r"we\s+r|representing|i\s+work\s+for|i\s+work\s+at|i\s+am\s+with|i['\u2019]?m\s+with|iam\s+from|"
    r"(?:calling|writing|emailing|messaging|contacting\s+you)\s+from|"
    r"(?:section|division|department|bureau|unit|desk|team)\s+(?:of|at)|"
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
    r"council|ward|district|regency|office|committee|board|corporation|corp|administration|city\s+hall|lgu|"
    # the words of the region's own languages for a local government: Indonesian, Malay, Thai
    r"kota|kabupaten|pemerintah|provinsi|majlis|bandaraya|perbandaran|thesaban|pao|pemkab|pemkot|pemprov|"
    r"govt|gov['\u2019]t)\b",
    re.IGNORECASE)
# "GHMC Hyderabad here": an acronym is a body's name.
_ACRONYM = re.compile(r"\b(?-i:[A-Z]{2,6})\b")
# "Davao City government here, philippines": the name before "here".
_NAME_HERE = re.compile(r"(?:^|[.!?,;:]\s*|\b(?:hi|hello|morning|good\s+\w+)[!,.]?\s+)(?:the\s+)?"
                        r"(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,6}?)\s+here\b", re.IGNORECASE)
# "Khon Kaen Municipality would like ...", "Good day! The Provincial Government of Nueva Ecija seeks ...",
# "Shizuoka Prefecture - we'd like ...": a government's name as the sentence's subject.
_NAME_SUBJECT = re.compile(
    r"(?:^|[.!?]\s+|\u3002\s*)(?:(?:hi|hello|hey|good\s+\w+|greetings|dear\s+\w+|sawasdee\s+\w+)[!,.]?\s+)?(?:the\s+)?"
    r"(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,7}?)\s*(?:\s[-\u2013\u2014]\s|\s(?:would\s+like|wants|wishes|"
    r"seeks|hopes|plans|intends|is\s+(?:looking|seeking|interested|hoping|planning|keen|considering)|"
    r"would\s+love)\b)", re.IGNORECASE)
# "Niigata Prefecture, International Affairs Division. We are ...": a government's name opening the message.
_NAME_LEADING = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:(?:hi|hello|hey|good\s+\w+|greetings|dear\s+\w+|namaste|mingalaba\w*)\W*\s+)?(?:the\s+)?"
    r"(?!(?:we|i|i['\u2019]m|im|our|my|this|hello|hi|hey|good|dear|greetings)\b)(?P<name>[\w.'\u2019-]+(?:\s+[\w.'\u2019-]+){0,5}?\s+(?:prefecture|city|municipality|province|"
    r"town|village|regency|government|council|corporation|corp|city\s+hall|office|administration|committee|district|"
    r"ward|govt))\s*[,.:;\u2013\u2014-]", re.IGNORECASE)
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
_GENERIC_PARTNER = (r"(?:sister|partner|twin|friendship|new|another|suitable|good|possible|potential|japanese|"
                    r"counterpart|second|third|one|more|local|foreign|overseas)")
_DESCRIBED_PARTNER = re.compile(
    r"\b(?:preferably|ideally|hopefully|perhaps|maybe|possibly|especially|with|find|like|want|seek\w*|looking\s+for|"
    r"twin\s+with)\s+(?:somewhere\s+|something\s+)?"
    r"(?P<partner>(?!(?:(?:an?|any|some|the)\s+)?" + _GENERIC_PARTNER + r"\b)(?:(?:an?|any|some)\s+)?(?!(?:an?|any|some|the)\b)"
    r"[a-z][\w-]*\s+(?:(?!" + _GENERIC_PARTNER + r"\b)[a-z][\w-]*\s+)?"
    r"(?:city|cities|town|towns|village|municipality|prefecture|province|region|area|place|community)"
    r"(?:\s+(?:like|such\s+as|in|on|near|of)\s+[^.!?;]{2,50}?){0,3}|like\s+[A-Z][^.!?;]{2,50}?)(?=\s*(?:[.!?;]|,\s|$|\s(?:so|since|because|as|"
    r"to|for|that|which|can|could|would|please)\b))")
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
    r"government|council|lgu|prefecture|npo|ngo|association|organi[sz]ation)\s+(?:in|from)\s+(?:the\s+)?"
    r"(?:[\w-]+(?:\s+[\w-]+)?\s*,\s*)?$", re.IGNORECASE)  # "a municipality in cebu, philippines"
_DESCRIBED_IN = re.compile(
    r"^an?\s+(?:\w+\s+){0,2}(?:city|town|municipality|province|village|local\s+government|government)\s+"
    r"(?:in|from)\s+(?:the\s+)?$", re.IGNORECASE)


# Between an organisation and its country only place names, a bracketed acronym or "here, in the":
# "Varanasi Municipal Corporation, Uttar Pradesh (India)", "Melaka Historic City Council (MBMB), Malaysia".
_PLACE_WORDS_ONLY = re.compile(
    r"^[\s,()\u2013\u2014-]*(?:here\b)?[\s,()]*(?:(?:in|of|from|at)\s+)?(?:the\s+)?"
    r"(?:(?!(?:is|are|am|was|would|will|wants?|wish\w*|seek\w*|look\w*|like|to|for|and|we|i|our|us|partner\w*|sister|twin|"
    r"friend\w*|help|find|with|establish\w*|interest\w*|hop\w*|plan\w*|can|could|please|here|city|cities|town)\b)"
    r"[\w.'\u2019-]+[\s,()\u2013\u2014-]+){0,4}(?:(?:in|of)\s+(?:the\s+)?)?$", re.IGNORECASE)


# "... one more sister city for education exchange", "cooperation in agriculture and tourism": the
# fields of exchange, when a field word says so.
_FIELD_WORD = (r"(?:education\w*|tourism|trade|cultur\w*|economic|economy|business|investment|youth|sports?|agricultur\w*|"
               r"disaster\w*|environment\w*|health\w*|technolog\w*|industr\w*|students?|schools?|arts?|heritage|fisher\w*|"
               r"ports?|academic|sister\s+schools?|human\s+resources?|medical|food|music|festivals?)")
_LEAD_WORDS = r"(?:(?!(?:for|in|on|and|with|a|an|the)\b)(?-i:[a-z][\w-]*)\s+){0,2}?"  # "cooperation in", "youth"
_PURPOSE = re.compile(
    r"\b(?:for|in|on|focusing\s+on|focused\s+on|around|especially|particularly|mainly)\s+(?:the\s+(?:fields?|areas?)\s+of\s+)?"
    r"(?P<purpose>" + _LEAD_WORDS + _FIELD_WORD + r"(?:\s*(?:,|and|&|or)?\s*" + _LEAD_WORDS + _FIELD_WORD + r")*"
    r"(?:\s+(?:exchanges?|cooperation|collaboration|ties|links|programs?|programmes?|purposes?))?)(?=\s*(?:[.!?;,]|$|\s(?:and|with|"
    r"can|could|would|please|pls|if)\b))", re.IGNORECASE)


# "(Melaka City Council, Malaysia)": a name in brackets before the country, set aside for the check above.
_BRACKETED_NAME = re.compile(r"\([^(),]*(?=,)")


@dataclass(frozen=True)
class Opening:
    """What the opening message said: None where it said nothing sure."""
    organisation: Optional[str] = None
    organisation_country: Optional[str] = None
    partner_preference: Optional[str] = None
    purpose: Optional[str] = None


# "I'm Yamamoto from Shimanto Town", "I am Nguyen Thi Lan of the Department of ...": after the person.
_AFTER_PERSON = re.compile(r"^\s*,?\s*(?:from|of|at|with|representing)\s+(?:the\s+)?", re.IGNORECASE)
# Greetings in the languages of CLAIR's region that open a message before the name.
_GREETING = re.compile(r"^(?:(?:hi|hello|hey|dear\s+\w+|good\s+\w+|greetings|mingala\w*|sabaidee|selamat\s+\w+|"
                       r"sawasdee\s*\w*|xin\s+ch[a\u00e0]o|namaste|kumusta|magandang\s+\w+|konnichiwa|assalamualaikum|"
                       r"vanakkam|salam|po|krub|ka)\b[\s!,.]*)+", re.IGNORECASE)


def _clean(name: str) -> str:
    """The name without what opened or followed it in other sentences: "Sawasdee krub. Khon Kaen
    Municipality", "Kumamoto Prefecture here. We"."""
    pieces = [p for p in re.split(r"(?<=[.!?\u3002])\s*(?=\S)", name) if p.strip()] if re.search(r"[!?\u3002]|\.\s", name) else [name]
    piece = next((p for p in pieces if _GOVERNMENT_WORDS.search(p)), pieces[-1])
    piece = re.sub(r"\s+here$", "", re.sub(r"[\s.!?\u3002]+$", "", _GREETING.sub("", piece).strip()), flags=re.IGNORECASE)
    return piece.strip() or name


def _organisation_span(text: str, person: Optional[tuple] = None) -> Optional[tuple]:
    """Where the organisation's name is: after the first cue that is followed by a name ("We're
    looking for a partner, this is Bayview City Hall"), or before "here"."""
    spans = []
    after_person = _AFTER_PERSON.match(text[person[1]:]) if person else None
    if person and after_person:
        rest = text[person[1] + after_person.end():]
        end = _NAME_END.search(rest)
        name = (rest[:end.start()] if end else rest).strip(" '\"")
        if name and _GOVERNMENT_WORDS.search(name) and len(name.split()) <= MAX_NAME_WORDS:
            start = person[1] + after_person.end()
            spans.append((start, start + len(name)))
    for cue in _ORGANISATION_CUE.finditer(text):
        rest = text[cue.end():]
        end = _NAME_END.search(rest)
        name = rest[:end.start()] if end else rest
        name = name.strip(" '\"")
        if name and not _NOT_A_NAME.match(name) and len(name.split()) <= MAX_NAME_WORDS \
                and not (person and person[0] <= cue.end() < person[1]):
            spans.append((cue.end(), cue.end() + len(name)))
            break
    here = _NAME_HERE.search(text)
    if here and _ACRONYM.search(here.group("name")) and not _NOT_A_GOVERNMENT.search(here.group("name")) \
            and not _NOT_A_NAME.match(here.group("name")):
        spans.append((here.start("name"), here.end("name")))
    for named in (here, _NAME_SUBJECT.search(text), _NAME_LEADING.search(text),
                  _GOVERNMENT_OF.search(text), *_government_runs(text)):
        if not named:
            continue
        raw = named.group("name")
        name = _clean(raw)  # "clair. battambang provincial administration": the sentence that names it
        start = named.start("name") + (raw.index(name) if name in raw else 0)
        if _GOVERNMENT_WORDS.search(name) and not _NOT_A_NAME.match(name) and not _NOT_A_GOVERNMENT.search(name) \
                and not _ORGANISATION_CUE.match(name):  # "Iam from X City": the cue found it
            spans.append((start, start + len(name)))
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
        if match.name == kb.home_country():
            continue  # "a sister city in Japan" is what every partner is: a description may follow
        before, after = text[:match.start], text[match.end:]
        if _PARTNER_WHERE.search(before) or _CITY_WHERE.search(before) or _PREFERRED_WHERE.search(before):
            return match.name
        if match.kind == "country" and _ADJECTIVE_BEFORE.match(after):
            return match.name
    # "... a new partner city, preferably in Kyushu": a region the list does not name is kept as written.
    home = {m.start for m in matches if m.name == kb.home_country()}
    for where in _PREFERRED_REGION.finditer(text):
        if not (organisation and organisation[0] <= where.start("region") < organisation[1]) \
                and where.start("region") not in home:
            return where.group("region")
    # "preferably a heritage city like Kyoto or Nara", "with a temple city in Japan": a described partner.
    for described in _DESCRIBED_PARTNER.finditer(text):
        if not (organisation and organisation[0] <= described.start("partner") < organisation[1]):
            return described.group("partner").strip(" ,")
    return None


def _described_country(text: str, matches: List[Match], kb: KnowledgeBase, home: bool = False) -> Optional[str]:
    """ "We're a small town in Vietnam", "Our municipality in Cambodia wants...", "hi im from a
    regency in indonesia": the visitor's own country, said without a name."""
    cue = _ORGANISATION_CUE.search(text)
    for match in matches:
        country = country_of(kb, match) if match.kind in ("country", "prefecture", "place") else None
        if country is None or (match.kind == "country" and country == kb.home_country() and not home):
            continue
        if cue and _DESCRIBED_IN.match(text[cue.end():match.start]):
            return country
        if _OWN_PLACE_IN.search(text[:match.start]):
            return country
    return None


def read_opening(text: str, kb: KnowledgeBase, person: Optional[tuple] = None) -> Opening:
    """`person`: where the message names its contact person (actions/contact_details.py)."""
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return Opening()
    matches = kb.find_names(text)
    span = _organisation_span(text, person)
    if span:
        name = text[span[0]:span[1]]
        cleaned = _clean(name)
        if cleaned != name and cleaned in name:
            start = span[0] + name.index(cleaned)
            span = (start, start + len(cleaned))
    known = _known_government(text, matches)
    if known and (span is None or known[0] < span[0]):
        span = known
    partner = _partner(text, matches, span, kb)
    if partner == kb.home_country():
        partner = None  # "a Japanese partner" is what every partner is: the form still asks where
    said = _PURPOSE.search(text)
    purpose = said.group("purpose") if said and not (partner and said.group("purpose") in partner) else None
    if not span:
        return Opening(organisation_country=_described_country(text, matches, kb), partner_preference=partner,
                       purpose=purpose)
    # "ayutthaya municipality in thailand here": the country is said of the name, not part of it.
    for match in matches:
        if span[0] < match.start < span[1] and match.kind == "country" and match.score >= 100:
            cut = re.search(r"\s+(?:in|of)\s+(?:the\s+)?$", text[span[0]:match.start], re.IGNORECASE)
            if cut is None and match.end >= span[1]:
                cut = re.search(r"[\s,]+$", text[span[0]:match.start])  # "cebu city govt philippines"
            if cut:
                span = (span[0], span[0] + cut.start())
                break
    name = text[span[0]:span[1]]
    name = name.title() if name.islower() else name  # "legazpi city" is noted as a name
    inside = [m for m in matches if span[0] <= m.start and m.end <= span[1] and m.kind in ("prefecture", "place")]
    # A name that is neither on the list nor reads like a government ("we are happy") is no name.
    if not inside and not (_GOVERNMENT_WORDS.search(name) or name[:1].isupper()):
        return Opening(partner_preference=partner, purpose=purpose)
    # "We are Tagbilaran City in the Philippines", "Sakai City in Osaka Prefecture", "Kochi Municipal
    # Corporation from Kerala, India": the country (or a known place) right after the name wins over
    # a name inside it, which may be a namesake.
    after = [m for m in matches if span[1] <= m.start <= span[1] + 60 and m.kind in ("country", "prefecture", "place")
             and _PLACE_WORDS_ONLY.match(_BRACKETED_NAME.sub("", text[span[1]:m.start]))]
    countries_after = [m for m in after if m.kind == "country"]
    country = country_of(kb, countries_after[0]) if countries_after else None
    if country is None and inside:
        country = country_of(kb, inside[0])
    if country is None and after:
        country = country_of(kb, after[0])
    if country is None:
        # "I'm with a small NPO in Japan called ...": the country said of the organisation before its name
        country = _described_country(text[:span[0]], [m for m in matches if m.end <= span[0]], kb, home=True)
    return Opening(organisation=name, organisation_country=country, partner_preference=partner, purpose=purpose)
