"""The sister-city inquiry form's extraction and validation (actions/inquiry_form.py), run the way
Rasa's FormAction calls `validate_affiliation_form` / `validate_escalation_form`: a tracker with
the active loop, requested_slot, the latest message and the slots, through the action's own
`run` (rasa-sdk's FormValidationAction: extract_<slot>, then validate_<slot>).

An answer that is extracted and validated comes back as SlotSet(slot, value) + invalid_answers 0;
a rejected one as SlotSet(slot, None) + the invalid-answer count; a message that is not an answer
returns no event at all, so Rasa rejects the form and the rules answer the message instead.
"""
import json

import pytest

from actions.inquiry_form import SKIPPED, ValidateAffiliationForm, ValidateEscalationForm, typed_answer
from bot.inquiries import validation as v

FORM_TEXT_SLOTS = ("organisation", "organisation_country", "contact_name", "contact_email", "contact_phone",
                   "partner_preference", "purpose", "inquiry_message")
REQUIRED_TEXT_SLOTS = ("organisation", "organisation_country", "contact_name", "contact_email",
                       "partner_preference", "purpose")


@pytest.fixture(autouse=True)
def _knowledge_base(database_url):
    """The country and partner-preference validators read the real knowledge base."""
    return database_url


@pytest.fixture
def validate(form_tracker, run_tracker):
    """validate(text, requested_slot, intent="inform", slots=None, entities=None, candidates=None,
    form="affiliation_form", active=True) -> (messages, {slot: value}, events)."""

    def run(text, requested_slot, intent="request_affiliation", slots=None, entities=None, candidates=None,
            form="affiliation_form", active=True, typed_before=()):
        action = ValidateAffiliationForm() if form == "affiliation_form" else ValidateEscalationForm()
        history = [{"event": "user", "text": before, "timestamp": 1_700_000_000.0 + n, "parse_data": {}}
                   for n, before in enumerate(typed_before)]
        tracker = form_tracker(text, intent, requested_slot, slots=slots, entities=entities,
                               candidates=candidates, form=form, active=active, history=history)
        messages, events = run_tracker(action, tracker)
        assert all(e["event"] == "slot" for e in events), events
        return messages, {e["name"]: e["value"] for e in events}, events

    return run


def responses(messages):
    return [m["response"] for m in messages]


def accepted(slots, slot, value):
    return slots == {slot: value, "invalid_answers": 0}


# -- extraction: which message is an answer, and to which slot ------------------------------------
@pytest.mark.parametrize("requested", FORM_TEXT_SLOTS)
def test_only_the_requested_slot_is_extracted_from_the_latest_text(form_tracker, requested):
    tracker = form_tracker("Hue City People's Committee", "request_affiliation", requested)
    for slot in FORM_TEXT_SLOTS:
        extracted = typed_answer(tracker, slot)
        assert extracted == ({slot: "Hue City People's Committee"} if slot == requested else {}), slot


def test_nothing_is_extracted_when_no_slot_is_requested(validate):
    messages, slots, events = validate("Hue City People's Committee", None)
    assert messages == [] and events == []


@pytest.mark.parametrize("text,intent", [("perhaps next month", "repp_fy2015"), ("maybe later", "out_of_scope"),
                                         ("Hue City People's Committee", "request_affiliation")])
def test_anything_but_yes_no_or_a_question_at_the_summary_gets_an_explanation(validate, text, intent):
    messages, slots, _ = validate(text, "inquiry_confirmed", intent=intent)
    assert responses(messages) == ["utter_summary_help"]
    assert slots == {"inquiry_confirmed": None}  # nothing sent, the summary is shown again


@pytest.mark.parametrize("text,intent", [("yes", "affirm"), ("no", "deny"), ("What is JET?", "jet_about"),
                                         ("cancel", "cancel"), ("hi", "greet")])
def test_yes_no_questions_and_control_at_the_summary_are_left_to_the_domain_and_rules(validate, text, intent):
    messages, slots, events = validate(text, "inquiry_confirmed", intent=intent)
    assert messages == [] and events == []


# "No" to the partner question means no preference: not among these.
@pytest.mark.parametrize("text, requested", [
    (text, requested) for text in ["yes", "No", "OK", "thanks", "Hello!"]
    for requested in ["organisation", "organisation_country", "contact_name", "contact_email", "partner_preference",
                      "purpose"]
    if not (requested == "partner_preference" and text == "No")])
def test_yes_no_and_social_remarks_are_never_stored_as_answers(validate, text, requested):
    messages, slots, _ = validate(text, requested, intent="affirm")
    assert responses(messages)[0] in ("utter_not_an_answer", "utter_invalid_required")
    assert slots[requested] is None


