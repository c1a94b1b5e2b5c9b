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
    assert "part 2 of" in second["text"]


def test_questions_mid_form_are_answered_and_never_stored(chat):
    chat.say("midform", "I want to set up a sister city")
    reply = chat.say("midform", "What's the salary of an ALT?")
    assert find(reply, "utter_not_on_page") and find(reply, "utter_ask_organisation")
    reply = chat.say("midform", "yes")
    assert find(reply, "utter_not_an_answer") and find(reply, "utter_ask_organisation")
    reply = chat.say("midform", "Cebu City")
    assert find(reply, "utter_ask_organisation_country")


def test_a_phone_number_at_the_summary_gets_an_explanation_not_an_answer(chat):
    for text in ("I want to set up a sister city", "Cebu City", "Philippines", "Maria Santos", "maria@cebu.gov.ph",
                 "skip", "Vietnam", "education", "skip"):
        reply = chat.say("summary", text)
    assert find(reply, "utter_inquiry_summary")
    reply = chat.say("summary", "0263-34-3000")
    assert find(reply, "utter_summary_help") and find(reply, "utter_ask_inquiry_confirmed")
    assert not find(reply, "utter_fy2015_details")


def test_asking_about_our_own_partner_is_a_question_not_a_request(chat):
    reply = chat.say("quezon", "we're from Quezon, do we have a partner in Japan?")
    assert find(reply, "utter_affiliations_of_place") and not find(reply, "utter_ask_organisation")


@pytest.mark.parametrize("typed, response", [("/restart", "utter_restarted"), ("/session_start", "utter_greet")])
def test_restart_and_session_start_typed_by_a_visitor_get_a_reply(chat, typed, response):
    chat.say(f"typed{typed}", "Which sister cities does Fukuoka have?")
    assert find(chat.say(f"typed{typed}", typed), response)
