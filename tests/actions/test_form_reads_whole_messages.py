"""The request form reads a whole message the way a careful receptionist does: the contact details an
opening gives in passing (actions/contact_details.py), who the visitor said they were a little
earlier, an address among other words, a country named among other words, a change asked for
before the summary, the fields of exchange said in the opening. Run through the form's validation
action the way Rasa calls it, against the real knowledge base."""
import pytest

from actions.contact_details import email_among_words, read_contact_details, without_contact_tokens
from actions.form_input import QUESTION, YES_OR_NO, non_answer
from actions.inquiry_form import ValidateAffiliationForm
from actions.opening_request import read_opening

FILLED = {"organisation": "Hue City", "organisation_country": "Vietnam", "contact_name": "Mai Tran",
          "contact_email": "mai@hue.gov.vn", "contact_phone": "(none)", "partner_preference": "Japan",
          "partner_country": "Japan", "purpose": "culture"}


@pytest.fixture(autouse=True)
def _knowledge_base(database_url):
    return database_url


@pytest.fixture
def run_form(form_tracker, run_tracker):
    def run(text, requested_slot=None, intent="request_affiliation", slots=None, active=True, history=None):
        tracker = form_tracker(text, intent, requested_slot, slots=slots, active=active, history=history)
        messages, events = run_tracker(ValidateAffiliationForm(), tracker)
        return messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}

    return run


# -- contact details said in passing -------------------------------------------------------------
@pytest.mark.parametrize("text, name, email", [
    ("Hi, my name is Hajah Siti Rahmah and I'm with the Belait District Office. Reach me at siti@belait.gov.bn",
     "Hajah Siti Rahmah", "siti@belait.gov.bn"),
    ("Battambang Provincial Administration would like CLAIR's help. I am Mr. Sok Vannak, deputy governor.",
     "Sok Vannak", None),
    ("Matsuyama City, Ehime. Seeking a Vietnamese sister city. Contact person: Kobayashi Ken.", "Kobayashi Ken", None),
    ("Maebashi City here. I'm Kato Emi, kato-e@city.maebashi.gunma.jp", "Kato Emi", "kato-e@city.maebashi.gunma.jp"),
    ("Dear CLAIR, I am Nguyen Thi Lan from Quang Ninh Province, Vietnam.", "Nguyen Thi Lan", None),  # not "Thailand"
])
def test_a_contact_person_and_address_said_in_passing_are_read(kb, text, name, email):
    details = read_contact_details(text, kb.find_names(text))
    assert (details.name, details.email) == (name, email)


@pytest.mark.parametrize("text", ["I'm interested in a sister city", "this is Kumamoto Prefecture",
                                  "I am from Cebu", "we are looking for a partner"])
def test_no_person_is_read_from_a_government_a_place_or_a_description(kb, text):
    assert read_contact_details(text, kb.find_names(text)).name is None


def test_a_phone_number_needs_a_cue_or_an_international_form():
    assert read_contact_details("tel: 043-223-2111").phone == "043-223-2111"
    assert read_contact_details("call us on +63 2 8123 4567 please").phone == "+63 2 8123 4567"
    assert read_contact_details("We hosted 2015 and 2016 delegations").phone is None


@pytest.mark.parametrize("text, email", [
    ("sorry, hayashi-k@pref.toyama.lg.jp", "hayashi-k@pref.toyama.lg.jp"),
    ("my email is a.b@city.go.jp pls", "a.b@city.go.jp"),
    ("jerome abella@gmail.com", None),  # a space inside the address: asked again, not shortened
    ("a@b.org or c@d.org", None),
])
def test_an_address_among_words_only_when_the_words_introduce_it(text, email):
    assert email_among_words(text) == email


def test_the_words_around_contact_tokens_are_what_remains():
    assert without_contact_tokens("Ueda Shinji, ueda-s@city.takamatsu.lg.jp") == "Ueda Shinji"
    assert without_contact_tokens("Maria Santos and my phone is +63 917 123 4567") == "Maria Santos"


def test_the_opening_prefills_the_contact_person_and_address(run_form):
    text = ("Hello CLAIR. Da Nang City People's Committee, Vietnam. We want to find a sister city. "
            "My name is Tran Minh Duc and my email is ducmt@danang.gov.vn")
    _, slots = run_form(text, active=False)
    assert slots["organisation"] == "Da Nang City People's Committee"
    assert slots["contact_name"] == "Tran Minh Duc" and slots["contact_email"] == "ducmt@danang.gov.vn"


def test_a_name_and_address_typed_together_fill_both_fields(run_form):
    slots_before = {k: v for k, v in FILLED.items() if k in ("organisation", "organisation_country")}
    _, slots = run_form("Ueda Shinji, ueda-s@city.takamatsu.lg.jp", "contact_name", intent="inform", slots=slots_before)
    assert slots["contact_name"] == "Ueda Shinji" and slots["contact_email"] == "ueda-s@city.takamatsu.lg.jp"


def test_an_address_after_an_apology_is_taken(run_form):
    _, slots = run_form("sorry, hayashi-k@pref.toyama.lg.jp", "contact_email", intent="inform",
                        slots={"organisation": "Toyama", "contact_name": "Kenji Hayashi"})
    assert slots["contact_email"] == "hayashi-k@pref.toyama.lg.jp"


