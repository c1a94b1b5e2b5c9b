"""The contact details a message gives in passing: an e-mail address, a phone number, a person's name.

"Hi, my name is Hajah Siti Rahmah and I'm with the Belait District Office. You can reach me at
siti@belait.gov.bn" answers three of the form's questions before they are asked; a careful
receptionist notes them and does not ask again. Only what is said unmistakably is read: an
address that passes the form's own check, a number after a phone cue or in international form,
a name after "my name is", "contact person:" or "I am / I'm / this is" when it reads as a person's
name (capitalised, not a government, not a place the knowledge base knows)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.inquiries import validation as v

_EMAIL_TOKEN = re.compile(r"[\w.+'%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A number after a phone cue ("tel: 043 223 2111", "call me at ...") or written internationally (+84 ...).
_PHONE_CUED = re.compile(r"\b(?:tel(?:ephone)?|phone|mobile|cell|mob|contact\s+(?:no|number)|number|call\s+(?:me|us)(?:\s+(?:at|on))?)"
                         r"\b\.?\s*(?:no\.?|number|is)?\s*[:#-]?\s*(?P<number>\+?[\d(][\d\s().-]{5,}\d)", re.IGNORECASE)
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])(?P<number>\+\d[\d\s().-]{5,}\d)")

_HONORIFIC = r"(?:(?:mr|ms|mrs|miss|dr|engr|atty|prof|hon|sir|madam|mdm|mx)\.?\s+)?"
# A capitalised word of a name, or a particle inside one ("dela Cruz", "bin Ahmad", "Thi").
_NAME_WORD = r"(?-i:[A-Z][\w'\u2019-]*\.?)"
_PARTICLE = r"(?:de|del|dela|de\s+la|van|von|bin|binti|bt|al|da|dos|di)"
_PERSON_NAME = rf"(?P<person>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,4}})"
# Cues that always introduce the contact person, whatever the case the visitor types in.
_STRONG_CUE = re.compile(rf"\b(?:my\s+name\s+is|my\s+name['\u2019]?s|name\s*:|contact\s+person\s*(?:is|:|-)?|"
                         rf"contact\s*(?:is|:)|focal\s+person\s*(?:is|:)?|you\s+can\s+(?:contact|reach)\s+me,?)\s+{_HONORIFIC}"
                         rf"(?P<person>[^\W\d_][\w'\u2019.-]*(?:\s+[^\W\d_][\w'\u2019.-]*){{0,4}})", re.IGNORECASE)
# "I am Mr. Sok Vannak", "I'm Kato Emi, kato-e@...", "this is Maria Santos from ...".
_SOFT_CUE = re.compile(rf"(?:^|[\s,.!;:])(?:i\s+am|i['\u2019]m|im|this\s+is|it['\u2019]s)\s+{_HONORIFIC}{_PERSON_NAME}", re.IGNORECASE)
# Where a name stops: a word that carries the sentence on.
_AFTER_NAME = re.compile(r"\s+(?:and|from|of|at|with|in|for|here|the|who|is|am|we|i|working|representing|speaking|"
                         r"writing|calling|on|to|my|our|email|e-mail|phone|tel|mobile)\b.*$", re.IGNORECASE)
_NOT_A_PERSON = re.compile(
    r"\b(?:city|town|municipality|municipal|province|provincial|prefecture|prefectural|village|county|government|"
    r"council|ward|district|regency|office|committee|board|corporation|administration|hall|lgu|division|section|"
    r"department|bureau|unit|team|association|university|school|clair|jet|japan|japanese|interested|looking|"
    r"writing|calling|glad|happy|sorry|here|not|also|just|new|still|hoping|planning|trying|a|an|the)\b", re.IGNORECASE)
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class ContactDetails:
    name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    name_span: Optional[tuple] = None  # where the name was, so the organisation is not read from it


def find_email(text: str) -> Optional[str]:
    """The one valid e-mail address in `text` (None when there is none or more than one)."""
    found = {v.validate_email(token.rstrip(".")).value for token in _EMAIL_TOKEN.findall(text or "")}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


# Words around an address typed as the answer: "sorry, a@b.org", "it's a@b.org", "my email is a@b.org pls".
_FILLER = re.compile(r"^(?:(?:sorry|oops|ok|okay|oh|actually|it['\u2019]?s|it\s+is|my|our|the|e-?mail|address|is|here|"
                     r"correct(?:ion|ed)?|should\s+be|use|please|pls|try|this|one|new|right|sure|yes)\b[\s,:;.!-]*)*$", re.IGNORECASE)


def email_among_words(text: str) -> Optional[str]:
    """The address in an answer whose other words only introduce it ("jerome abella@gmail.com" has a
    space in its address and is no answer of this kind)."""
    tokens = list(_EMAIL_TOKEN.finditer(text or ""))
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if text[token.start() - 1:token.start()].isalnum() or not _FILLER.match(text[:token.start()].strip()) \
            or not _FILLER.match(text[token.end():].strip(" .!")):
        return None
    return v.validate_email(token.group().rstrip(".")).value


def find_phone(text: str) -> Optional[str]:
    for pattern in (_PHONE_CUED, _PHONE_INTERNATIONAL):
        for match in pattern.finditer(text or ""):
            result = v.validate_phone(match.group("number").strip())
            if result.ok and result.value:
                return result.value
    return None


def _person(text: str, known_names) -> tuple:
    """The contact person's name and where it is, or (None, None)."""
    for cue, strong in ((_STRONG_CUE, True), (_SOFT_CUE, False)):
        for match in cue.finditer(text):
            raw = _AFTER_NAME.sub("", match.group("person"))
            raw = re.split(r"\s*[,;:()!?]|\.\s|\.$", raw)[0].strip()
            words = raw.split()
            if not words or len(words) > MAX_NAME_WORDS or _NOT_A_PERSON.search(raw):
                continue
            start = match.start("person")
            if any(start <= m.start < start + len(raw) and m.score >= 100 for m in known_names):
                continue  # "this is Cebu" names a place, not a person ("Thi Lan" only resembles Thailand)
            if not strong and not all(w[:1].isupper() for w in words):
                continue
            name = raw.title() if raw.islower() else raw
            if v.validate_name(name).ok:
                return name, (start, start + len(raw))
    return None, None


def read_contact_details(text: str, known_names=()) -> ContactDetails:
    """`known_names`: the knowledge base's name matches in `text` (prefectures, places, countries)."""
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return ContactDetails()
    name, span = _person(text, [m for m in known_names if m.kind in ("prefecture", "place", "country")])
    return ContactDetails(name=name, email=find_email(text), phone=find_phone(text), name_span=span)


def without_contact_tokens(text: str) -> str:
    """`text` with its e-mail address and phone number (and the words that introduced them) taken out:
    "Ueda Shinji, ueda-s@city.takamatsu.lg.jp" leaves "Ueda Shinji"."""
    rest = _EMAIL_TOKEN.sub(" ", text or "")
    rest = _PHONE_CUED.sub(" ", rest)
    rest = _PHONE_INTERNATIONAL.sub(" ", rest)
    # The words left dangling where the tokens were: "..., and my e-mail is".
    rest = re.sub(r"(?:\s*(?:[,;/|:]|\band\b|\bmy\b|\bis\b|\bat\b|\bon\b|e-?mail(?:\s+address)?|(?:tele)?phone(?:\s+number)?|\btel\b|mobile))+\s*$",
                  "", rest.strip(), flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", rest).strip(" ,;:-.")
