"""Understanding through the real servers (trained NLU, rules, action server): computed answers,
honest "not on the page" replies and follow-ups that refer back, as a visitor types them.
Expected facts come from the knowledge facade and its query layer."""
import pytest

from knowledge.affiliation_query import AffiliationQuery
from bot.responses import find, values

pytestmark = pytest.mark.e2e


def test_the_most_names_every_tied_prefecture(chat, kb):
    message = find(chat.say("most", "Which Japanese prefectures have the most sister cities?"), "utter_aggregate_most")
    expected = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="most")).group_names
    assert message["text"].startswith(" and ".join(expected) + " have the most")


def test_both_countries_then_a_followup_about_them(chat, kb):
    reply = chat.say("both", "which prefectures have sister cities in both Thailand and India?")
    assert values(reply, "utter_aggregate_covers_all_countries")[0] == "Fukuoka"
    reply = chat.say("both", "how many is that?")
    assert find(reply, "utter_count_previous")


def test_a_question_the_page_does_not_answer_is_told_so(chat):
    reply = chat.say("salary", "what's the salary of an ALT")
    assert find(reply, "utter_not_on_page") and find(reply, "utter_page_says_position")
    assert not find(reply, "utter_jet_position")


def test_a_future_edition_is_not_answered_with_the_programme(chat):
    reply = chat.say("next", "When is the next Regional Exchange Promotion Program?")
    assert find(reply, "utter_not_on_page") and not find(reply, "utter_repp_about")


def test_those_after_a_computed_list(chat):
    chat.say("those", "Which prefectures have the most sister cities?")
    reply = chat.say("those", "which of those are in Thailand?")
    scope, lines, *_ = values(reply, "utter_of_those")
    assert scope == "Thailand" and "Bangkok" in lines and "Delhi" not in lines


def test_what_about_another_prefecture_after_a_pair(chat, kb):
    chat.say("gifu", "Does Gifu have one in Thailand?")
    reply = chat.say("gifu", "what about Shizuoka?")
    assert find(reply, "utter_no_affiliations_of_prefecture_in_country")
    prefecture, count, lines, *_ = values(reply, "utter_affiliations_of_prefecture")
    assert prefecture == "Shizuoka" and all(a.counterpart in lines for a in kb.affiliations_of_prefecture("Shizuoka"))


def test_how_long_was_it_after_the_2015_edition(chat, kb):
    chat.say("length", "Where was the 2015 program held?")
    year, days, *_ = values(chat.say("length", "how long was it?"), "utter_edition_length")
    assert (year, int(days)) == ("2015", kb.edition_details(2015).days)


def test_the_whole_list_pages_with_a_more_button(chat):
    reply = chat.say("list", "list all sister cities")
    page = find(reply, "utter_whole_list_page")
    assert page and [b["title"] for b in page["buttons"]] == ["More"]
    second = find(chat.say("list", page["buttons"][0]["payload"]), "utter_whole_list_page")
    assert "Part 2 of" in second["text"]


def test_questions_mid_form_are_answered_and_never_stored(chat):
    chat.say("midform", "I want to set up a sister city")
    reply = chat.say("midform", "What's the salary of an ALT?")
    assert find(reply, "utter_not_on_page") and find(reply, "utter_ask_organisation")
    reply = chat.say("midform", "yes")
    assert find(reply, "utter_not_an_answer") and find(reply, "utter_ask_organisation")
    reply = chat.say("midform", "Cebu City")
    assert find(reply, "utter_ask_organisation_country")


def _to_the_summary(chat, sender):
    for text in ("I want to set up a sister city", "Cebu City", "Philippines", "Maria Santos", "maria@cebu.gov.ph",
                 "skip", "Vietnam", "education", "skip"):
        reply = chat.say(sender, text)
    assert find(reply, "utter_inquiry_summary")


def test_a_phone_number_at_the_summary_is_the_phone_not_a_question(chat):
    _to_the_summary(chat, "summary")
    reply = chat.say("summary", "0263-34-3000")
    assert "phone: 0263-34-3000" in find(reply, "utter_inquiry_summary")["text"]
    assert find(reply, "utter_ask_inquiry_confirmed") and not find(reply, "utter_fy2015_details")
    reply = chat.say("summary", "maybe")
    assert find(reply, "utter_summary_help") and find(reply, "utter_ask_inquiry_confirmed")


def test_corrections_at_the_summary_change_one_field_and_the_request_is_sent_with_them(chat):
    _to_the_summary(chat, "correct")
    summary = find(chat.say("correct", "change the e-mail to m.santos@cebu.gov.ph"), "utter_inquiry_summary")
    assert "m.santos@cebu.gov.ph" in summary["text"] and "Maria Santos" in summary["text"]
    reply = chat.say("correct", "change the purpose")  # no new value: the question again
    assert find(reply, "utter_ask_purpose")
    summary = find(chat.say("correct", "culture and sport"), "utter_inquiry_summary")
    assert "Purpose: culture and sport" in summary["text"] and "m.santos@cebu.gov.ph" in summary["text"]
    sent = find(chat.say("correct", "yes"), "utter_inquiry_submitted")
    assert "m.santos@cebu.gov.ph" in sent["text"]


def test_the_opening_request_is_kept_and_not_asked_again(chat, kb):
    reply = chat.say("prefill", "Hello, this is Kagoshima Prefecture. We would like a sister city in the Philippines")
    note = find(reply, "utter_prefilled")
    assert note and "Kagoshima Prefecture" in note["text"] and kb.home_country() in note["text"]
    assert find(reply, "utter_ask_contact_name") and not find(reply, "utter_ask_organisation")


def test_what_is_a_body_the_page_names(chat):
    assert find(chat.say("mofa", "what is MOFA"), "utter_body_supporter")
    assert find(chat.say("clair", "What is CLAIR?"), "utter_body_clair")


def test_asking_about_our_own_partner_is_a_question_not_a_request(chat):
    reply = chat.say("quezon", "we're from Quezon, do we have a partner in Japan?")
    assert find(reply, "utter_affiliations_of_place") and not find(reply, "utter_ask_organisation")


@pytest.mark.parametrize("typed, response", [("/restart", "utter_restarted"), ("/session_start", "utter_greet")])
def test_restart_and_session_start_typed_by_a_visitor_get_a_reply(chat, typed, response):
    chat.say(f"typed{typed}", "Which sister cities does Fukuoka have?")
    assert find(chat.say(f"typed{typed}", typed), response)
