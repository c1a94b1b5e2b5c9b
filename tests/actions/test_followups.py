"""Follow-up fragments: the first answer's events set `topic` and `context_*`; a `followup`
message is then answered with those slots, as the Rasa server would pass them back."""
import pytest

CONTEXT = ("topic", "context_prefecture", "context_place", "context_country", "context_year", "context_position")


def only(messages):
    assert len(messages) == 1, messages
    return messages[0]


@pytest.fixture
def conversation(answer, ent, slots_of):
    """say(text, intent, entities) runs one turn; slots carry over from turn to turn the way
    the tracker would apply the SlotSet events."""

    class Conversation:
        def __init__(self):
            self.slots = {name: None for name in CONTEXT}

        def say(self, text, intent, entities=()):
            messages, events = answer(text, intent, [ent(k, v) for k, v in entities], dict(self.slots))
            self.slots.update(slots_of(events))
            return messages, events

    return Conversation()


def test_first_answer_sets_topic_and_every_context_slot(conversation, slots_of):
    _, events = conversation.say("Where was the exchange program held in 2011?", "repp_edition",
                                 [("fiscal_year", "2011")])
    # The edition's one host country too: "does any prefecture have a sister city in that country?"
    assert slots_of(events) == {"topic": "repp_edition", "context_prefecture": None, "context_place": None,
                                "context_country": "India", "context_year": "2011", "context_position": None,
                                "context_results": None, "context_grouping": None,
                                "context_measure": None}


def test_and_in_2012_after_the_2011_edition(conversation, kb):
    conversation.say("Where was the exchange program held in 2011?", "repp_edition", [("fiscal_year", "2011")])
    messages, _ = conversation.say("and in 2012?", "followup", [("fiscal_year", "2012")])
    m = only(messages)
    edition = kb.edition(2012)
    assert m["response"] == "utter_edition"
    assert m["year"] == 2012
    assert m["where"] == " and ".join(edition.countries) == "Singapore and Indonesia"
    assert m["title"] == edition.title
    assert conversation.slots["topic"] == "repp_edition"
    assert conversation.slots["context_year"] == "2012"


def test_and_in_2012_after_a_theme_question_gives_the_theme(conversation, kb):
    conversation.say("What was the theme in 2011?", "repp_theme", [("fiscal_year", "2011")])
    m = only(conversation.say("and in 2012?", "followup")[0])
    assert m["response"] == "utter_edition_theme"
    assert (m["year"], m["title"]) == (2012, kb.edition(2012).title)


def test_how_about_osaka_after_fukuokas_sister_cities(conversation, kb):
    first = only(conversation.say("Which sister cities does Fukuoka have?", "sister_cities",
                                  [("prefecture", "Fukuoka")])[0])
    assert first["prefecture"] == "Fukuoka"
    for entities in ([("prefecture", "Osaka")], []):
        m = only(conversation.say("how about Osaka?", "followup", entities)[0])
        assert m["response"] == "utter_affiliations_of_prefecture"
        assert m["prefecture"] == "Osaka"
        expected = kb.affiliations_of_prefecture("Osaka")
        assert m["count"] == len(expected) == 3
        assert [line[2:].split(" (")[0].split(",")[0] for line in m["lines"].splitlines()] == \
            [a.counterpart for a in expected] == ["East Java", "Ho Chi Minh City", "Manila"]
        assert conversation.slots["context_prefecture"] == "Osaka"


def test_and_a_cir_after_alt(conversation, kb):
    conversation.say("What does an ALT do?", "jet_position_detail", [("position", "ALT")])
    assert conversation.slots["context_position"] == "ALT"
    m = only(conversation.say("and a CIR?", "followup")[0])
    cir = kb.position("CIR")
    assert m["response"] == "utter_jet_position"
    assert (m["code"], m["name"], m["description"]) == ("CIR", cir.name, cir.description)
    assert conversation.slots["topic"] == "jet_position_detail"
    assert conversation.slots["context_position"] == "CIR"


