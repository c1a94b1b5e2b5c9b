"""What the opening request already says is kept (actions/opening_request.py), and a correction
at the summary changes only that field (actions/summary_corrections.py), both run through the
form's validation action the way Rasa calls it, against the real knowledge base."""
import pytest

from actions.inquiry_form import ValidateAffiliationForm
from actions.opening_request import read_opening
from actions.summary_corrections import read_correction

FILLED = {"organisation": "Hue City", "organisation_country": "Vietnam", "contact_name": "Mai Tran",
          "contact_email": "mai@hue.gov.vn", "contact_phone": "(none)", "partner_preference": "Japan",
          "partner_country": "Japan", "purpose": "culture", "inquiry_message": "(none)"}


@pytest.fixture(autouse=True)
def _knowledge_base(database_url):
    return database_url


@pytest.fixture
def run_form(form_tracker, run_tracker):
    def run(text, requested_slot=None, intent="request_affiliation", slots=None, active=True):
        tracker = form_tracker(text, intent, requested_slot, slots=slots, active=active)
        messages, events = run_tracker(ValidateAffiliationForm(), tracker)
        return messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}

    return run


# -- reading the opening request ---------------------------------------------------------------
def test_a_prefecture_names_the_organisation_and_its_country_is_the_home_country(kb):
    opening = read_opening("Hello, this is Kagoshima Prefecture. We would like a sister city in the Philippines", kb)
    assert opening.organisation == "Kagoshima Prefecture"
    assert opening.organisation_country == kb.home_country()
    assert opening.partner_preference == kb.resolve("Philippines", kind="country").name


def test_a_counterpart_on_the_list_gives_its_country(kb):
    opening = read_opening("we are legazpi city and want a partner", kb)
    assert opening.organisation == "Legazpi City"  # typed in lower case, noted as a name
    assert opening.organisation_country == kb.place("Legazpi").country
    assert opening.partner_preference is None


def test_an_unlisted_name_is_kept_without_a_guessed_country(kb):
    opening = read_opening("We are Cebu City and want a Japanese partner city", kb)
    assert opening == type(opening)("Cebu City", None, None)  # "Japanese" is every partner: still asked where


def test_a_country_said_after_the_name_is_the_organisations(kb):
    opening = read_opening("We are Tagbilaran City in the Philippines looking for a Japanese sister city", kb)
    assert (opening.organisation, opening.organisation_country, opening.partner_preference) == (
        "Tagbilaran City", kb.resolve("Philippines", kind="country").name, None)


@pytest.mark.parametrize("text,name", [
    ("Khon Kaen Municipality would like a Japanese sister city.", "Khon Kaen Municipality"),
    ("Ehime Prefecture is looking for a partner in the Philippines - can you help?", "Ehime Prefecture"),
    ("Shizuoka Prefecture - we'd like CLAIR to locate a partner city in Malaysia for us", "Shizuoka Prefecture"),
    ("Good day! The Provincial Government of Nueva Ecija seeks a sister province in Japan.",
     "Provincial Government of Nueva Ecija"),
    ("Hi, I'm the planning officer at Battambang Provincial Hall and we'd like CLAIR to help",
     "Battambang Provincial Hall"),
    ("Our city, Da Nang, is interested in a sister-city relationship with a Japanese city", "Da Nang"),
    ("I'm calling from Pune Municipal Corporation; we'd like another Japanese partner", "Pune Municipal Corporation"),
    ("Hello! Iam from Cagayan de Oro City, we want help finding a sister city in Japan", "Cagayan De Oro City"),
])
def test_the_name_is_read_where_people_put_it(kb, text, name):
    assert read_opening(text, kb).organisation.lower() == name.lower()


def test_a_prefecture_as_the_subject_has_its_country_inferred(kb):
    opening = read_opening("Miyagi Prefecture would like assistance locating a partner city in India.", kb)
    assert opening.organisation == "Miyagi Prefecture" and opening.organisation_country == kb.home_country()
    assert opening.partner_preference == kb.resolve("India", kind="country").name


