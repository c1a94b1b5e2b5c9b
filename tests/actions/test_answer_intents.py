"""action_answer: one test per intent it handles. Each checks the response chosen and the
values filled in; expected values come from the facade (an independent KnowledgeBase over the
same test database) or, where simple, verbatim from the source page."""
import pytest

from actions.answer_handlers import HANDLERS

AS_OF = "as of 29th Feb 2015"  # the page: "(as of 29th Feb 2015)"
SOURCE_TITLE = "CLAIR Singapore website"


def only(messages):
    assert len(messages) == 1, messages
    return messages[0]


def test_every_handled_intent_is_a_domain_intent(domain):
    assert set(HANDLERS) | {"followup"} <= set(domain["intents"])


def test_sister_cities(answer, ent, kb, render, slots_of):
    messages, events = answer("Which sister cities does Fukuoka have?", "sister_cities",
                              [ent("prefecture", "Fukuoka")])
    m = only(messages)
    assert m["response"] == "utter_affiliations_of_prefecture"
    assert m["prefecture"] == "Fukuoka"
    assert m["count"] == len(kb.affiliations_of_prefecture("Fukuoka")) == 4
    # The page: Fukuoka Bangkok / Fukuoka Delhi / Fukuoka Hanoi City / Fukuoka Ipoh, Perak
    assert m["lines"].splitlines() == ["- Bangkok (Thailand)", "- Delhi (India)", "- Hanoi (Vietnam)",
                                       "- Ipoh, Perak (Malaysia)"]
    assert (m["source"], m["as_of"]) == (SOURCE_TITLE, AS_OF)
    assert render(m).startswith("Fukuoka has 4 sister-city affiliations with ASEAN or India")
    assert slots_of(events)["topic"] == "sister_cities"
    assert slots_of(events)["context_prefecture"] == "Fukuoka"


def test_sister_city_count(answer, ent, kb, render):
    m = only(answer("how many sister cities in the Philippines", "sister_city_count",
                    [ent("country", "the Philippines")])[0])
    assert m["response"] == "utter_affiliation_count_country"
    assert m["country"] == "Philippines"
    assert m["count"] == len(kb.affiliations_of_country("Philippines")) == 19
    render(m)


def test_list_as_of(answer, kb, render):
    m = only(answer("How current is the list?", "list_as_of")[0])
    assert m["response"] == "utter_list_as_of"
    assert m["as_of"] == kb.source().as_of == AS_OF
    assert m["source"] == kb.source().title
    assert m["count"] == kb.count_affiliations() == 39
    assert "as of 29th Feb 2015" in render(m)


def test_repp_about(answer, kb, render):
    m = only(answer("What is the Regional Exchange Promotion Program?", "repp_about")[0])
    program = kb.exchange_program()
    assert m["response"] == "utter_repp_about"
    assert m["name"] == program.name == "Regional Exchange Promotion Program"
    assert m["organiser"] == "CLAIR Singapore"
    assert m["frequency"] == "annually"
    assert m["region"] == "the ASEAN region or India"
    assert m["mission"] == program.mission
    assert m["gains"].splitlines() == [f"- {g}" for g in program.gains]
    render(m)


def test_repp_organisers(answer, kb, render):
    m = only(answer("Who organises the exchange program?", "repp_organisers")[0])
    assert m["response"] == "utter_repp_organisers"
    assert m["organiser"] == "CLAIR Singapore"
    # The page: "In collaboration with Japan Intercultural Academy of Municipalities (JIAM) and the
    # Conference of Recognized Local International Exchange Associations in Japan"
    assert "Japan Intercultural Academy of Municipalities (JIAM)" in m["partners"]
    assert "Conference of Recognized Local International Exchange Associations in Japan" in m["partners"]
    assert m["name"] == kb.exchange_program().name
    render(m)


def test_repp_participants(answer, kb, render):
    m = only(answer("Who can join the exchange program?", "repp_participants")[0])
    assert m["response"] == "utter_repp_participants"
    assert m["participants"] == kb.exchange_program().participants == "Japanese local government officials"
    assert m["mission"] == kb.exchange_program().mission
    render(m)


