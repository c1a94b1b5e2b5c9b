"""Pure validators for the inquiry form's slots.

Each returns a small frozen result: ``ok``, the cleaned ``value`` to store, and on failure
a ``reason`` code (REASON_* below) that the form maps to a reply. Nothing here touches the
database except ``validate_country``, which only reads the knowledge base given to it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional, Tuple

from email_validator import EmailNotValidError, validate_email as _email_validator

# OWASP input-validation limits for e-mail addresses (RFC 5321 path/local-part sizes).
EMAIL_MAX_CHARS = 254
EMAIL_LOCAL_MAX_CHARS = 64
PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 20
NAME_MIN_CHARS = 2
NAME_MAX_CHARS = 120
PURPOSE_MAX_CHARS = 500
MESSAGE_MAX_CHARS = 1000
PARTNER_PREFERENCE_MAX_CHARS = 120

NO_PREFERENCE = "no preference"

REASON_REQUIRED = "required"
REASON_TOO_SHORT = "too_short"
REASON_TOO_LONG = "too_long"
REASON_LOCAL_PART_TOO_LONG = "local_part_too_long"
REASON_INVALID = "invalid"
REASON_INVALID_CHARACTERS = "invalid_characters"
REASON_CONTROL_CHARACTERS = "control_characters"
REASON_NO_LETTER = "no_letter"
REASON_TOO_FEW_DIGITS = "too_few_digits"
REASON_TOO_MANY_DIGITS = "too_many_digits"
REASON_AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Result:
    ok: bool
    value: Optional[str] = None
    reason: Optional[str] = None


def _valid(value: Optional[str]) -> Result:
    return Result(True, value, None)


def _invalid(reason: str) -> Result:
    return Result(False, None, reason)


# -- text hygiene --------------------------------------------------------------------------
def _has_control(text: str, allow: str = "") -> bool:
    """Control/format/unassigned characters (NUL, zero-width, bidi overrides...) have no
    place in a name and could smuggle content into e-mails or the console."""
    return any(unicodedata.category(ch)[0] == "C" and ch not in allow for ch in text)


def _collapse(text: Optional[str]) -> str:
    return " ".join((text or "").split())


def _free_text(text: Optional[str], max_chars: int, required: bool) -> Result:
    """Multi-line text: keeps line breaks (normalised to \\n), trims each line's ends."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = "\n".join(" ".join(line.split()) for line in lines).strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    if not cleaned:
        return _invalid(REASON_REQUIRED) if required else _valid(None)
    if _has_control(cleaned, allow="\n"):
        return _invalid(REASON_CONTROL_CHARACTERS)
    if len(cleaned) > max_chars:
        return _invalid(REASON_TOO_LONG)
    return _valid(cleaned)


# -- fields ---------------------------------------------------------------------------------
def validate_email(text: Optional[str]) -> Result:
    """Syntax only (no DNS: the form must answer at once and offline). Returns the
    normalised address (domain lower-cased/IDNA-normalised)."""
    address = (text or "").strip()
    if not address:
        return _invalid(REASON_REQUIRED)
    # Length limits first: cheap, and they bound the work the parser does.
    if len(address) > EMAIL_MAX_CHARS:
        return _invalid(REASON_TOO_LONG)
    if "@" in address and len(address.rsplit("@", 1)[0]) > EMAIL_LOCAL_MAX_CHARS:
        return _invalid(REASON_LOCAL_PART_TOO_LONG)
    try:
        info = _email_validator(address, check_deliverability=False)
    except EmailNotValidError:
        return _invalid(REASON_INVALID)
    return _valid(info.normalized)


_PHONE_CHARS = re.compile(r"^\+?[0-9\s\-()]+$")


def validate_phone(text: Optional[str]) -> Result:
    """Optional: empty gives ok with value None. Digits, spaces, -, (), one leading +."""
    phone = _collapse(text)
    if not phone:
        return _valid(None)
    if not _PHONE_CHARS.match(phone):
        return _invalid(REASON_INVALID_CHARACTERS)
    digits = sum(ch.isdigit() for ch in phone)
    if digits < PHONE_MIN_DIGITS:
        return _invalid(REASON_TOO_FEW_DIGITS)
    if digits > PHONE_MAX_DIGITS:
        return _invalid(REASON_TOO_MANY_DIGITS)
    return _valid(phone)