@pytest.mark.parametrize("text,name,country", [
    ("Mingalaba. Yangon City Development Committee, Myanmar. We'd like to request assistance finding a sister city.",
     "Yangon City Development Committee", "Myanmar"),
    ("Sabaidee, Vientiane Capital Administration, Lao PDR. We hope to find a partner city in the Chubu region",
     "Vientiane Capital Administration", "Laos"),
    ("Penang Island City Council (Malaysia) wish to seek a sister city in Shikoku", "Penang Island City Council", "Malaysia"),
    ("Dear CLAIR Singapore, Siem Reap Provincial Administration would like to have a new friendship partner.",
     "Siem Reap Provincial Administration", "Cambodia"),
    ("Hanoi People's Committee, Department of Foreign Affairs. We would like support to find a second partner",
     "Hanoi People's Committee", "Vietnam"),
    ("selamat siang, Provincial Government of West Java, Indonesia. We want a sister prefecture",
     "Provincial Government of West Java", "Indonesia"),
    ("Narita City (Chiba) wants to form a friendship city relation in Vietnam.", "Narita City", "Japan"),
    ("Hello! City Government of Muntinlupa. Requesting assistance to find a new partner city",
     "City Government of Muntinlupa", "Philippines"),  # on the list
    ("Phuket Provincial Administrative Organization, Thailand. We are interested in a sister city",
     "Phuket Provincial Administrative Organization", "Thailand"),
    ("good afternoon, niigata pref. international affairs div. we are considering a friendship agreement",
     "Niigata Pref", "Japan"),
])
def test_a_government_named_as_such_is_the_organisation_with_its_country(kb, text, name, country):
    opening = read_opening(text, kb)
    assert opening.organisation == name
    assert opening.organisation_country == (kb.resolve(country).name if country else None)


@pytest.mark.parametrize("text,partner", [
    ("Greater Hyderabad Municipal Corporation here. We want help in locating a new partner city, preferably in Kyushu.",
     "Kyushu"),
    ("We hope to find a partner city in the Chubu region, can CLAIR Singapore support this?", "Chubu region"),
    ("Penang Island City Council (Malaysia) wish to seek a sister city in Shikoku", "Shikoku")])
def test_a_preferred_region_the_list_does_not_name_is_kept_as_written(kb, text, partner):
    assert read_opening(text, kb).partner_preference == partner


@pytest.mark.parametrize("text,partner", [
    ("Narita City (Chiba) wants to form a friendship city relation in Vietnam.", "Vietnam"),
    ("Phuket Provincial Administrative Organization, Thailand. We are interested in a sister city with an island "
     "prefecture, maybe Okinawa.", "Okinawa"),
    ("Miyazaki Prefecture is looking for a partner state in southern India.", "India")])
def test_a_known_partner_is_read_after_more_words(kb, text, partner):
    assert read_opening(text, kb).partner_preference == kb.resolve(partner).name


def test_an_organisation_called_something_in_a_country(kb):
    opening = read_opening("I'm with a small NPO in Japan called Setouchi Citizens Exchange Network. We want a partner "
                           "town in Indonesia or Malaysia for our community.", kb)
    assert opening.organisation == "Setouchi Citizens Exchange Network"
    assert opening.organisation_country == kb.home_country()


def test_a_government_named_as_the_partner_is_not_the_organisation(kb):
    opening = read_opening("Looking for a partner in Chiba Prefecture. We are Sendai City.", kb)
    assert opening.organisation == "Sendai City"


@pytest.mark.parametrize("text,partner", [("find a partner city in Vietnam", "Vietnam"),
                                          ("Can you help us find a Vietnamese partner city?", "Vietnam"),
                                          ("I represent Gifu Prefecture, we want a Thai sister city", "Thailand"),
                                          ("We want a sister city with a city in Hokkaido", "Hokkaido")])
def test_the_preferred_partner_is_read_from_where_or_an_adjective(kb, text, partner):
    expected = kb.resolve(partner).name
    assert read_opening(text, kb).partner_preference == expected


@pytest.mark.parametrize("text", ["I want to set up a sister city", "we're interested in a sister city",
                                  "We are happy to ask about partners", "/request_affiliation",
                                  "How do sister cities work in Vietnam?",
                                  "please help us find a sister city in japan"])
def test_nothing_unsure_is_read(kb, text):
    opening = read_opening(text, kb)
    assert opening.organisation is None and opening.organisation_country is None
    assert opening.partner_preference is None


def test_a_described_visitor_gives_only_the_country(kb):
    opening = read_opening("We're a small town in Vietnam looking for a Japanese partner", kb)
    assert opening.organisation is None
    assert opening.organisation_country == kb.resolve("Vietnam", kind="country").name


