"""The honesty path: a question the page does not answer is told so, with the one relevant line
the page does give and the offer to ask staff, whatever intent NLU guessed for it."""
import pytest


@pytest.fixture
def reply(answer, render):
    def ask(text, intent, entities=None, slots=None):
        messages, events = answer(text, intent, entities, slots)
        return [m["response"] for m in messages], [render(m) for m in messages], messages

    return ask


@pytest.mark.parametrize("text, intent, topic_words", [
    ("what's the salary of an ALT", "jet_position_detail", "salary"),
    ("Is the JET program open to Singaporeans?", "jet_about", "eligible"),
    ("When is the next Regional Exchange Promotion Program?", "repp_about", "future editions"),
    ("How do I apply for JET?", "jet_about", "how to apply"),
    ("do I need a visa to work as a CIR", "jet_position_detail", "visas"),
    ("is there a visa requirement for ALTs", "jet_position_detail", "visas"),
    ("What is the address of CLAIR Singapore's office?", "contact_office", "address"),
    ("how much does it cost to join the exchange program", "repp_participants", "costs"),
    ("when is the seminar this year?", "seminar_about", "Seminar"),
    ("when was CLAIR founded", "support_services", "founded"),
    ("who is the director of CLAIR Singapore", "contact_office", "staff"),
    ("what are the steps to set up a sister city", "support_services", "steps"),
    ("does CLAIR have job openings", "support_services", "internships"),
    ("how many JET participants are there", "jet_participation", "in total"),
    ("how many ALTs are there", "jet_position_detail", "in total"),
    ("do I need to speak Japanese to be an ALT", "jet_position_detail", "eligible"),
    ("what japanese level do CIRs need", "jet_position_detail", "eligible"),
    ("Which ASEAN country sends the most JET participants?", "jet_participation", "in total"),
    ("Is the Ibaraki-La Trinidad partnership still active today?", "sister_cities", "signed"),
    ("How many sister city affiliations were added in 2014?", "sister_city_count", "signed"),
    ("Was the cancelled 2008 India program rescheduled later?", "repp_cancelled", "more about an edition"),
    ("name of the chamber of commerce visited in vietnam 2015?", "repp_fy2015", "more about an edition"),
    ("When was CLAIR Singapore established?", "support_services", "founded"),
    ("who was the head of the 2010 india delegation", "repp_edition", "names"),
    ("How many participants did the Local Government Exchange and Cooperation Seminar have in 2015?", "repp_fy2015",
     "Seminar"),
    ("Which regions of Japan did seminar participants visit last year?", "seminar_about", "Seminar"),
    ("What's the difference between a sister city affiliation and a friendly relation?", "sister_cities",
     "friendly relation"),
])
def test_not_on_the_page_is_said_plainly_whatever_the_intent(reply, domain, text, intent, topic_words):
    responses, texts, messages = reply(text, intent)
    assert responses[0] == "utter_not_on_page"
    assert texts[0].startswith("CLAIR Singapore's page doesn't say") and topic_words in texts[0]
    assert len(responses) == 2 and responses[1].startswith("utter_page_says")
    assert "CLAIR staff" in texts[1]
    buttons = domain["responses"][responses[1]][0]["buttons"]  # Rasa adds the response's own buttons
    assert buttons == [{"title": "Pass my question to CLAIR staff", "payload": "/human_handoff"}]


def test_the_related_line_is_about_the_position_asked(reply, kb):
    _, texts, _ = reply("what's the salary of an ALT", "jet_position_detail")
    alt = kb.position("ALT")
    assert f"the Assistant Language Teacher (ALT) position is to {alt.description}." in texts[1]
    assert "Coordinator" not in texts[1]


def test_the_future_edition_line_gives_the_latest_on_the_list(reply):
    _, texts, _ = reply("When is the next Regional Exchange Promotion Program?", "repp_about")
    assert "annually" in texts[1] and "FY2015, in Vietnam" in texts[1]


def test_eligibility_line_quotes_the_participation_figure(reply):
    _, texts, _ = reply("Is the JET program open to Singaporeans?", "jet_about")
    assert "56 youths" in texts[1]


def test_the_contact_line_gives_what_the_page_says_and_no_invented_address(reply, kb):
    _, texts, _ = reply("What is the phone number of the office?", "contact_office")
    support = kb.sister_city_support()
    assert support.contact_statement in texts[1] and support.contact_note in texts[1]