@pytest.mark.parametrize("text,intent", [("What is CLAIR?", "affirm"), ("How do I apply for JET?", "thank")])
@pytest.mark.parametrize("requested", ["organisation", "organisation_country", "contact_name", "purpose"])
def test_a_question_no_rule_answers_is_refused_with_what_the_field_needs(validate, text, intent, requested):
    messages, slots, _ = validate(text, requested, intent=intent)
    assert responses(messages)[0] == "utter_question_not_an_answer" and slots[requested] is None


@pytest.mark.parametrize("text,intent", [("What is CLAIR?", "nlu_fallback"),
                                         ("what's the salary of an ALT", "out_of_scope"),
                                         ("and Osaka?", "followup")])
def test_a_question_a_mid_form_rule_answers_fills_nothing(validate, text, intent):
    messages, slots, events = validate(text, "contact_name", intent=intent)
    assert messages == [] and events == []


def test_the_form_extracts_and_validates_only_the_requested_slot(validate):
    messages, slots, _ = validate("Jane Tan", "contact_name", intent="out_of_scope")
    assert messages == []
    assert slots == {"contact_name": "Jane Tan", "invalid_answers": 0}


@pytest.mark.parametrize("text,intent", [
    ("What does an ALT do?", "jet_position_detail"),
    ("what does an ALT do", "jet_position_detail"),
    ("How many sister cities does Osaka have", "sister_city_count"),
    ("Is Hanoi a sister city of Fukuoka?", "sister_cities"),
    ("Tell me about REPP", "repp_about"),
    ("btw what does JET stand for", "jet_about"),
    ("sorry which prefecture is our partner again", "sister_cities"),
    ("I was wondering who runs the seminar", "seminar_about"),
    ("by the way whats the monthly salary of a CIR on JET. one of our staff is interested", "jet_position_detail"),
])
@pytest.mark.parametrize("requested", ["organisation", "contact_name", "partner_preference", "purpose"])
def test_a_question_asked_mid_form_fills_nothing(validate, text, intent, requested):
    messages, slots, events = validate(text, requested, intent=intent)
    assert messages == [] and events == []  # Rasa rejects the form; the rule answers the question


@pytest.mark.parametrize("requested", ["organisation", "partner_preference"])
def test_a_non_question_with_a_knowledge_intent_is_the_answer(validate, requested):
    messages, slots, _ = validate("Hue City", requested, intent="sister_cities")
    expected = {requested: "Hue City", "invalid_answers": 0}
    if requested == "partner_preference":
        expected["partner_country"] = None  # Hue is not in the knowledge base
    assert messages == [] and slots == expected


@pytest.mark.parametrize("text,intent", [
    ("cancel", "cancel"),
    ("Stop, I don't want to continue with this request", "cancel"),
    ("talk to a person", "human_handoff"),
    ("I would like to speak with a human from CLAIR staff please", "human_handoff"),
])
@pytest.mark.parametrize("requested", ["organisation", "contact_email", "inquiry_message"])
def test_cancel_and_human_handoff_fill_nothing(validate, text, intent, requested):
    messages, slots, events = validate(text, requested, intent=intent)
    assert messages == [] and events == []


def test_cancel_fills_nothing_in_the_escalation_form(validate):
    messages, slots, events = validate("cancel", "contact_email", intent="cancel", form="escalation_form")
    assert messages == [] and events == []


@pytest.mark.parametrize("text,intent", [("hi", "greet"), ("Hello there", "greet"), ("good morning!", "greet"),
                                         ("help", "help"), ("are you a bot?", "bot_challenge"),
                                         ("Hello, can you help me with something?", "greet")])
@pytest.mark.parametrize("requested", ["organisation", "contact_name", "purpose"])
def test_short_greetings_and_social_questions_fill_nothing(validate, text, intent, requested):
    messages, slots, events = validate(text, requested, intent=intent)
    assert messages == [] and events == []


def test_a_long_non_question_classified_as_a_greeting_is_an_answer(validate):
    text = "Hello Kitty Friendship Association of Penang"
    messages, slots, _ = validate(text, "organisation", intent="greet")
    assert messages == [] and accepted(slots, "organisation", text)


@pytest.mark.parametrize("text,intent", [("Ramon dela Cruz", "help"), ("Aisyah Rahman", "greet"),
                                         ("Somchai", "bot_challenge")])
def test_a_short_name_nlu_takes_for_a_social_message_is_an_answer(validate, text, intent):
    messages, slots, _ = validate(text, "contact_name", intent=intent)
    assert messages == [] and accepted(slots, "contact_name", text)


# -- e-mail -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["jane", "jane@", "@city.go.jp", "jane@@city.go.jp", "jane city.go.jp",
                                  "jane@city", "jane@city..go.jp"])