# -- pre-fill through the form ------------------------------------------------------------------
def test_the_form_keeps_what_the_request_said_and_says_so(run_form, kb, render):
    messages, slots = run_form("Hello, this is Kagoshima Prefecture. We would like a sister city in the Philippines",
                               active=False)
    philippines = kb.resolve("Philippines", kind="country").name
    assert slots["organisation"] == "Kagoshima Prefecture"
    assert slots["organisation_country"] == kb.home_country()
    assert slots["partner_preference"] == philippines and slots["partner_country"] == philippines
    assert "contact_name" not in slots  # asked next by the form
    note = render(next(m for m in messages if m["response"] == "utter_prefilled"))
    assert "Kagoshima Prefecture" in note and kb.home_country() in note and philippines in note


def test_a_name_that_would_not_pass_as_an_answer_is_left_for_the_form_to_ask(run_form):
    messages, slots = run_form("We are X and want a partner in Japan", active=False)  # a one-letter name
    assert slots.get("organisation") is None
    assert not any(m["response"].startswith("utter_invalid") for m in messages)  # not the visitor's mistake


def test_no_prefill_once_the_form_is_running(run_form):
    _, slots = run_form("We are Cebu City and want a Japanese partner city", requested_slot="purpose",
                        intent="inform", slots={k: v for k, v in FILLED.items() if k in ("organisation",)})
    assert "organisation_country" not in slots and "partner_preference" not in slots


def test_an_answer_kept_from_before_is_not_overwritten(run_form):
    _, slots = run_form("We are Cebu City and want a Japanese partner city", active=False,
                        slots={"organisation": "Hue City"})
    assert slots.get("organisation", "Hue City") == "Hue City"


# -- corrections at the summary -----------------------------------------------------------------
@pytest.mark.parametrize("text,slot,value", [
    ("change the e-mail to mai.tran@hue.gov.vn", "contact_email", "mai.tran@hue.gov.vn"),
    ("the partner should be in Vietnam", "partner_preference", "Vietnam"),
    ("Sorry, my name is Maria Cruz", "contact_name", "Maria Cruz"),
    ("please change the organisation name to Hue City People's Committee", "organisation",
     "Hue City People's Committee"),
    ("the purpose should be education and tourism", "purpose", "education and tourism"),
    ("0263-34-3000", "contact_phone", "0263-34-3000"),
    ("mai.tran@hue.gov.vn", "contact_email", "mai.tran@hue.gov.vn"),
    ("Could you change the message to: please reply in English", "inquiry_message", "please reply in English"),
    ("actually make the partner Tamil Nadu state, India", "partner_preference", "Tamil Nadu state, India"),
    ("make the partner preference Niigata please", "partner_preference", "Niigata"),
    ("the contact person should be Ms. Pranee Saetang instead", "contact_name", "Ms. Pranee Saetang"),
    ("sorry, the partner should just be Vietnam", "partner_preference", "Vietnam"),
    ("set the email to mai@hue.gov.vn", "contact_email", "mai@hue.gov.vn"),
    ("please add the phone number 072-228-7111", "contact_phone", "072-228-7111"),
    ("correction: the contact person is Ms. Liza Baldo of the City Planning Office", "contact_name",
     "Ms. Liza Baldo of the City Planning Office"),
])
def test_a_correction_names_the_field_and_the_new_value(text, slot, value):
    assert read_correction(text) == type(read_correction(text))(slot, value)


@pytest.mark.parametrize("text,slot", [("change the e-mail", "contact_email"), ("wrong phone number", "contact_phone"),
                                       ("the country is wrong", "organisation_country")])
def test_a_correction_without_a_value_asks_the_field_again(text, slot):
    correction = read_correction(text)
    assert correction.slot == slot and correction.value is None


@pytest.mark.parametrize("text", ["yes", "no", "maybe later", "change it", "What is JET?"])
def test_other_messages_are_no_correction(text):
    assert read_correction(text) is None


@pytest.mark.parametrize("intent", ["inform", "deny", "sister_cities", "cancel"])
def test_a_correction_at_the_summary_changes_that_field_and_shows_the_summary_again(run_form, intent):
    messages, slots = run_form("no, the e-mail should be mai.tran@hue.gov.vn", "inquiry_confirmed", intent=intent,
                               slots=FILLED)
    assert slots["contact_email"] == "mai.tran@hue.gov.vn"
    assert slots["inquiry_confirmed"] is None  # so the form shows the summary again
    assert not any(k in slots for k in ("organisation", "purpose", "contact_name"))  # nothing else changes


