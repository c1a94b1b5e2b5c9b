"""Validators the inquiry form calls: values, reason codes and limits."""
import pytest

from bot.inquiries import validation as v
from knowledge.resolver import Candidate, Resolution


# -- e-mail ---------------------------------------------------------------------------------
def _address(local_chars: int, total_chars: int) -> str:
    """An address with a local part of local_chars and exactly total_chars in all."""
    local = "a" * local_chars
    domain_chars = total_chars - local_chars - 1
    labels, left = [], domain_chars - 4  # room for ".com"
    while left > 0:
        size = min(63, left)
        if left - size == 1:  # never leave a 0-char label after the dot
            size -= 1
        labels.append("b" * size)
        left -= size + 1
    domain = ".".join(labels) + ".com"
    address = f"{local}@{domain}"
    assert len(address) == total_chars and len(local) == local_chars
    return address


@pytest.mark.parametrize("address, expected", [
    ("maria.santos@batangas.example", "maria.santos@batangas.example"),
    ("  Maria.Santos@Batangas.GOV.ph ", "Maria.Santos@batangas.gov.ph"),
    ("a+tag@example.org", "a+tag@example.org"),
])
def test_valid_emails_are_normalised(address, expected):
    result = v.validate_email(address)
    assert result.ok and result.value == expected and result.reason is None


@pytest.mark.parametrize("address, reason", [
    ("", v.REASON_REQUIRED),
    (None, v.REASON_REQUIRED),
    ("maria", v.REASON_INVALID),
    ("maria@", v.REASON_INVALID),
    ("@example.org", v.REASON_INVALID),
    ("maria@@example.org", v.REASON_INVALID),
    ("maria santos@example.org", v.REASON_INVALID),
    ("maria@example", v.REASON_INVALID),  # no dot in the domain
])
def test_invalid_emails(address, reason):
    result = v.validate_email(address)
    assert not result.ok and result.value is None and result.reason == reason


def test_email_local_part_limit_is_64():
    assert v.validate_email(_address(64, 100)).ok
    assert v.validate_email(_address(65, 100)).reason == v.REASON_LOCAL_PART_TOO_LONG


def test_email_total_limit_is_254():
    assert v.validate_email(_address(10, 254)).ok
    assert v.validate_email(_address(10, 255)).reason == v.REASON_TOO_LONG
    assert v.validate_email("x" * 10_000).reason == v.REASON_TOO_LONG  # bounded before parsing


# -- phone ----------------------------------------------------------------------------------
@pytest.mark.parametrize("phone, expected", [
    ("+65 6224 7022", "+65 6224 7022"),
    ("(02) 8123-4567", "(02) 8123-4567"),
    ("  +91   22 1234 5678 ", "+91 22 1234 5678"),
    ("123456", "123456"),
    ("1" * 20, "1" * 20),
])
def test_valid_phones(phone, expected):
    assert v.validate_phone(phone) == v.Result(True, expected, None)


@pytest.mark.parametrize("phone", ["", None, "   "])
def test_phone_is_optional(phone):
    assert v.validate_phone(phone) == v.Result(True, None, None)


@pytest.mark.parametrize("phone, reason", [
    ("12345", v.REASON_TOO_FEW_DIGITS),
    ("1" * 21, v.REASON_TOO_MANY_DIGITS),
    ("+65 6224 70x2", v.REASON_INVALID_CHARACTERS),
    ("65+6224 7022", v.REASON_INVALID_CHARACTERS),
    ("call me", v.REASON_INVALID_CHARACTERS),
    ("----------", v.REASON_TOO_FEW_DIGITS),
])
def test_invalid_phones(phone, reason):
    assert v.validate_phone(phone).reason == reason


# -- names ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("  Maria   Santos ", "Maria Santos"),
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("Ho Chi Minh City People's Committee", "Ho Chi Minh City People's Committee"),
    ("Li", "Li"),
    ("தமிழ்நாடு அரசு", "தமிழ்நாடு அரசு"),
    ("Line\nbreak", "Line break"),
])
def test_valid_names(name, expected):
    assert v.validate_name(name) == v.Result(True, expected, None)


@pytest.mark.parametrize("name, reason", [
    ("", v.REASON_REQUIRED),
    ("   ", v.REASON_REQUIRED),
    ("A", v.REASON_TOO_SHORT),
    ("x" * 121, v.REASON_TOO_LONG),
    ("12345", v.REASON_NO_LETTER),
    ("--", v.REASON_NO_LETTER),
    ("Maria\x00Santos", v.REASON_CONTROL_CHARACTERS),
    ("Maria\u202eSantos", v.REASON_CONTROL_CHARACTERS),  # bidi override
])
def test_invalid_names(name, reason):
    assert v.validate_name(name).reason == reason