@pytest.mark.parametrize("form", ["affiliation_form", "escalation_form"])
def test_an_invalid_email_is_rejected(validate, text, form):
    messages, slots, _ = validate(text, "contact_email", intent="inform", form=form)
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_email", v.EMAIL_MAX_CHARS)]
    assert slots == {"contact_email": None, "invalid_answers": 1}


def test_the_local_part_may_have_64_characters_not_65(validate):
    ok = "a" * 64 + "@example.org"
    messages, slots, _ = validate(ok, "contact_email")
    assert messages == [] and accepted(slots, "contact_email", ok)

    messages, slots, _ = validate("a" * 65 + "@example.org", "contact_email")
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_email", v.EMAIL_MAX_CHARS)]
    assert slots == {"contact_email": None, "invalid_answers": 1}


def _address(total: int) -> str:
    domain = "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "." + "e" * 7 + ".com"  # labels under 64
    return "x" * (total - len(domain) - 1) + "@" + domain


def test_an_address_of_254_characters_is_accepted_255_rejected_as_too_long(validate):
    ok = _address(254)
    assert len(ok) == 254
    messages, slots, _ = validate(ok, "contact_email")
    assert messages == [] and accepted(slots, "contact_email", ok)

    too_long = _address(255)
    assert len(too_long) == 255 and len(too_long.split("@")[0]) <= 64
    messages, slots, _ = validate(too_long, "contact_email")
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_too_long", 254)]
    assert slots == {"contact_email": None, "invalid_answers": 1}


@pytest.mark.parametrize("form", ["affiliation_form", "escalation_form"])
def test_a_valid_address_is_normalised(validate, form):
    messages, slots, _ = validate("  Jane.Doe@City.Hanoi.GOV.VN ", "contact_email", form=form)
    assert messages == [] and accepted(slots, "contact_email", "Jane.Doe@city.hanoi.gov.vn")


# -- phone (optional) -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["skip", "Skip", "no", "None", "no thanks", "No thank you.", "n/a", "-", "nope!"])
def test_a_skipped_phone_is_stored_as_the_skipped_marker(validate, text):
    messages, slots, _ = validate(text, "contact_phone")
    assert messages == [] and accepted(slots, "contact_phone", SKIPPED)


@pytest.mark.parametrize("text,stored", [("+65 6123 4567", "+65 6123 4567"), ("+84 (24) 3825-3536", "+84 (24) 3825-3536"),
                                         ("  0912   345 678 ", "0912 345 678")])
def test_a_valid_phone_is_stored_cleaned(validate, text, stored):
    messages, slots, _ = validate(text, "contact_phone")
    assert messages == [] and accepted(slots, "contact_phone", stored)


@pytest.mark.parametrize("text", ["call me maybe", "12345", "+65 6123 4567 ext. 9", "1" * 21, "++65 6123 4567"])
def test_a_bad_phone_is_rejected(validate, text):
    messages, slots, _ = validate(text, "contact_phone")
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_phone", 20)]
    assert slots == {"contact_phone": None, "invalid_answers": 1}


# -- required answers cannot be skipped; "/..." is never an answer -----------------------------------
@pytest.mark.parametrize("text", ["skip", "none", "no", "n/a"])
@pytest.mark.parametrize("slot", ["organisation", "contact_name", "contact_email", "purpose"])
def test_a_required_answer_cannot_be_skipped(validate, slot, text):
    messages, slots, _ = validate(text, slot)
    assert responses(messages) == ["utter_invalid_required"]
    assert slots == {slot: None, "invalid_answers": 1}


@pytest.mark.parametrize("text", ["skip", "none", "no", "n/a"])
def test_the_organisation_country_cannot_be_skipped(validate, text):
    messages, slots, _ = validate(text, "organisation_country")
    assert slots.get("organisation_country") is None
    assert "utter_country_not_listed" not in responses(messages)


@pytest.mark.parametrize("text", ["skip", "-"])
def test_the_partner_preference_is_not_stored_as_a_skip_word(validate, text):
    messages, slots, _ = validate(text, "partner_preference")
    assert slots.get("partner_preference") in (None, v.NO_PREFERENCE)


@pytest.mark.parametrize("text", ["/affirm", "/deny", "  /skip", "/request_affiliation",
                                  '/inform{"organisation": "Evil Corp"}', "/Vietnam"])
@pytest.mark.parametrize("slot", FORM_TEXT_SLOTS)
def test_a_value_starting_with_a_slash_is_never_accepted(validate, slot, text):
    messages, slots, _ = validate(text, slot, intent="affirm" if text == "/affirm" else "request_affiliation")
    assert slots[slot] is None and slots["invalid_answers"] == 1
    assert "partner_country" not in slots or slots["partner_country"] is None
    assert responses(messages) == ["utter_invalid_required"]