# -- who the visitor is, from the opening or a little earlier --------------------------------------
@pytest.mark.parametrize("text, organisation, country", [
    ("I'm Dewi from the West Java Provincial Government, Indonesia. We want to find a sister prefecture.",
     "West Java Provincial Government", "Indonesia"),
    ("Hello, Kochi Municipal Corporation from Kerala, India. We'd like help finding a sister city.",
     "Kochi Municipal Corporation", "India"),  # the namesake prefecture inside the name does not decide
    ("Respected Sir/Madam, Varanasi Municipal Corporation, Uttar Pradesh (India) wishes to find a partner.",
     "Varanasi Municipal Corporation", "India"),
    ("Sawasdee krub. Khon Kaen Municipality, Thailand is looking for a partner city.", "Khon Kaen Municipality", "Thailand"),
    ("hello, ayutthaya municipality in thailand here. we want a sister city", "Ayutthaya Municipality", "Thailand"),
    ("Selamat siang. Pemerintah Kota Surabaya here. We'd like one more sister city.", "Pemerintah Kota Surabaya", None),
    ("Kumamoto Prefecture here. We would like CLAIR's help to find a sister province.", "Kumamoto Prefecture", "Japan"),
    ("hi im from cebu city govt philippines, we want a japanese sister city pls help", "Cebu City Govt", "Philippines"),
    ("Selamat siang. Kami dari Pemerintah Kota Bandung, Indonesia. We want CLAIR's help", "Pemerintah Kota Bandung",
     "Indonesia"),
    ("Hi, I'm from Majlis Bandaraya Melaka Bersejarah (Melaka City Council, Malaysia). We hope for a sister city.",
     "Majlis Bandaraya Melaka Bersejarah", "Malaysia"),
    ("Good morning from Makassar City Government, South Sulawesi, Indonesia. Can CLAIR assist us?",
     "Makassar City Government", "Indonesia"),
    ("hello clair. battambang provincial administration, cambodia. looking for japanese sister province.",
     "Battambang Provincial Administration", "Cambodia"),
])
def test_the_organisation_and_its_country_are_read_past_greetings_and_place_names(kb, text, organisation, country):
    opening = read_opening(text, kb, read_contact_details(text, kb.find_names(text)).name_span)
    assert opening.organisation == organisation
    if country:
        assert opening.organisation_country == kb.resolve(country, kind="country").name


def test_who_the_visitor_said_they_were_earlier_prefills_the_request(run_form, kb):
    history = [{"event": "user", "text": "hello po, I work at Tacloban City Hall. is our city paired with a japanese city?"}]
    _, slots = run_form("ok. could CLAIR help us find another sister city?", active=False, history=history)
    assert slots["organisation"] == "Tacloban City Hall"
    assert slots["organisation_country"] == kb.resolve("Philippines", kind="country").name


@pytest.mark.parametrize("text, partner, purpose", [
    ("Mysuru City Corporation (India) seeks a sister city in Japan, preferably a heritage city like Kyoto or Nara.",
     "a heritage city like Kyoto or Nara", None),
    ("Pemerintah Kota Surabaya here. We'd like CLAIR to help us find one more sister city for education exchange.",
     None, "education exchange"),
    ("We are Cebu City, looking for a partner in Japan for tourism and trade.", None, "tourism and trade"),
])
def test_a_described_partner_and_the_fields_of_exchange_are_kept_as_written(kb, text, partner, purpose):
    opening = read_opening(text, kb)
    assert (opening.partner_preference, opening.purpose) == (partner, purpose)


@pytest.mark.parametrize("text", ["hi! can CLAIR help us find a sister city?", "We want to find a sister prefecture."])
def test_a_sister_city_in_general_is_no_preference(kb, text):
    assert read_opening(text, kb).partner_preference is None


# -- answers among other words ---------------------------------------------------------------------
def test_a_country_named_among_other_words_is_the_country(run_form, kb):
    _, slots = run_form("Philippines \u2014 San Jose, Occidental Mindoro", "organisation_country", intent="inform",
                        slots={"organisation": "Municipality of San Jose"})
    assert slots["organisation_country"] == kb.resolve("Philippines", kind="country").name


def test_a_question_after_a_clause_is_a_question_and_a_long_yes_is_no_purpose():
    assert non_answer("before I give email, what is JETAA? one of our staff was on JET before") == QUESTION
    assert non_answer("yes that's correct, send") == YES_OR_NO
    assert non_answer("no strong preference") == ""


# -- a change asked for before the summary ------------------------------------------------------------
def test_a_change_asked_for_while_another_field_is_asked_changes_that_field(run_form):
    messages, slots = run_form("Could you change the purpose to economic and tourism exchange?", "inquiry_message",
                               intent="followup", slots=FILLED)
    assert slots["purpose"] == "economic and tourism exchange"
    assert "inquiry_message" not in slots or slots["inquiry_message"] is None  # still asked
    assert "utter_changed_mid_form" in [m["response"] for m in messages]


def test_a_message_that_only_mentions_a_field_is_the_answer_asked(run_form):
    _, slots = run_form("the purpose is described in our letter", "inquiry_message", intent="inform", slots=FILLED)
    assert slots["inquiry_message"] == "the purpose is described in our letter" and "purpose" not in slots