@pytest.mark.parametrize("text", ["Who was the program for in 2012?", "who went on the 2012 mission",
                                  "participants of the 2012 programme"])
def test_who_took_part_in_an_edition_gives_the_edition_and_who_takes_part(answer, ent, kb, render, text):
    messages, _ = answer(text, "repp_edition", [ent("fiscal_year", "2012")])
    assert [m["response"] for m in messages][-1] == "utter_repp_participants"
    said = " ".join(render(m) for m in messages)
    assert all(country in said for country in kb.edition(2012).countries)
    assert kb.exchange_program().participants in said


def test_repp_edition(answer, ent, kb, render, slots_of):
    messages, events = answer("Where was the exchange program held in 2011?", "repp_edition",
                              [ent("fiscal_year", "2011")])
    m = only(messages)
    edition = kb.edition(2011)
    assert m["response"] == "utter_edition"
    assert m["year"] == 2011
    # The page: 2011 India (Mumbai, Pune, Chennai) "2011 Japan-India Regional Exchange Promotion Program"
    assert m["where"] == "India (Mumbai, Pune, Chennai)"
    assert m["title"] == edition.title == "2011 Japan-India Regional Exchange Promotion Program"
    render(m)
    assert slots_of(events)["context_year"] == "2011"


def test_repp_theme(answer, ent, kb, render):
    m = only(answer("What was the theme in 2013?", "repp_theme", [ent("fiscal_year", "2013")])[0])
    assert m["response"] == "utter_edition_theme"
    assert m["year"] == 2013
    assert m["title"] == kb.edition(2013).title == "2013 Japan – Thailand Regional Exchange Promotion Program"
    render(m)


def test_repp_cancelled(answer, kb, render):
    m = only(answer("Was any exchange program cancelled?", "repp_cancelled")[0])
    assert m["response"] == "utter_cancelled_editions"
    assert [e.fiscal_year for e in kb.cancelled_editions()] == [2008]
    assert m["lines"] == "- FY2008: India – cancelled (terrorist attack in Mumbai)"
    assert (m["first_year"], m["last_year"]) == (2007, 2015)
    render(m)


def test_repp_first(answer, kb, render, slots_of):
    messages, events = answer("When was the first exchange program?", "repp_first")
    m = only(messages)
    first = kb.first_edition()
    assert m["response"] == "utter_first_edition"
    assert m["year"] == first.fiscal_year == 2007
    assert m["where"] == "Vietnam"
    assert m["title"] == first.title
    assert m["title"].startswith("Japan-Vietnam Regional Alliances Promotion Program")
    render(m)
    assert slots_of(events)["context_year"] == "2007"


def test_repp_list(answer, kb, render):
    m = only(answer("List all the Regional Exchange Promotion Programs", "repp_list")[0])
    assert m["response"] == "utter_edition_list"
    lines = m["lines"].splitlines()
    assert len(lines) == len(kb.editions()) == 9
    assert [line.split(":")[0] for line in lines] == [f"- FY{y}" for y in range(2007, 2016)]
    assert "- FY2012: Singapore and Indonesia" in lines
    assert "- FY2014: Malaysia (Kuala Lumpur, Johor Bahru)" in lines
    assert "- FY2008: India – cancelled (terrorist attack in Mumbai)" in lines
    assert (m["first_year"], m["last_year"]) == (2007, 2015)
    render(m)


def test_repp_fy2015(answer, kb, render):
    m = only(answer("Tell me about the 2015 Vietnam program", "repp_fy2015")[0])
    details = kb.fy2015_details()
    assert m["response"] == "utter_fy2015_details"
    assert m["title"] == "2015 Japan – Vietnam Regional Exchange Promotion Program"
    assert m["cities"] == "Hanoi and Ho Chi Minh City"  # the page: "Ha Noi-Ho Chi Minh, Vietnam"
    assert m["month"] == "November 2015"  # "A total of 11 days in November 2015"
    assert m["days"] == 11
    assert m["participants"] == 20  # "No. of Participants: 20 people"
    assert m["participant_description"] == details.participants_description
    assert m["parts"] == "Domestic Training (Japan); Overseas Training (Vietnam)"
    assert m["summary"] == details.summary
    render(m)