def test_a_slash_value_is_not_accepted_in_the_escalation_form(validate):
    messages, slots, _ = validate("/affirm", "contact_email", intent="affirm", form="escalation_form")
    assert responses(messages) == ["utter_invalid_required"]
    assert slots == {"contact_email": None, "invalid_answers": 1}


# -- lengths ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("slot", ["organisation", "contact_name"])
def test_names_of_120_characters_are_accepted_121_rejected(validate, slot):
    name = "Hue " + "x" * 116
    messages, slots, _ = validate(name, slot)
    assert messages == [] and accepted(slots, slot, name)

    messages, slots, _ = validate(name + "y", slot)
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_too_long", v.NAME_MAX_CHARS)]
    assert slots == {slot: None, "invalid_answers": 1}


def test_an_organisation_country_too_long_is_rejected_with_max_chars(validate):
    messages, slots, _ = validate("Republic of " + "x" * 120, "organisation_country")
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_too_long", v.NAME_MAX_CHARS)]
    assert slots == {"organisation_country": None, "invalid_answers": 1}


@pytest.mark.parametrize("slot,limit", [("purpose", v.PURPOSE_MAX_CHARS), ("inquiry_message", v.MESSAGE_MAX_CHARS),
                                        ("partner_preference", v.PARTNER_PREFERENCE_MAX_CHARS)])
def test_free_text_over_its_limit_is_rejected_with_max_chars(validate, slot, limit):
    messages, slots, _ = validate("x" * (limit + 1), slot)
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_too_long", limit)]
    assert slots[slot] is None and slots["invalid_answers"] == 1

    messages, slots, _ = validate("x" * limit, slot)
    assert messages == [] and slots[slot] == "x" * limit and slots["invalid_answers"] == 0


@pytest.mark.parametrize("text", ["A", "12345", "x"])
def test_a_name_too_short_or_without_letters_is_rejected(validate, text):
    messages, slots, _ = validate(text, "contact_name")
    assert [(m["response"], m.get("max_chars")) for m in messages] == [("utter_invalid_name", v.NAME_MAX_CHARS)]
    assert slots == {"contact_name": None, "invalid_answers": 1}


def test_optional_message_skipped_and_kept(validate):
    messages, slots, _ = validate("no thanks", "inquiry_message")
    assert messages == [] and accepted(slots, "inquiry_message", SKIPPED)
    messages, slots, _ = validate("We visited Osaka in 2014.\r\n\r\n\r\nThank you", "inquiry_message")
    assert messages == [] and accepted(slots, "inquiry_message", "We visited Osaka in 2014.\n\nThank you")


# -- countries ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,country", [("Viet Nam", "Vietnam"), ("vietnam", "Vietnam"), ("Phillipines", "Philippines"),
                                          ("Lao PDR", "Laos"), ("Burma", "Myanmar"), ("Singapore", "Singapore")])
def test_a_known_country_is_stored_as_the_knowledge_base_spells_it(validate, kb, text, country):
    assert kb.resolve(country, kind="country").name == country
    messages, slots, _ = validate(text, "organisation_country")
    assert messages == [] and accepted(slots, "organisation_country", country)


@pytest.mark.parametrize("text,stored", [("Sri Lanka", "Sri Lanka"), ("  South   Korea ", "South Korea"),
                                         ("Atlantis", "Atlantis")])
def test_an_unknown_country_is_asked_again_first(validate, kb, text, stored):
    assert kb.resolve(stored, kind="country").status == "unknown"
    messages, slots, _ = validate(text, "organisation_country")
    assert [(m["response"], m.get("country")) for m in messages] == [("utter_country_unknown", stored)]
    assert slots == {"organisation_country": None, "invalid_answers": 1}


@pytest.mark.parametrize("text,stored", [("Sri Lanka", "Sri Lanka"), ("  South   Korea ", "South Korea")])
def test_an_unknown_country_typed_twice_is_accepted_as_typed_with_a_note(validate, text, stored):
    messages, slots, _ = validate(text, "organisation_country", typed_before=[text.strip().upper()],
                                  slots={"invalid_answers": 1})
    assert [(m["response"], m.get("country")) for m in messages] == [("utter_country_not_listed", stored)]
    assert accepted(slots, "organisation_country", stored)


def test_a_person_typed_as_the_country_is_not_stored(validate, render):
    messages, slots, _ = validate("Maria Santos", "organisation_country", typed_before=["Cebu City"])
    assert slots["organisation_country"] is None
    assert render(messages[0]).startswith('I don\'t know "Maria Santos" as a country.')


def test_the_organisation_typed_again_as_the_country_is_not_typed_twice(validate):
    _, slots, _ = validate("Maria Santos", "organisation_country", typed_before=["Maria Santos"],
                           slots={"invalid_answers": 0})
    assert slots["organisation_country"] is None