def test_name_limits():
    assert v.validate_organisation("x" * v.NAME_MAX_CHARS).ok
    assert v.validate_person_name("xy").ok


# -- free text ------------------------------------------------------------------------------
def test_purpose_limits():
    assert v.validate_purpose("a" * v.PURPOSE_MAX_CHARS).ok
    assert v.validate_purpose("a" * (v.PURPOSE_MAX_CHARS + 1)).reason == v.REASON_TOO_LONG
    assert v.validate_purpose("  ").reason == v.REASON_REQUIRED
    assert v.validate_purpose("Tourism,\r\n  agriculture  ").value == "Tourism,\nagriculture"
    assert v.validate_purpose("bell\x07").reason == v.REASON_CONTROL_CHARACTERS


def test_message_is_optional_with_limit():
    assert v.validate_message("") == v.Result(True, None, None)
    assert v.validate_message(None).ok
    assert v.validate_message("m" * v.MESSAGE_MAX_CHARS).ok
    assert v.validate_message("m" * (v.MESSAGE_MAX_CHARS + 1)).reason == v.REASON_TOO_LONG
    assert v.validate_message("Hello\n\n\n\nthere").value == "Hello\n\nthere"


def test_partner_preference():
    assert v.validate_partner_preference("  a coastal   city in Kyushu ").value == "a coastal city in Kyushu"
    assert v.validate_partner_preference("p" * v.PARTNER_PREFERENCE_MAX_CHARS).ok
    assert v.validate_partner_preference("p" * 121).reason == v.REASON_TOO_LONG
    assert v.validate_partner_preference("").reason == v.REASON_REQUIRED


@pytest.mark.parametrize("phrase", ["no preference", "No Preference.", "none", "Any", "anywhere!",
                                    "doesn't matter", "It doesn’t matter", "don't mind", "not sure",
                                    "N/A", "no particular preference", "  ANY CITY  "])
def test_no_preference_phrases(phrase):
    assert v.is_no_preference(phrase)
    assert v.validate_partner_preference(phrase) == v.Result(True, v.NO_PREFERENCE, None)


@pytest.mark.parametrize("phrase", ["Nagano", "any city in Hokkaido", "no cities near nuclear plants", ""])
def test_real_preferences_are_not_no_preference(phrase):
    assert not v.is_no_preference(phrase)


# -- country (real knowledge base) --------------------------------------------------------------
@pytest.mark.parametrize("typed, canonical", [
    ("Viet Nam", "Vietnam"), ("vietnam", "Vietnam"), ("Lao PDR", "Laos"), ("Burma", "Myanmar"),
    ("the Philippines", "Philippines"), ("Phillipines", "Philippines"), ("india", "India"), ("Japan", "Japan"),
])
def test_country_aliases_and_typos_resolve(kb, typed, canonical):
    result = v.validate_country(kb, typed)
    assert result.ok and result.known
    assert result.value == canonical and result.canonical == canonical


def test_unknown_country_is_kept_as_typed_but_flagged(kb):
    result = v.validate_country(kb, "  Sri   Lanka ")
    assert result.ok and not result.known
    assert result.status == v.COUNTRY_UNKNOWN
    assert result.value == "Sri Lanka" and result.canonical is None


@pytest.mark.parametrize("typed, reason", [("", v.REASON_REQUIRED), ("42", v.REASON_NO_LETTER),
                                           ("x" * 200, v.REASON_TOO_LONG)])
def test_invalid_country(kb, typed, reason):
    result = v.validate_country(kb, typed)
    assert not result.ok and result.status == v.COUNTRY_INVALID and result.reason == reason


def test_ambiguous_country_offers_candidates():
    class StubKB:  # the real list has no two countries close enough to be ambiguous
        def resolve(self, text, kind=None):
            assert kind == "country"
            return Resolution("ambiguous", text, candidates=(Candidate("Niger", "country", 90.0),
                                                             Candidate("Nigeria", "country", 88.0)))

    result = v.validate_country(StubKB(), "Nigera")
    assert not result.ok and result.status == v.COUNTRY_AMBIGUOUS
    assert result.candidates == ("Niger", "Nigeria") and result.value is None
