"""Regional Exchange Promotion Program editions: by year, cancelled, by country/city, unknown
year, and the theme question without a year."""
import json

import pytest


def only(messages):
    assert len(messages) == 1, messages
    return messages[0]


def test_edition_by_year_2011(answer, ent, kb):
    m = only(answer("Where was the exchange program held in 2011?", "repp_edition", [ent("fiscal_year", "2011")])[0])
    edition = kb.edition(2011)
    assert edition.countries == ("India",) and edition.cities == ("Mumbai", "Pune", "Chennai")
    assert m["response"] == "utter_edition"
    assert m["year"] == 2011
    assert m["where"] == "India (Mumbai, Pune, Chennai)"
    assert m["title"] == "2011 Japan-India Regional Exchange Promotion Program"


@pytest.mark.parametrize("value", ["FY2011", "fy 2011", "2011"])
def test_edition_year_written_in_other_ways(answer, ent, value):
    m = only(answer(f"where did the program go in {value}", "repp_edition", [ent("fiscal_year", value)])[0])
    assert (m["response"], m["year"]) == ("utter_edition", 2011)


def test_edition_year_only_in_the_text(answer):
    m = only(answer("Where was the exchange program held in 2011?", "repp_edition")[0])
    assert (m["response"], m["year"], m["where"]) == ("utter_edition", 2011, "India (Mumbai, Pune, Chennai)")


def test_cancelled_edition_2008_with_the_mumbai_reason(answer, ent, kb, slots_of):
    messages, events = answer("what happened in 2008", "repp_edition", [ent("fiscal_year", "2008")])
    m = only(messages)
    edition = kb.edition(2008)
    assert edition.status == "cancelled"
    assert m["response"] == "utter_edition_cancelled"
    assert m["year"] == 2008
    assert m["where"] == "India"
    # The page: "2008 India * Canceled due to the terrorist attack in Mumbai"
    assert m["reason"] == edition.reason == "terrorist attack in Mumbai"
    assert slots_of(events)["context_year"] == "2008"


def test_theme_of_the_cancelled_2008_edition(answer, ent):
    m = only(answer("what was the theme in 2008", "repp_theme", [ent("fiscal_year", "2008")])[0])
    assert m["response"] == "utter_edition_theme_cancelled"
    assert (m["year"], m["where"], m["reason"]) == (2008, "India", "terrorist attack in Mumbai")


def test_years_in_india(answer, ent, kb, slots_of):
    messages, events = answer("When was the program held in India?", "repp_edition", [ent("country", "India")])
    m = only(messages)
    assert [e.fiscal_year for e in kb.editions_in_country("India")] == [2008, 2010, 2011]
    assert m["response"] == "utter_editions_in_country"
    assert m["name"] == "India"
    assert m["lines"].splitlines() == [
        "- FY2008: India – cancelled (terrorist attack in Mumbai)",
        "- FY2010: India (Delhi, Mumbai, Bangalore)",
        "- FY2011: India (Mumbai, Pune, Chennai)",
    ]
    slots = slots_of(events)
    assert (slots["topic"], slots["context_country"], slots["context_year"]) == ("repp_edition", "India", None)


@pytest.mark.parametrize("entities", [[("place", "Bengaluru")], []], ids=["entity", "text-only"])
def test_bengaluru_as_a_place(answer, ent, kb, entities):
    m = only(answer("When did the program visit Bengaluru?", "repp_edition", [ent(k, v) for k, v in entities])[0])
    assert [e.fiscal_year for e in kb.editions_in_city("Bangalore")] == [2010]
    assert m["response"] == "utter_editions_in_country"
    assert m["name"] == "Bangalore"
    assert m["lines"] == "- FY2010: India (Delhi, Mumbai, Bangalore)"


def test_country_never_visited(answer, ent, kb):
    assert kb.editions_in_country("Myanmar") == []
    m = only(answer("was the program ever in Myanmar", "repp_edition", [ent("country", "Myanmar")])[0])
    assert m["response"] == "utter_no_editions_in_country"
    assert (m["name"], m["first_year"], m["last_year"]) == ("Myanmar", 2007, 2015)