@pytest.mark.parametrize("text,stored", [("find a partner in Vietnam", "Vietnam"),
                                         ("a Thai city would be great", "Thailand"),
                                         ("somewhere on the coast", "somewhere on the coast")])
def test_a_preference_sentence_is_noted_as_the_place_it_names(validate, text, stored):
    _, slots, _ = validate(text, "partner_preference")
    assert slots["partner_preference"] == stored


def test_an_unknown_country_note_renders(validate, render):
    messages, _, _ = validate("Sri Lanka", "organisation_country", typed_before=["Sri Lanka"],
                              slots={"invalid_answers": 1})
    assert render(messages[0]).startswith("Noted: Sri Lanka.")


# -- a value that belongs to another field ---------------------------------------------------------
def test_an_email_typed_as_the_name_is_kept_as_the_email_and_the_name_asked_again(validate, render):
    messages, slots, _ = validate("maria@cebu.gov.ph", "contact_name")
    assert slots == {"contact_name": None, "contact_email": "maria@cebu.gov.ph"}
    assert render(messages[0]).startswith("That looks like the e-mail address: I've noted maria@cebu.gov.ph")


def test_a_phone_typed_as_the_purpose_is_kept_as_the_phone(validate):
    messages, slots, _ = validate("+63 32 255 1234", "purpose")
    assert slots == {"purpose": None, "contact_phone": "+63 32 255 1234"}
    assert messages[0]["response"] == "utter_kept_for_other_field"


def test_an_email_at_the_name_does_not_replace_an_email_already_given(validate):
    messages, slots, _ = validate("other@cebu.gov.ph", "contact_name", slots={"contact_email": "maria@cebu.gov.ph"})
    assert slots == {"contact_name": None}
    assert messages[0]["response"] == "utter_belongs_to_other_field"


def test_an_organisation_with_a_number_in_it_is_still_a_name(validate):
    _, slots, _ = validate("District 7 Council", "organisation")
    assert slots["organisation"] == "District 7 Council"


# -- the country inferred from the organisation's name -------------------------------------------------
@pytest.mark.parametrize("text,country", [("Kagoshima City", "Japan"), ("Legazpi City Government", "Philippines"),
                                          ("Chiang Mai Municipality", "Thailand")])
def test_the_country_of_a_known_place_is_inferred_and_said(validate, render, text, country):
    messages, slots, _ = validate(text, "organisation")
    assert slots["organisation"] == text and slots["organisation_country"] == country
    assert render(messages[0]) == f"Noted: {text} is in {country}. You can change it when I show the summary."


@pytest.mark.parametrize("text,country", [("Philippines", "Philippines"), ("the Philippines", "Philippines"),
                                          ("India", "India")])
def test_a_country_typed_as_the_organisation_is_kept_for_the_country_and_the_name_asked_again(validate, render,
                                                                                            text, country):
    messages, slots, _ = validate(text, "organisation")
    assert slots["organisation"] is None and slots["organisation_country"] == country
    assert responses(messages) == ["utter_organisation_is_a_country"] and country in render(messages[0])


def test_a_country_typed_as_the_organisation_does_not_replace_the_country_given(validate):
    _, slots, _ = validate("Vietnam", "organisation", slots={"organisation_country": "Thailand"})
    assert slots["organisation"] is None and "organisation_country" not in slots


def test_no_country_is_inferred_for_an_unknown_place(validate):
    messages, slots, _ = validate("Tagbilaran City", "organisation")
    assert "organisation_country" not in slots and messages == []


# -- partner preference --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["no preference", "No preference.", "Doesn't matter", "anywhere", "any city", "n/a"])
def test_no_preference_in_any_phrasing(validate, text):
    messages, slots, _ = validate(text, "partner_preference")
    assert messages == []
    assert slots == {"partner_preference": v.NO_PREFERENCE, "partner_country": None, "invalid_answers": 0}


def test_a_preference_naming_a_country_sets_the_partner_country(validate):
    messages, slots, _ = validate("a coastal city in Viet Nam", "partner_preference")
    assert messages == []
    assert slots == {"partner_preference": "a coastal city in Viet Nam", "partner_country": "Vietnam",
                     "invalid_answers": 0}


@pytest.mark.parametrize("text,place", [("Chiang Mai", "Chiang Mai"), ("Saigon", "Ho Chi Minh City"),
                                        ("somewhere near Hanoi", "Hanoi"), ("Bengaluru", "Bangalore"),
                                        ("a town like Legaspi", "Legazpi"), ("Siem Reap", "Siem Reap Province")])