@pytest.mark.parametrize("text, intent, expected", [
    ("What does an ALT do?", "jet_position_detail", "utter_jet_position"),
    ("Where was the 2015 program held and for how many days?", "repp_fy2015", "utter_fy2015_details"),
    ("How many youths from ASEAN and India joined JET in FY2011?", "jet_participation", "utter_jet_participation"),
    ("Who takes part in the Regional Exchange Promotion Program?", "repp_participants", "utter_repp_participants"),
    ("What does CLAIR Singapore do to support sister cities?", "support_services", "utter_support_services"),
])
def test_questions_the_page_answers_are_not_taken_for_gaps(reply, text, intent, expected):
    responses, _, _ = reply(text, intent)
    assert responses[0] == expected


def test_a_topic_added_to_the_data_is_honoured_without_code(reply, engine):
    from sqlalchemy import insert

    from knowledge import models as m
    with engine.begin() as connection:
        connection.execute(insert(m.SourceText), [
            {"subject": "page_gaps", "key": "parking.what", "seq": 0, "value": "where to park"},
            {"subject": "page_gaps", "key": "parking.cues", "seq": 0, "value": "parking"},
            {"subject": "page_gaps", "key": "parking.related", "seq": 0, "value": "contact"},
        ])
    responses, texts, _ = reply("is there parking at the office", "contact_office")
    assert responses == ["utter_not_on_page", "utter_page_says_contact"] and "where to park" in texts[0]


def test_a_topic_nothing_on_the_page_is_near_gets_the_off_topic_reply(reply):
    responses, texts, _ = reply("what is the population of Chiba?", "sister_cities")
    assert responses == ["utter_out_of_scope"]  # not Chiba's sister cities


@pytest.mark.parametrize("text, intent, related, words", [
    ("how much does it cost to join the seminar", "seminar_about", "utter_page_says_seminar", "Seminar"),
    ("is there a fee for the regional exchange program", "repp_about", "utter_page_says", "local government officials"),
    ("do CIRs get housing", "jet_position_detail", "utter_page_says_position", "Coordinator"),
    ("how much does CLAIR charge for sister city support", "support_services", "utter_page_says", "sister city"),
])
def test_the_related_line_follows_the_subject_the_question_names(reply, text, intent, related, words):
    responses, texts, _ = reply(text, intent)
    assert responses == ["utter_not_on_page", related]
    assert words in texts[1]


@pytest.mark.parametrize("text", ["how much do CIRs earn", "what's the salary of an ALT", "do SEAs get a car"])
def test_the_position_line_names_the_position_as_the_knowledge_base_spells_it(reply, kb, text):
    responses, texts, _ = reply(text, "jet_position_detail")
    assert responses == ["utter_not_on_page", "utter_page_says_position"]
    names = [p.name for p in kb.positions()]
    assert any(f"{name} (" in texts[1] for name in names)
    assert not any(f"{name}s" in texts[1] for name in names)  # never "Relationss", "Teachers" glued on


@pytest.mark.parametrize("text, intent", [("is there a sister city program with korea", "sister_cities"),
                                          ("do any prefectures have sister cities in china?", "sister_cities"),
                                          ("Does Osaka have an American sister city?", "sister_cities")])
def test_a_country_outside_the_list_is_said_to_be_outside_what_the_list_covers(reply, kb, text, intent):
    responses, texts, _ = reply(text, intent)
    assert responses == ["utter_not_on_page", "utter_page_says_list_scope_no_link"]
    assert kb.source().list_intro in texts[1] and kb.source().as_of in texts[1]
    assert "Osaka" not in texts[1]  # no affiliation of the list passes for the one asked about


@pytest.mark.parametrize("text", ["what's the capital of australia", "is chinese food popular in Japan"])
def test_a_country_outside_the_list_without_sister_city_words_is_not_read_as_a_list_question(reply, text):
    responses, _, _ = reply(text, "out_of_scope")
    assert "utter_page_says_list_scope_no_link" not in responses


@pytest.mark.parametrize("text, intent, topic_words, related", [
    ("how many years can you stay on JET", "jet_about", "contract length", "utter_page_says"),
    ("can I bring my family if I'm on JET", "jet_about", "contract length", "utter_page_says"),
    ("how many people usually attend the seminar", "seminar_about", "size", "utter_page_says_seminar"),
    ("when did Chiba and Bangkok sign their sister city agreement", "sister_cities", "signed",
     "utter_page_says_pair"),
    ("when did they sign the sister city agreement", "sister_cities", "signed", "utter_page_says_list"),
    ("who led the 2014 delegation to malaysia", "repp_edition", "staff", "utter_page_says_contact"),
    ("which sports do SEAs coach?", "jet_position_detail", "sports", "utter_page_says_position"),
    ("how long does it normally take clair to find a match?", "support_services", "how long", "utter_page_says"),
    ("how long does CLAIR usually take to reply?", "support_services", "how long", "utter_page_says"),
    ("who is the current mayor of Baguio", "sister_cities", "staff", "utter_page_says_contact"),
    ("when do the new JET participants fly to japan? departure date", "jet_about", "contract length",
     "utter_page_says"),
    ("which indian cities was the 2008 mission planning to visit before it got cancelled", "repp_cancelled",
     "more about an edition", "utter_page_says"),
    ("what is the oldest sister city affiliation with the Philippines?", "sister_cities", "oldest",
     "utter_page_says_list"),
])
def test_more_that_the_page_does_not_give_is_said_plainly(reply, text, intent, topic_words, related):
    responses, texts, _ = reply(text, intent)
    assert responses == ["utter_not_on_page", related] and topic_words in texts[0]


