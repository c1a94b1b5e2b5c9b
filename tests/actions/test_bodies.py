"""Questions about an organisation the page names ("What is CLAIR?", "what is MOFA"), answered
from the knowledge base whatever intent NLU guessed, by abbreviation or by name."""
import pytest


@pytest.fixture
def reply(answer, render):
    def ask(text, intent="nlu_fallback"):
        messages, events = answer(text, intent)
        return [m["response"] for m in messages], " ".join(render(m) for m in messages), events

    return ask


@pytest.mark.parametrize("text", ["what is MOFA", "What does mofa stand for?", "Who is the Ministry of Foreign Affairs?",
                                  "what does the Ministry of Foreign Affairs do", "MOFA?", "what's foreign affairs"])
def test_a_supporting_ministry_by_abbreviation_or_name(reply, kb, text):
    responses, said, _ = reply(text)
    assert responses == ["utter_body_supporter"]
    assert "Ministry of Foreign Affairs (MOFA)" in said
    assert kb.jet_programme().implemented_by in said
    others = [b.abbreviation for b in kb.supporting_bodies() if b.abbreviation != "MOFA"]
    assert all(other in said for other in others)


@pytest.mark.parametrize("text,name", [("what is MEXT", "Ministry of Education, Culture, Sports, Science and Technology"),
                                       ("ministry of education?", "Ministry of Education, Culture, Sports, Science and Technology"),
                                       ("what does MIC mean", "Ministry of Internal Affairs and Communications")])
def test_every_ministry_answers_with_its_own_name(reply, text, name):
    responses, said, _ = reply(text, "jet_supporters")
    assert responses == ["utter_body_supporter"] and said.count(name) == 1


@pytest.mark.parametrize("text", ["What is CLAIR?", "who is clair", "tell me about CLAIR Singapore"])
def test_clair_is_described_by_what_the_page_says_it_does(reply, kb, text):
    responses, said, events = reply(text)
    assert responses == ["utter_body_clair"]
    assert kb.seminar().name in said and kb.exchange_program().name in said
    assert kb.sister_city_support().intro in said
    assert "Council" not in said  # the page never spells CLAIR out, so neither does the reply
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "support_services"} in events


def test_a_program_partner_is_named_with_the_program(reply, kb):
    responses, said, _ = reply("who is JIAM")
    program = kb.exchange_program()
    assert responses == ["utter_body_repp_partner"]
    assert program.name in said and all(p in said for p in program.partners)
    assert "(JIAM) (JIAM)" not in said


def test_jetaa_by_abbreviation(reply, kb):
    responses, said, _ = reply("what is JETAA?")
    assert responses == ["utter_jetaa"] and kb.jetaa().description in said


@pytest.mark.parametrize("text,intent,response", [
    ("Which ministries support the JET program?", "jet_supporters", "utter_jet_supporters"),
    ("Does CLAIR help us find a partner city in Japan?", "support_services", "utter_support_services"),
])
def test_a_question_about_something_else_that_names_a_body_is_not_a_definition(reply, text, intent, response):
    responses, _, _ = reply(text, intent)
    assert responses == [response]


def test_a_gap_question_naming_a_body_stays_honest(reply):
    responses, _, _ = reply("what is the phone number of CLAIR Singapore", "contact_office")
    assert responses[0] == "utter_not_on_page"


@pytest.mark.parametrize("text", ["what does CLAIR stand for", "CLAIR full name?", "what is CLAIR short for"])
def test_clairs_full_name_is_said_to_be_missing_from_the_page(reply, kb, text):
    responses, said, _ = reply(text)
    assert responses == ["utter_body_clair_full_name"] and said.startswith("The page does not spell CLAIR out")
    assert kb.sister_city_support().intro in said and "Council" not in said


def test_a_question_about_a_body_beyond_its_part_says_the_page_gives_only_that(answer, render):
    messages, _ = answer("What courses does JIAM run and where is it located?", "followup", [])
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_not_on_page_body" and "JIAM" in render(messages[0])
    assert responses[1] == "utter_body_repp_partner"