def test_a_preference_naming_a_knowledge_base_place_sets_its_country(validate, kb, text, place):
    country = kb.place(place).country
    assert country
    messages, slots, _ = validate(text, "partner_preference")
    assert messages == []
    assert slots == {"partner_preference": text, "partner_country": country, "invalid_answers": 0}


@pytest.mark.parametrize("text", ["Cebu", "a coastal city in Kyushu", "Hue City"])
def test_a_preference_the_knowledge_base_cannot_place_has_no_partner_country(validate, kb, text):
    assert kb.find_names(text) == []  # Cebu is not a place in the knowledge base
    messages, slots, _ = validate(text, "partner_preference")
    assert messages == []
    assert slots == {"partner_preference": text, "partner_country": None, "invalid_answers": 0}


# -- the invalid-answer counter --------------------------------------------------------------------------
def test_the_first_invalid_answer_does_not_remind(validate):
    messages, slots, _ = validate("jane@", "contact_email", slots={"invalid_answers": 0})
    assert responses(messages) == ["utter_invalid_email"]
    assert slots["invalid_answers"] == 1


@pytest.mark.parametrize("slot,bad,reason", [("contact_email", "jane@", "utter_invalid_email"),
                                             ("contact_phone", "call me", "utter_invalid_phone"),
                                             ("organisation", "skip", "utter_invalid_required"),
                                             ("organisation_country", "1", "utter_invalid_name"),
                                             ("partner_preference", "/deny", "utter_invalid_required"),
                                             ("purpose", "x" * 501, "utter_invalid_too_long")])
def test_two_invalid_answers_in_a_row_remind_that_the_form_can_stop(validate, slot, bad, reason):
    messages, slots, _ = validate(bad, slot)
    assert responses(messages) == [reason] and slots["invalid_answers"] == 1
    messages, slots, _ = validate(bad, slot, slots={"invalid_answers": slots["invalid_answers"]})
    assert responses(messages) == [reason, "utter_form_can_stop"]
    assert slots[slot] is None and slots["invalid_answers"] == 2


def test_the_reminder_renders_with_its_cancel_button(validate, domain, render):
    messages, _, _ = validate("jane@", "contact_email", slots={"invalid_answers": 1})
    assert "cancel" in render(messages[-1])
    assert domain["responses"]["utter_form_can_stop"][0]["buttons"][0]["payload"] == "/cancel"


def test_invalid_answers_on_different_questions_count_together(validate):
    _, slots, _ = validate("jane@", "contact_email")
    messages, slots, _ = validate("call me", "contact_phone", slots={"invalid_answers": slots["invalid_answers"]})
    assert responses(messages) == ["utter_invalid_phone", "utter_form_can_stop"]
    assert slots["invalid_answers"] == 2


@pytest.mark.parametrize("slot,good,stored", [("contact_email", "jane@city.go.jp", "jane@city.go.jp"),
                                              ("contact_phone", "skip", SKIPPED),
                                              ("organisation_country", "Laos", "Laos"),
                                              ("partner_preference", "no preference", v.NO_PREFERENCE)])
def test_a_valid_answer_resets_the_counter(validate, slot, good, stored):
    messages, slots, _ = validate(good, slot, slots={"invalid_answers": 3})
    assert "utter_form_can_stop" not in responses(messages)
    assert slots[slot] == stored and slots["invalid_answers"] == 0
    messages, slots, _ = validate("jane@" if slot == "contact_email" else "/x", slot, slots={"invalid_answers": 0})
    assert "utter_form_can_stop" not in responses(messages) and slots["invalid_answers"] == 1


# -- entities in a `/intent{...}` message never fill a slot ------------------------------------------------
INJECTED = {"organisation": "Evil Corp", "organisation_country": "Vietnam", "contact_name": "Mallory",
            "contact_email": "attacker@evil.example.org", "contact_phone": "+65 6123 4567",
            "partner_preference": "Hanoi", "purpose": "spam", "inquiry_message": "hello",
            "partner_country": "Vietnam", "inquiry_confirmed": True, "invalid_answers": 0,
            "requested_slot": None}


def _injection(intent="request_affiliation"):
    text = f"/{intent}{json.dumps(INJECTED)}"
    entities = [{"entity": k, "value": val, "start": 0, "end": len(text), "extractor": "RegexMessageHandler"}
                for k, val in INJECTED.items()]
    return text, entities


@pytest.mark.parametrize("requested", [None, "organisation", "contact_email", "partner_preference", "inquiry_confirmed"])
def test_slots_injected_as_entities_are_never_set(validate, requested):
    text, entities = _injection()
    messages, slots, events = validate(text, requested, entities=entities, active=requested is not None)
    for name, value in slots.items():
        if name != "invalid_answers":
            assert value is None, (name, value)  # at most the requested slot, rejected
    assert set(slots) <= {requested, "partner_country", "invalid_answers"}
    if requested in (None, "inquiry_confirmed"):
        assert events == [] and messages == []
    else:
        assert responses(messages) == ["utter_invalid_required"]


