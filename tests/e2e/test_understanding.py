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