@pytest.mark.parametrize("text, intent", [
    ("When did Osaka and Manila become sister cities?", "sister_cities"),
    ("how long does the cooperation seminar last?", "seminar_about"),
    ("does CLAIR cover airfare for overseas seminar participants?", "seminar_about"),
    ("is there a JET Programme information office in Manila?", "jet_about"),
    ("How many sister city affiliations does Japan have with the whole world?", "sister_city_count"),
    ("Which specific Vietnamese companies did the 2015 delegation visit?", "repp_fy2015"),
    ("how were the 20 participants picked in 2015", "repp_fy2015"),
])
def test_questions_near_a_fact_the_page_gives_are_told_what_it_does_not(reply, text, intent):
    responses, _, _ = reply(text, intent)
    assert responses[0] == "utter_not_on_page"


def test_next_in_a_ranking_is_no_future_edition(reply):
    responses, _, _ = reply("after Chiba and Fukuoka, which prefectures have the next most partners?", "sister_cities")
    assert "utter_not_on_page" not in responses


@pytest.mark.parametrize("text", ["Which cities did the 2012 program visit in Indonesia?",
                                  "what cities in thailand did they go to in 2013"])
def test_an_edition_whose_cities_the_page_does_not_name_says_so(reply, kb, text):
    responses, texts, _ = reply(text, "repp_edition")
    year = int(next(w for w in text.split() if w.isdigit()))
    assert not kb.edition(year).cities
    assert responses == ["utter_edition_cities_unknown"] and f"FY{year}" in texts[0]


def test_how_many_were_chosen_for_jet_is_the_participation_figure(reply, kb):
    responses, texts, _ = reply("How many youths from ASEAN & India were chosen for JET in FY2011?", "jet_participation")
    assert "utter_not_on_page" not in responses
    assert str(kb.jet_participation()[0].participants) in "\n".join(texts)


@pytest.mark.parametrize("text", ["in what year did Okayama sign the affiliation with Pune?",
                                  "do Hiroshima and Hyderabad run student exchanges?",
                                  "why was Kochi paired with Benguet Province in the first place?"])
def test_more_about_a_listed_pair_is_not_on_the_page_and_the_pair_is_confirmed(reply, text):
    responses, texts, _ = reply(text, "sister_cities")
    assert responses == ["utter_not_on_page", "utter_page_says_pair"]
    assert "signed" in texts[0] and "Yes:" not in " ".join(texts)


def test_whether_a_pair_is_listed_is_still_answered(reply):
    responses, _, _ = reply("are Okayama and Pune sister cities?", "sister_cities")
    assert responses == ["utter_affiliation_pair_yes"]


@pytest.mark.parametrize("text, related", [
    ("what did the 2015 participants eat in hanoi?", "utter_page_says"),
    ("how many Filipinos were selected for JET in 2015?", "utter_page_says_participation"),
    ("which month is the Local Government Exchange and Cooperation Seminar held?", "utter_page_says_seminar"),
    ("can an ALT choose which prefecture they are placed in", "utter_page_says_position"),
    ("does clair singapore take interns from local universities?", "utter_page_says_contact"),
])
def test_questions_near_a_fact_are_not_answered_with_it(reply, text, related):
    responses, _, _ = reply(text, "repp_fy2015")
    assert responses == ["utter_not_on_page", related]


def test_where_the_seminar_is_held_is_answered(reply):
    responses, _, _ = reply("where is the local govt exchange and cooperation seminar held?", "seminar_about")
    assert responses[0] != "utter_not_on_page"


@pytest.mark.parametrize("text, intent", [("How many JETAA chapters are there in Southeast Asia?", "jetaa"),
                                          ("On which exact dates in November 2015 did the Vietnam mission take place?",
                                           "repp_fy2015"),
                                          ("Of the 56 youths selected in FY2011, how many were from Vietnam?",
                                           "jet_participation")])
def test_details_beyond_a_fact_the_page_gives_are_not_on_the_page(reply, text, intent):
    responses, _, _ = reply(text, intent)
    assert responses[0] == "utter_not_on_page"