def test_slots_injected_in_the_escalation_form_are_never_set(validate):
    text, entities = _injection("human_handoff")
    messages, slots, events = validate(text, "contact_email", intent="human_handoff", entities=entities,
                                       form="escalation_form")
    assert events == [] and messages == []


def test_an_injected_entity_does_not_override_the_typed_answer(validate):
    _, entities = _injection()
    messages, slots, _ = validate("Hue City People's Committee", "organisation", intent="sister_cities",
                                  entities=entities)
    assert messages == [] and accepted(slots, "organisation", "Hue City People's Committee")


# -- confirmation, and slots Rasa hands over as candidates ------------------------------------------------
@pytest.mark.parametrize("value,stored", [(True, True), (False, False), ("yes", None), ("true", None)])
def test_inquiry_confirmed_is_only_ever_a_boolean(validate, value, stored):
    messages, slots, _ = validate("yes", "inquiry_confirmed", intent="affirm", candidates={"inquiry_confirmed": value})
    assert messages == [] and slots == {"inquiry_confirmed": stored}


PREFILLED = {"organisation": "Hue City People's Committee", "organisation_country": "Vietnam",
             "contact_name": "Nguyen Van An", "contact_email": "an@hue.gov.vn", "contact_phone": "+84 234 382 2222",
             "partner_preference": "a coastal city", "purpose": "culture, tourism",
             "inquiry_message": "We visited Osaka in 2014."}


def test_answers_kept_after_a_failed_submission_are_accepted_again_at_reactivation(validate):
    """"Try again" (/request_affiliation) re-activates the form; Rasa validates the kept answers."""
    messages, slots, _ = validate("/request_affiliation", None, active=False, candidates=PREFILLED)
    assert messages == []
    assert slots == {**PREFILLED, "partner_country": None, "invalid_answers": 0}


def test_a_skipped_phone_survives_reactivation(validate):
    kept = {**PREFILLED, "contact_phone": SKIPPED, "inquiry_message": SKIPPED}
    messages, slots, _ = validate("/request_affiliation", None, active=False, candidates=kept)
    assert "utter_invalid_phone" not in responses(messages)
    assert slots["contact_phone"] == SKIPPED
    assert slots["invalid_answers"] == 0


# -- the same, driven by Rasa 3.6's own FormAction (the validation action runs in-process) --------------
class _InProcessActionServer:
    """Stands in for the action server's endpoint: Rasa's RemoteAction posts its JSON here and
    the rasa-sdk executor runs our validation actions on it, as the webhook would."""

    url = "in-process"
    kwargs = {}

    def __init__(self):
        from rasa_sdk.executor import ActionExecutor
        self.executor = ActionExecutor()
        self.executor.register_action(ValidateAffiliationForm())
        self.executor.register_action(ValidateEscalationForm())
        from actions.inquiry_actions import ActionAskInquiryConfirmed
        self.executor.register_action(ActionAskInquiryConfirmed())  # the form asks for confirmation with it

    async def request(self, json=None, method="post", timeout=None, compress=False, **_):
        return await self.executor.run(json)


@pytest.fixture(scope="module")
def rasa_form():
    """rasa_form(events, form="affiliation_form") -> the events Rasa's FormAction returns after
    action_extract_slots ran on the latest message, or raises ActionExecutionRejection."""
    pytest.importorskip("rasa.core.actions.forms")
    import asyncio
    from pathlib import Path

    from rasa.core.actions.action import action_for_name_or_text
    from rasa.core.actions.forms import FormAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    endpoint = _InProcessActionServer()

    def run(events, form="affiliation_form"):
        async def turn():
            tracker = DialogueStateTracker.from_events("rasa-visitor", events, slots=domain.slots)
            channel = CollectingOutputChannel()
            extract = action_for_name_or_text("action_extract_slots", domain, endpoint)
            tracker.update_with_events(await extract.run(channel, nlg, tracker, domain), domain)
            return await FormAction(form, endpoint).run(channel, nlg, tracker, domain)
        return asyncio.run(turn())

    return run


@pytest.fixture(scope="module")
def rasa_events():
    pytest.importorskip("rasa.shared.core.events")
    from rasa.shared.core import events
    return events