def test_a_partner_correction_updates_the_partner_country(run_form, kb):
    _, slots = run_form("the partner should be in Thailand", "inquiry_confirmed", slots=FILLED)
    assert slots["partner_preference"] == "Thailand"
    assert slots["partner_country"] == kb.resolve("Thailand", kind="country").name


def test_an_invalid_correction_is_refused_with_the_reason_and_asked_again(run_form):
    messages, slots = run_form("change the e-mail to mai at hue", "inquiry_confirmed", slots=FILLED)
    assert "utter_invalid_email" in [m["response"] for m in messages]
    assert slots["contact_email"] is None  # the first empty field: the form asks it next


def test_a_correction_without_a_value_asks_that_field_quietly(run_form):
    messages, slots = run_form("change the e-mail", "inquiry_confirmed", slots=FILLED)
    assert messages == []  # no error message: the form asks for the e-mail next
    assert slots["contact_email"] is None  # the first empty field: the form asks it next


@pytest.mark.parametrize("text, organisation, country", [
    ("Can CLAIR help us find a Japanese sister city? We are the provincial administration of Kampot in Cambodia.",
     "provincial administration of Kampot", "Cambodia"),
    ("We're looking for a Japanese partner city, this is Bayview City Hall", "Bayview City Hall", None),
    ("morning! Davao City government here, philippines - we're after a japanese sister city",
     "Davao City government", "Philippines"),
])
def test_the_organisation_is_read_wherever_the_opening_names_it(kb, text, organisation, country):
    opening = read_opening(text, kb)
    assert opening.organisation == organisation
    assert opening.organisation_country == (kb.resolve(country, kind="country").name if country else None)


@pytest.mark.parametrize("text, country", [
    ("Our municipality in Cambodia wants to find a sister city, can you help?", "Cambodia"),
    ("hi im from a regency in indonesia, we want sister city help", "Indonesia"),
])
def test_the_visitors_own_country_said_without_a_name_is_kept(kb, text, country):
    opening = read_opening(text, kb)
    assert opening.organisation is None and opening.organisation_country == country


def test_a_sister_city_for_a_named_city_names_the_organisation(kb):
    opening = read_opening("I'd like help finding a sister city for Legazpi City", kb)
    assert opening.organisation == "Legazpi City"
    assert opening.organisation_country == kb.place("Legazpi").country


@pytest.mark.parametrize("text", ["Hello, we'd like help finding an overseas sister city for our town",
                                  "Need help finding a Japanese sister city for our province"])
def test_our_town_is_no_name(kb, text):
    assert read_opening(text, kb).organisation is None


@pytest.mark.parametrize("text, organisation, country, partner", [
    ("Niigata Prefecture, International Affairs Division. We are exploring a sister relationship with a city in "
     "Thailand.", "Niigata Prefecture", "Japan", "Thailand"),
    ("Hello! I work for Sakai City in Osaka Prefecture. Could CLAIR help us find a partner city in India?",
     "Sakai City", "Japan", "India"),
    ("We are the Greater Chennai Corporation, India. We'd like CLAIR to help us find a partner city, ideally in Aichi.",
     "Greater Chennai Corporation", "India", "Aichi"),
    ("Aichi Prefecture here. We'd like help finding another partner, this time in Laos.", "Aichi Prefecture", "Japan",
     "Laos"),
    ("helo, we r Kota Kinabalu City Hall in Sabah Malaysia, looking 4 a sister city in Hokkaido",
     "Kota Kinabalu City Hall", "Malaysia", "Hokkaido"),
])
def test_the_opening_gives_name_country_and_partner_wherever_they_are_said(kb, text, organisation, country, partner):
    assert read_opening(text, kb) == type(read_opening(text, kb))(organisation, country, partner)


def test_adding_to_the_purpose_keeps_what_it_held(run_form):
    _, slots = run_form("please add tea plantations and vocational training to the purpose", "inquiry_confirmed",
                        slots=FILLED)
    assert slots["purpose"] == f"{FILLED['purpose']}, tea plantations and vocational training"
    assert slots["inquiry_confirmed"] is None