def test_combination_followup_keeps_the_prefecture(conversation):
    first = only(conversation.say("Does Tokyo have a sister city in Indonesia?", "sister_cities",
                                  [("prefecture", "Tokyo"), ("country", "Indonesia")])[0])
    assert first["response"] == "utter_affiliations_of_prefecture_in_country"
    m, own = conversation.say("and in Thailand?", "followup", [("country", "Thailand")])[0]
    assert m["response"] == "utter_no_affiliations_of_prefecture_in_country"
    assert own["response"] == "utter_affiliations_of_prefecture" and own["prefecture"] == "Tokyo"
    assert (m["prefecture"], m["country"]) == ("Tokyo", "Thailand")
    assert (conversation.slots["context_prefecture"], conversation.slots["context_country"]) == ("Tokyo", "Thailand")


def test_combination_followup_with_a_yes_answer(conversation, kb):
    conversation.say("Does Chiba have a sister city in Indonesia?", "sister_cities",
                     [("prefecture", "Chiba"), ("country", "Indonesia")])
    m = only(conversation.say("and in Thailand?", "followup")[0])  # name found in the text only
    assert m["response"] == "utter_affiliations_of_prefecture_in_country"
    assert (m["prefecture"], m["country"]) == ("Chiba", "Thailand")
    assert [line[2:] for line in m["lines"].splitlines()] == \
        [a.counterpart for a in kb.affiliations(prefecture="Chiba", country="Thailand")] == ["Bangkok"]


def test_combination_followup_with_another_prefecture_keeps_the_country(conversation, kb):
    conversation.say("Does Tokyo have a sister city in Indonesia?", "sister_cities",
                     [("prefecture", "Tokyo"), ("country", "Indonesia")])
    m = only(conversation.say("and Chiba?", "followup", [("prefecture", "Chiba")])[0])
    assert m["response"] == "utter_affiliations_of_prefecture_in_country"
    assert (m["prefecture"], m["country"]) == ("Chiba", "Indonesia")
    assert [line[2:] for line in m["lines"].splitlines()] == ["Medan, North Sumatra"]


def test_count_followup_stays_a_count(conversation, kb):
    conversation.say("how many sister cities in Malaysia", "sister_city_count", [("country", "Malaysia")])
    m = only(conversation.say("and the Philippines?", "followup")[0])
    assert m["response"] == "utter_affiliation_count_country"
    assert (m["country"], m["count"]) == ("Philippines", len(kb.affiliations_of_country("Philippines")))


def test_country_followup_after_an_edition_question_stays_on_editions(conversation, kb):
    conversation.say("When was the program held in India?", "repp_edition", [("country", "India")])
    m = only(conversation.say("and in Vietnam?", "followup")[0])
    assert m["response"] == "utter_editions_in_country"
    assert m["name"] == "Vietnam"
    assert [line.split(":")[0][2:] for line in m["lines"].splitlines()] == \
        [f"FY{e.fiscal_year}" for e in kb.editions_in_country("Vietnam")] == ["FY2007", "FY2009", "FY2015"]


def test_followup_with_nothing_in_it(conversation):
    conversation.say("Which sister cities does Fukuoka have?", "sister_cities", [("prefecture", "Fukuoka")])
    messages, events = conversation.say("and?", "followup")
    assert [m["response"] for m in messages] == ["utter_default"]
    assert events == []
    assert conversation.slots["context_prefecture"] == "Fukuoka"  # untouched


def test_followup_with_an_unknown_name(conversation):
    conversation.say("Which sister cities does Fukuoka have?", "sister_cities", [("prefecture", "Fukuoka")])
    messages, events = conversation.say("and Atlantis?", "followup", [("place", "Atlantis")])
    assert [(m["response"], m.get("name")) for m in messages] == [("utter_unknown_name", "Atlantis")]
    assert events == []


def test_followup_after_the_total_count_is_a_count(conversation):
    conversation.say("Which sister cities does Fukuoka have?", "sister_cities", [("prefecture", "Fukuoka")])
    conversation.say("how many sister cities are there in total?", "sister_city_count")
    m = only(conversation.say("and in the Philippines?", "followup", [("country", "the Philippines")])[0])
    assert m["response"] == "utter_affiliation_count_country"
    assert (m["country"], m["count"]) == ("Philippines", 19)