def _mid_form(ev, requested, text, intent, slots=None, entities=None):
    """The form asked for `requested` (every earlier question answered) and the visitor typed `text`."""
    order = ["organisation", "organisation_country", "contact_name", "contact_email", "contact_phone",
             "partner_preference", "purpose", "inquiry_message"]
    slots = {**{k: PREFILLED[k] for k in order[:order.index(requested)]}, **(slots or {})}
    return ([ev.ActionExecuted("action_listen"),
             ev.UserUttered("/request_affiliation", {"name": "request_affiliation", "confidence": 1.0}),
             ev.ActionExecuted("action_inquiry_intro"), ev.ActionExecuted("affiliation_form"),
             ev.ActiveLoop("affiliation_form")]
            + [ev.SlotSet(k, val) for k, val in (slots or {}).items()]
            + [ev.SlotSet("requested_slot", requested), ev.ActionExecuted("action_listen"),
               ev.UserUttered(text, {"name": intent, "confidence": 0.9}, entities or [])])


def _said(events, ev):
    return [e.metadata.get("utter_action") for e in events if isinstance(e, ev.BotUttered)]


def _set(events, ev):
    return {e.key: e.value for e in events if isinstance(e, ev.SlotSet)}


def test_rasa_rejects_the_form_on_a_question_so_the_rule_can_answer_it(rasa_form, rasa_events):
    from rasa.core.actions.action import ActionExecutionRejection
    with pytest.raises(ActionExecutionRejection):
        rasa_form(_mid_form(rasa_events, "partner_preference", "What does an ALT do?", "jet_position_detail"))


def test_rasa_takes_hue_city_as_the_answer_and_asks_the_next_question(rasa_form, rasa_events):
    events = rasa_form(_mid_form(rasa_events, "partner_preference", "Hue City", "sister_cities"))
    assert _set(events, rasa_events) == {"partner_preference": "Hue City", "partner_country": None,
                                         "invalid_answers": 0, "requested_slot": "purpose"}
    assert _said(events, rasa_events) == ["utter_ask_purpose"]


def test_rasa_reminds_after_the_second_invalid_answer(rasa_form, rasa_events):
    events = rasa_form(_mid_form(rasa_events, "contact_email", "jane@", "out_of_scope", {"invalid_answers": 1}))
    assert _said(events, rasa_events) == ["utter_invalid_email", "utter_form_can_stop", "utter_ask_contact_email"]
    assert _set(events, rasa_events) == {"contact_email": None, "invalid_answers": 2,
                                         "requested_slot": "contact_email"}


def test_rasa_activation_with_injected_entities_sets_no_slot(rasa_form, rasa_events):
    text, entities = _injection()
    ev = rasa_events
    events = rasa_form([ev.ActionExecuted("action_listen"),
                        ev.UserUttered(text, {"name": "request_affiliation", "confidence": 1.0}, entities),
                        ev.ActionExecuted("action_inquiry_intro")])
    assert _set(events, ev) == {"requested_slot": "organisation"}
    assert _said(events, ev) == ["utter_ask_organisation"]


def test_rasa_reactivation_after_a_failed_submission_keeps_a_skipped_phone(rasa_form, rasa_events):
    ev = rasa_events
    kept = {**PREFILLED, "contact_phone": SKIPPED, "inquiry_message": SKIPPED}
    events = rasa_form([ev.ActionExecuted("action_listen")] + [ev.SlotSet(k, val) for k, val in kept.items()]
                       + [ev.UserUttered("/request_affiliation", {"name": "request_affiliation", "confidence": 1.0}),
                          ev.ActionExecuted("action_inquiry_intro")])
    assert "utter_invalid_phone" not in _said(events, ev)
    assert _set(events, ev).get("contact_phone", SKIPPED) == SKIPPED
    assert _set(events, ev)["requested_slot"] == "inquiry_confirmed"  # straight to the summary


@pytest.mark.parametrize("text", ["human resource development", "staff exchanges and training"])
def test_an_answer_nlu_takes_for_asking_for_a_person_is_the_answer(validate, text):
    messages, slots, _ = validate(text, "purpose", intent="human_handoff")
    assert slots["purpose"] == text


@pytest.mark.parametrize("text", ["i want to talk to a human", "can someone from the office call me", "human please",
                                  "agent please", "put me through to someone"])
def test_asking_for_a_person_mid_form_is_left_to_its_rule(validate, text):
    messages, slots, events = validate(text, "purpose", intent="human_handoff")
    assert messages == [] and events == []


def test_a_message_nlu_takes_for_cancel_is_kept_unless_it_asks_to_stop(validate):
    messages, slots, _ = validate("We have a big Japanese community here.", "inquiry_message", intent="cancel")
    assert slots["inquiry_message"] == "We have a big Japanese community here."
    _, _, events = validate("never mind, we'll discuss it internally first", "inquiry_message", intent="cancel")
    assert events == []


def test_a_question_typed_as_the_message_to_staff_is_answered_not_stored(validate):
    messages, slots, events = validate("by the way whats the monthly salary of a CIR on JET? one of our staff is "
                                       "interested", "inquiry_message", intent="jet_position_detail")
    assert messages == [] and events == []