def test_seminar_about(answer, kb, render):
    m = only(answer("What is the cooperation seminar?", "seminar_about")[0])
    seminar = kb.seminar()
    assert m["response"] == "utter_seminar"
    assert m["name"] == "Local Government Exchange and Cooperation Seminar"
    assert (m["host"], m["held_in"]) == ("CLAIR", "Japan")  # "is hosted by CLAIR in Japan"
    assert m["brings_together"] == seminar.brings_together
    assert m["lines"].splitlines() == [f"- {x}" for x in seminar.overseas_participants]
    assert "attend lectures in Tokyo" in m["lines"]
    render(m)


def test_jet_about(answer, kb, render):
    m = only(answer("What is the JET Programme?", "jet_about")[0])
    jet = kb.jet_programme()
    assert m["response"] == "utter_jet_about"
    assert m["description"] == jet.description
    assert m["description"].startswith("The JET Program is a project that helps to send overseas youths")
    assert m["aims"].splitlines() == [f"- {a}" for a in jet.aims]
    render(m)


def test_jet_supporters(answer, kb, render):
    m = only(answer("Who supports the JET programme?", "jet_supporters")[0])
    assert m["response"] == "utter_jet_supporters"
    assert m["implementer"] == "Japan's local governments and authorities"
    assert m["lines"].splitlines() == [
        "- Ministry of Internal Affairs and Communications (MIC)",
        "- Ministry of Foreign Affairs (MOFA)",
        "- Ministry of Education, Culture, Sports, Science and Technology (MEXT)",
        "- CLAIR",
    ]
    render(m)


def test_jet_positions(answer, kb, render):
    m = only(answer("What positions does JET offer?", "jet_positions")[0])
    assert m["response"] == "utter_jet_positions"
    assert m["count"] == len(kb.positions()) == 3  # "There are 3 types of positions"
    lines = m["lines"].splitlines()
    assert [line.split(" (")[1].split(")")[0] for line in lines] == ["CIR", "ALT", "SEA"]
    for position, line in zip(kb.positions(), lines):
        assert line == f"- {position.name} ({position.code}): {position.description}"
    render(m)


def test_jet_position_detail(answer, ent, kb, render, slots_of):
    messages, events = answer("What does an ALT do?", "jet_position_detail", [ent("position", "ALT")])
    m = only(messages)
    alt = kb.position("ALT")
    assert m["response"] == "utter_jet_position"
    assert (m["code"], m["name"]) == ("ALT", "Assistant Language Teacher")
    assert m["description"] == alt.description
    assert "foreign language classes in elementary, junior and senior high schools" in m["description"]
    render(m)
    assert slots_of(events)["context_position"] == "ALT"
    assert slots_of(events)["topic"] == "jet_position_detail"


def test_jet_position_detail_without_a_position_asks_which(answer, kb):
    m = only(answer("What does a JET participant do?", "jet_position_detail")[0])
    assert m["response"] == "utter_ask_position"
    assert [b["title"] for b in m["buttons"]] == [f"{p.code} – {p.name}" for p in kb.positions()]
    assert [b["payload"] for b in m["buttons"]] == [
        '/jet_position_detail{"position": "CIR"}',
        '/jet_position_detail{"position": "ALT"}',
        '/jet_position_detail{"position": "SEA"}',
    ]


def test_jet_participation(answer, kb, render):
    messages, _ = answer("How many youths from ASEAN joined JET?", "jet_participation")
    m = only(messages)
    assert m["response"] == "utter_jet_participation"
    # "in FY2011, a total of 56 youths from these countries were selected for the program"
    assert (m["year"], m["count"]) == (2011, 56)
    assert m["origin"] == "the ASEAN region and India"
    assert m["note"] == kb.jet_programme().participation_note
    render(m)


def test_jetaa(answer, kb, render):
    m = only(answer("What is JETAA?", "jetaa")[0])
    assert m["response"] == "utter_jetaa"
    assert m["description"] == kb.jetaa().description
    assert "JET Alumni Association (JETAA)" in m["description"]
    render(m)


