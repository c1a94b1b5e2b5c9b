"""A correction typed at the request form's summary: "change the e-mail to a@b.org", "the partner
should be in Vietnam", "wrong phone number", or a bare e-mail address or phone number.

The field's validator checks the new value as it checks a typed answer; a correction without a
value ("change the e-mail") empties the field so the form asks it again. Nothing else changes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.inquiries import validation as v

# Field names as visitors say them, longest first so "e-mail address" wins over "e-mail".
FIELD_WORDS = (
    ("organisation_country", r"(?:our|my|the\s+organi[sz]ation(?:'s)?)\s+country|country\s+of\s+(?:the\s+)?organi[sz]ation|country"),
    ("partner_preference", r"preferred\s+partner|partner\s+(?:preference|city|country|location|region)|partner|preference"),
    ("organisation", r"organi[sz]ation(?:\s+name)?|org|local\s+government|city\s+name|municipality"),
    ("contact_email", r"e-?mail\s+address|e-?mail|mail\s+address|address"),
    ("contact_phone", r"(?:tele)?phone\s+number|(?:tele)?phone|tel|mobile(?:\s+number)?|number"),
    ("contact_name", r"contact\s+(?:person(?:'s)?\s+)?name|contact\s+person|contact|(?:my\s+)?name"),
    ("purpose", r"purposes?|fields?\s+of\s+exchange|fields?|goals?|aims?"),
    ("inquiry_message", r"message|note|comments?"),
)
_FIELD = "|".join(f"(?P<{slot}>{words})" for slot, words in FIELD_WORDS)
_LEAD = r"^(?:(?:sorry|actually|oh|wait|oops|please|no|hmm|(?:one\s+|small\s+|a\s+)?correction|also|one\s+more\s+thing)[\s,.!:;-]+)*"
_OWNER = r"(?:the\s+|my\s+|our\s+)?"
_CHANGE = re.compile(
    _LEAD + r"(?:(?:can|could)\s+you\s+|i(?:['\u2019]d|\s+would)\s+like\s+to\s+|i\s+(?:want|need)\s+to\s+|let\s+me\s+)?"
    r"(?:change|update|correct|fix|edit|replace|amend|modify|redo|make|set|put|add|include|use|write|spell|record|"
    r"enter|list)\s+" + _OWNER + r"(?:" + _FIELD + r")\b"
    r"(?:\s+(?:to|into|with|as|for)\b\s*[:=]?\s*|\s*[:=]\s*|\s+)?(?P<value>.*)$", re.IGNORECASE)
_STATE = re.compile(
    _LEAD + _OWNER + r"(?:" + _FIELD + r")\s*(?:should\s+(?:(?:just|only|really|actually)\s+)?(?:be|read)|must\s+be|needs\s+to\s+be|has\s+to\s+be|"
    r"is\s+actually|is|=|:)\s*(?P<value>.+)$", re.IGNORECASE)
_WRONG = (
    re.compile(_LEAD + r"(?:wrong|incorrect)\s+" + _OWNER + r"(?:" + _FIELD + r")[\s.!]*$", re.IGNORECASE),
    re.compile(_LEAD + _OWNER + r"(?:" + _FIELD + r")\s+(?:is\s+)?(?:wrong|incorrect|not\s+right|a\s+mistake)[\s.!]*$",
               re.IGNORECASE),
)
# "please add tea plantations and vocational training to the purpose"
_ADD_TO = re.compile(_LEAD + r"(?:(?:can|could)\s+you\s+)?(?:add|include|append)\s+(?P<value>.+?)\s+(?:to|in|into)\s+"
                     + _OWNER + r"(?:" + _FIELD + r")[\s.!]*(?:please)?[\s.!]*$", re.IGNORECASE)
_ADDABLE = {"purpose", "inquiry_message", "partner_preference"}
_EMAIL = re.compile(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")
_PHONE = re.compile(r"^\s*\+?[\d\s().\-]{7,}\s*$")


@dataclass(frozen=True)
class Correction:
    slot: str
    value: Optional[str]  # None: ask the field again
    added: bool = False  # "add X to the purpose": X goes after what the field holds


def _slot(match: re.Match) -> str:
    return next(slot for slot, _ in FIELD_WORDS if match.group(slot))


# "... should be Ms. Pranee Saetang instead", "make the partner Niigata please", "should just be Vietnam"
_AROUND_VALUE = re.compile(r"^(?:just|only|simply)\s+|[\s,]+(?:instead|please|thanks|thank\s+you|then)[\s.!]*$",
                           re.IGNORECASE)


def _value(slot: str, raw: str) -> Optional[str]:
    value = _AROUND_VALUE.sub("", raw.strip().rstrip(".!?").strip())  # "could you change ... to X?"
    value = value.strip().strip("\"'\u201c\u201d").rstrip(".!?").strip()
    if slot == "partner_preference":
        value = re.sub(r"^(?:in|from|located\s+in)\s+(?:the\s+)?", "", value, flags=re.IGNORECASE)
    return value or None


def read_correction(text: str) -> Optional[Correction]:
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    if _EMAIL.match(text):
        return Correction("contact_email", text.strip())
    if _PHONE.match(text) and v.validate_phone(text).ok:
        return Correction("contact_phone", text.strip())
    for pattern in _WRONG:
        wrong = pattern.match(text.strip())
        if wrong:
            return Correction(_slot(wrong), None)
    added = _ADD_TO.match(text.strip())
    if added and _slot(added) in _ADDABLE:
        return Correction(_slot(added), _value(_slot(added), added.group("value")), added=True)
    for pattern in (_CHANGE, _STATE):
        match = pattern.match(text.strip())
        if match:
            slot = _slot(match)
            return Correction(slot, _value(slot, match.group("value")))
    return None


def read_change_request(text: str) -> Optional[Correction]:
    """An explicit request to change a field, with its new value ("could you change the purpose to
    economic and tourism exchange?"): what may be typed before the summary, while another field is
    asked. A bare value or "the partner is ..." there is an answer to the question asked, not this."""
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    added = _ADD_TO.match(text.strip())
    if added and _slot(added) in _ADDABLE:
        value = _value(_slot(added), added.group("value"))
        return Correction(_slot(added), value, added=True) if value else None
    match = _CHANGE.match(text.strip().rstrip("?").strip())
    if match:
        value = _value(_slot(match), match.group("value"))
        return Correction(_slot(match), value) if value else None
    return None