def test_unknown_year_2020(answer, ent, kb):
    assert kb.edition(2020) is None
    m = only(answer("where was the program in 2020", "repp_edition", [ent("fiscal_year", "2020")])[0])
    assert m["response"] == "utter_no_edition_year"
    years = [e.fiscal_year for e in kb.editions()]
    assert (m["year"], m["first_year"], m["last_year"]) == (2020, min(years), max(years)) == (2020, 2007, 2015)


def test_two_years_in_one_question(answer):
    messages, _ = answer("Where did the program go in 2011 and 2012?", "repp_edition")
    assert [(m["response"], m["year"]) for m in messages] == [("utter_edition", 2011), ("utter_edition", 2012)]
    assert messages[1]["where"] == "Singapore and Indonesia"


def test_edition_with_no_year_or_place_lists_them_all(answer, kb):
    m = only(answer("where did the exchange program go?", "repp_edition")[0])
    assert m["response"] == "utter_edition_list"
    assert len(m["lines"].splitlines()) == len(kb.editions())


def test_theme_with_no_year_asks_for_the_year(answer, kb):
    messages, events = answer("What was the theme of the program?", "repp_theme")
    m = only(messages)
    assert m["response"] == "utter_ask_year"
    years = [e.fiscal_year for e in kb.editions()]
    assert len(years) == 9
    assert m["first_year"] == 2007
    assert [b["title"] for b in m["buttons"]] == [f"FY{y}" for y in years]
    for button, year in zip(m["buttons"], years):
        assert button["payload"].startswith("/repp_theme{")
        assert json.loads(button["payload"][len("/repp_theme"):]) == {"fiscal_year": str(year)}
    assert events == []


def test_a_year_button_answers_that_years_theme(answer, ent, kb):
    m = only(answer("What was the theme of the program?", "repp_theme")[0])
    payload = next(b["payload"] for b in m["buttons"] if b["title"] == "FY2014")
    m2 = only(answer(payload, "repp_theme", [ent("fiscal_year", "2014")])[0])
    assert m2["response"] == "utter_edition_theme"
    assert (m2["year"], m2["title"]) == (2014, kb.edition(2014).title)
    assert m2["title"] == "2014 Japan – Malaysia Regional Exchange Promotion Program"


def test_a_cancelled_edition_is_never_said_to_have_gone_there(answer, ent):
    messages, _ = answer("Was the cancelled 2008 program in India rescheduled?", "repp_edition",
                         [ent("fiscal_year", "2008"), ent("country", "India")])
    assert "utter_edition_went_there" not in [m["response"] for m in messages]


def test_an_editions_aims_are_its_own(answer, ent, kb):
    messages, _ = answer("What was the 2015 program in Vietnam aiming for?", "repp_edition", [ent("fiscal_year", "2015")])
    m = only(messages)
    assert m["response"] == "utter_edition_aims" and m["aims"] == kb.edition_details(2015).aims
    assert "contact networks" in m["aims"]


def test_how_often_the_programme_is_held(answer):
    m = only(answer("how often is the regional exchange promotion programme held", "repp_about")[0])
    assert m["response"] == "utter_repp_organisers"


def test_when_a_country_hosted_is_every_edition_there_whatever_intent(answer, ent):
    messages, _ = answer("when did vietnam host the program?", "repp_fy2015", [ent("country", "vietnam")])
    text = " ".join(str(m) for m in messages)
    assert "2007" in text and "2009" in text and "2015" in text


def test_the_fy2015_aims_whatever_the_fy2015_intent(answer, ent):
    m = only(answer("What was the 2015 program in Vietnam aiming for?", "repp_fy2015", [ent("fiscal_year", "2015")])[0])
    assert m["response"] == "utter_edition_aims"


@pytest.mark.parametrize("intent", ["repp_fy2015", "nlu_fallback"])
def test_another_year_under_the_fy2015_guess_is_that_year(answer, intent):
    messages, _ = answer("where was the 2013 program held", intent)
    assert [m["response"] for m in messages] == ["utter_edition"] and messages[0]["year"] == 2013