def test_support_services(answer, kb, render):
    m = only(answer("How does CLAIR Singapore support sister city affiliations?", "support_services")[0])
    forms = kb.sister_city_support().forms
    assert m["response"] == "utter_support_services"
    assert m["count"] == len(forms) == 3
    assert m["lines"].splitlines() == [f"- {f}" for f in forms]
    assert m["lines"].splitlines()[0].startswith("- Collect and publish information")
    render(m)


def test_contact_office(answer, kb, render):
    m = only(answer("How do I contact CLAIR Singapore?", "contact_office")[0])
    assert m["response"] == "utter_contact_office"
    assert m["statement"] == kb.sister_city_support().contact_statement
    assert m["statement"].startswith("Please kindly contact CLAIR Singapore")
    assert kb.sister_city_support().contact_details is None  # no invented address
    assert "no address, e-mail or phone number" in render(m)


@pytest.mark.parametrize("intent", ["greet", "out_of_scope", "", "no_such_intent", "request_affiliation"])
def test_an_intent_it_does_not_handle_gets_utter_default(answer, intent):
    messages, events = answer("hello", intent)
    assert [m["response"] for m in messages] == ["utter_default"]
    assert events == []



@pytest.mark.parametrize("text,intent,kind,name,said", [
    ("How many sister cities does Kagoshima have?", "sister_city_count", "prefecture", "Kagoshima", "1 sister-city affiliation "),
    ("Which sister cities does Fukuoka have?", "sister_cities", "prefecture", "Fukuoka", "4 sister-city affiliations "),
    ("Which Japanese governments is Quezon partnered with?", "sister_cities", "place", "Quezon", "1 Japanese local government:"),
])
def test_counts_are_said_with_proper_plurals(answer, ent, render, text, intent, kind, name, said):
    """ "1 sister-city affiliation", "4 sister-city affiliations", never "affiliation(s)"."""
    rendered = render(only(answer(text, intent, [ent(kind, name)])[0]))
    assert said in rendered and "(s)" not in rendered


@pytest.mark.parametrize("text, first", [("is MOFA one of the JET supporters?", "utter_jet_supporter_yes"),
                                         ("is JIAM one of the bodies supporting JET?", "utter_jet_supporter_no")])
def test_a_yes_or_no_question_about_a_supporter_is_answered_yes_or_no_then_the_list(answer, render, text, first):
    messages, _ = answer(text, "jet_supporters")
    assert [m["response"] for m in messages] == [first, "utter_jet_supporters"]
    assert render(messages[0]).startswith("Yes:" if first.endswith("yes") else "No:")


@pytest.mark.parametrize("text, entity, yes", [("Did the 2011 Japan-India program include Chennai?", ("place", "Chennai"), True),
                                               ("did the 2013 program go to vietnam?", ("country", "Vietnam"), False)])
def test_a_yes_or_no_question_about_an_editions_place_is_answered_yes_or_no(answer, ent, kb, text, entity, yes):
    messages, _ = answer(text, "repp_edition", [ent(*entity)])
    responses = [m["response"] for m in messages]
    assert responses[0] == ("utter_edition_went_there" if yes else "utter_edition_not_there")
    assert responses[1] == "utter_edition"


@pytest.mark.parametrize("text, intent, expected", [
    ("who does clair singapore team up with to run the REPP", "repp_about", "utter_repp_organisers"),
    ("whats the point of the mission for the japanese officials who go", "repp_participants", "utter_repp_about"),
])
def test_who_runs_it_and_what_it_is_for_are_told_apart_from_who_goes(answer, text, intent, expected):
    messages, _ = answer(text, intent)
    assert [m["response"] for m in messages] == [expected]


def test_who_took_part_in_an_edition_the_page_details_gives_who_went(answer, render, kb):
    details = kb.edition_details(2015)
    messages, _ = answer("who were the participants in the 2015 program, only govt officials?", "repp_participants")
    text = "\n".join(render(m) for m in messages)
    assert "utter_edition_participants" in [m["response"] for m in messages]
    assert details.participants_description in text


