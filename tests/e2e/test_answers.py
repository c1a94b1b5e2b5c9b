"""Knowledge answers through the real servers: names in the visitor's own spelling, follow-ups that
keep context, and the honest fallbacks. Expected facts come from the knowledge facade."""
import pytest

from bot.responses import find, values

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("question, place", [
    ("who is Saigon twinned with", "Ho Chi Minh City"),
    ("sister cities of chiang mai", "Chiang Mai"),
    ("which prefecture is partnered with Pasig", "Pasig"),
])
def test_counterparts_in_the_visitors_spelling(chat, kb, question, place):
    reply = chat.say(f"spelling-{place}", question)
    answered_place, country, count, lines, *_ = values(reply, "utter_affiliations_of_place")
    assert answered_place == place and country == kb.place(place).country
    assert int(count.removeprefix("only ").split()[0]) == len(kb.affiliations_of_counterpart(place))
    for affiliation in kb.affiliations_of_counterpart(place):
        assert affiliation.prefecture in lines


def test_a_typo_ridden_question_is_understood(chat, kb):
    prefecture, count, *_ = values(chat.say("typist", "sistr citys of fukuoka"), "utter_affiliations_of_prefecture")
    assert prefecture == "Fukuoka" and int(count.removeprefix("only ").split()[0]) == len(kb.affiliations_of_prefecture("Fukuoka"))


def test_bengaluru_is_bangalore_for_the_exchange_program(chat, kb):
    name, lines, _ = values(chat.say("bengaluru", "when did the exchange program go to Bengaluru"), "utter_editions_in_country")
    assert name == "Bangalore"
    assert [f"FY{e.fiscal_year}" in lines for e in kb.editions_in_city("Bangalore")] == [True]


def test_follow_up_on_the_year(chat, kb):
    first = values(chat.say("years", "Where was it held in 2011?"), "utter_edition")
    second = values(chat.say("years", "and in 2012?"), "utter_edition")
    assert (first[0], second[0]) == ("2011", "2012")
    assert all(country in second[1] for country in kb.edition(2012).countries)


def test_follow_up_on_the_prefecture(chat):
    assert values(chat.say("prefs", "Fukuoka's sister cities?"), "utter_affiliations_of_prefecture")[0] == "Fukuoka"
    assert values(chat.say("prefs", "how about Osaka?"), "utter_affiliations_of_prefecture")[0] == "Osaka"


def test_follow_up_on_the_position(chat, kb):
    assert values(chat.say("jobs", "What does an ALT do?"), "utter_jet_position")[1] == "ALT"
    name, code, description = values(chat.say("jobs", "and a CIR?"), "utter_jet_position")
    assert (code, description) == ("CIR", kb.position("CIR").description)


def test_none_on_the_list_is_said_honestly(chat):
    assert values(chat.say("honest", "sister cities in Singapore"), "utter_no_affiliations_of_country")[0] == "Singapore"


def test_out_of_scope_says_what_it_can_do_and_offers_staff(chat):
    reply = chat.say("weather", "what's the weather in Singapore tomorrow?")
    message = find(reply, "utter_out_of_scope")
    assert message and "/human_handoff" in [b["payload"] for b in message["buttons"]]


def test_help_offers_suggestions_as_buttons(chat):
    message = find(chat.say("helpme", "what can you do?"), "utter_help")
    assert message and len(message["buttons"]) >= 3