def validate_name(text: Optional[str]) -> Result:
    """A person's or an organisation's name: whitespace collapsed, 2-120 characters, at
    least one letter (any script), no control characters."""
    name = _collapse(text)
    if not name:
        return _invalid(REASON_REQUIRED)
    if _has_control(name):
        return _invalid(REASON_CONTROL_CHARACTERS)
    if len(name) < NAME_MIN_CHARS:
        return _invalid(REASON_TOO_SHORT)
    if len(name) > NAME_MAX_CHARS:
        return _invalid(REASON_TOO_LONG)
    if not any(ch.isalpha() for ch in name):
        return _invalid(REASON_NO_LETTER)
    return _valid(name)


validate_person_name = validate_name
validate_organisation = validate_name


def validate_purpose(text: Optional[str]) -> Result:
    """The fields of exchange the organisation is interested in (required)."""
    return _free_text(text, PURPOSE_MAX_CHARS, required=True)


def validate_message(text: Optional[str]) -> Result:
    """An optional message to staff; empty gives ok with value None."""
    return _free_text(text, MESSAGE_MAX_CHARS, required=False)


# "No preference" as people type it; compared after lower-casing and dropping punctuation.
NO_PREFERENCE_PHRASES = frozenset({
    "no preference", "no preferences", "no particular preference", "no specific preference",
    "none", "nothing", "no", "nope", "nil", "na", "n a", "any", "anything", "anywhere",
    "any city", "any place", "any town", "any prefecture", "any region", "any country",
    "doesnt matter", "does not matter", "it doesnt matter", "dont mind", "do not mind",
    "dont care", "do not care", "not sure", "unsure", "no idea", "open", "open to any",
    "open to anything", "either", "whatever", "up to you", "no preference at all",
    "anywhere is fine", "any is fine", "no pref",
})


def _phrase_key(text: Optional[str]) -> str:
    text = (text or "").lower().replace("\u2019", "").replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def is_no_preference(text: Optional[str]) -> bool:
    return _phrase_key(text) in NO_PREFERENCE_PHRASES


def validate_partner_preference(text: Optional[str]) -> Result:
    """Free text (e.g. "a coastal city in Kyushu") or NO_PREFERENCE for any of its phrasings."""
    if is_no_preference(text):
        return _valid(NO_PREFERENCE)
    return _free_text(_collapse(text), PARTNER_PREFERENCE_MAX_CHARS, required=True)


# -- country -------------------------------------------------------------------------------
COUNTRY_KNOWN = "known"
COUNTRY_AMBIGUOUS = "ambiguous"
COUNTRY_UNKNOWN = "unknown"
COUNTRY_INVALID = "invalid"


@dataclass(frozen=True)
class CountryResult:
    """status: known (value = canonical KB name), ambiguous (candidates to offer),
    unknown (value = the name as typed, cleaned) or invalid (reason set).

    Decision: an unknown country is ACCEPTED as typed (``ok`` is True) -- CLAIR Singapore
    hears from ASEAN and Indian local governments and others the knowledge base may not
    list, and a real inquiry must not be turned away for that. The form stores it as the
    organisation's country; it is never stored as ``partner_country``, which holds KB
    names only (``canonical`` is None unless known).
    """

    status: str
    value: Optional[str] = None
    candidates: Tuple[str, ...] = ()
    reason: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.status in (COUNTRY_KNOWN, COUNTRY_UNKNOWN)

    @property
    def known(self) -> bool:
        return self.status == COUNTRY_KNOWN

    @property
    def canonical(self) -> Optional[str]:
        return self.value if self.known else None


def validate_country(kb, text: Optional[str]) -> CountryResult:
    """Resolve a country name through ``kb.resolve(text, kind="country")`` (a
    knowledge.KnowledgeBase): aliases ("Viet Nam") and typos ("Phillipines") give the
    canonical name."""
    name = validate_name(text)
    if not name.ok:
        return CountryResult(COUNTRY_INVALID, reason=name.reason)
    resolution = kb.resolve(name.value, kind="country")
    if resolution.status in ("exact", "fuzzy"):
        return CountryResult(COUNTRY_KNOWN, resolution.name)
    if resolution.status == "ambiguous":
        names = tuple(dict.fromkeys(c.name for c in resolution.candidates))
        return CountryResult(COUNTRY_AMBIGUOUS, candidates=names, reason=REASON_AMBIGUOUS)
    return CountryResult(COUNTRY_UNKNOWN, name.value)