@pytest.mark.parametrize("text, intent, expected", [
    ("besides language education what is JET aiming for", "jet_supporters", "utter_jet_about"),
    ("What happens with JET people once they return home?", "jet_about", "utter_jetaa"),
    ("do indians participate in JET at all?", "jet_participation", "utter_jet_participation"),
    ("do seminar participants get to go anywhere outside tokyo?", "seminar_about", "utter_seminar"),
    ("What happened on the 2015 Vietnam programme?", "repp_edition", "utter_fy2015_details"),
])
def test_what_the_words_ask_decides_between_neighbouring_answers(answer, text, intent, expected):
    messages, _ = answer(text, intent)
    assert [m["response"] for m in messages][:1] == [expected]


def test_a_two_digit_fiscal_year_is_that_year(answer, render, kb):
    messages, _ = answer("fy13 host?", "repp_edition")
    assert all(c in render(messages[0]) for c in kb.edition(2013).countries)


def test_no_of_participants_of_an_edition(answer, render, kb):
    messages, _ = answer("no. of participants 2015?", "repp_edition")
    assert str(kb.edition_details(2015).participants) in "\n".join(render(m) for m in messages)


def test_a_year_without_sister_city_words_asks_about_that_edition(answer, render, kb):
    messages, _ = answer("In 2010 which Indian cities did the Japanese officials go to?", "sister_cities",
                         [{"entity": "country", "value": "Indian", "start": 11, "end": 17}])
    text = "\n".join(render(m) for m in messages)
    assert all(city in text for city in kb.edition(2010).cities)


def test_what_is_jet_gives_its_full_name(answer, render, kb):
    messages, _ = answer("what's JET", "jet_about")
    assert kb.jet_programme().name in render(messages[0])


@pytest.mark.parametrize("text", ["no. of participants 2015?",
                                  "In 2010 which Indian cities did the Japanese officials go to?"])
def test_an_unsure_message_with_a_year_and_edition_words_is_about_that_edition(answer, render, kb, text):
    messages, _ = answer(text, "nlu_fallback")
    said = "\n".join(render(m) for m in messages)
    year = 2015 if "2015" in text else 2010
    details = kb.edition_details(year)
    expected = [str(details.participants)] if "participants" in text else list(kb.edition(year).cities)
    assert all(e in said for e in expected)


@pytest.mark.parametrize("text,intent,expected", [
    ("what years was the regional exchange promotion program held in vietnam", "repp_about", "utter_editions_in_country"),
    ("what's SEA in JET (not southeast asia lol)", "jetaa", "utter_jet_position"),
    ("Who are the delegates on these missions - Japanese people or locals from the host country?", "repp_list",
     "utter_repp_participants"),
])
def test_the_words_correct_a_nearby_intent(answer, text, intent, expected):
    messages, _ = answer(text, intent, [])
    assert [m["response"] for m in messages] == [expected]


def test_two_positions_named_are_both_described(answer, kb):
    messages, _ = answer("whats the diff between a CIR and an ALT", "jet_position_detail", None, None)
    codes = [m.get("code") for m in messages if m["response"] == "utter_jet_position"]
    assert codes == ["CIR", "ALT"]


def test_jet_participation_in_a_year_the_page_does_not_give_is_said_plainly(answer, kb):
    given = {f.fiscal_year for f in kb.jet_participation()}
    year = next(y for y in range(2007, 2016) if y not in given)
    messages, _ = answer(f"how many asean and indian youths joined JET in FY{year}?", "jet_participation", None, None)
    assert [m["response"] for m in messages] == ["utter_not_on_page", "utter_page_says_participation"]
    assert f"FY{year}" in messages[0]["what"]


def test_the_supporters_are_counted(answer, render, kb):
    messages, _ = answer("JET is supported by how many ministries?", "jet_supporters", None, None)
    bodies = kb.supporting_bodies()
    word = "ministries" if all(b.name.startswith("Ministry") for b in bodies) else "bodies"
    assert f"with support from {len(bodies)} {word}" in render(messages[-1])


def test_a_pair_asked_about_its_agreement_is_confirmed(answer, render):
    messages, _ = answer("do Fukuoka and Hanoi have a sister city agreement", "sister_cities", None, None)
    assert messages[0]["response"] == "utter_affiliation_pair_yes"


def test_former_jets_are_the_alumni(answer):
    messages, _ = answer("what do former JETs do after going back home?", "nlu_fallback", None, None)
    assert [m["response"] for m in messages] == ["utter_jetaa"]
