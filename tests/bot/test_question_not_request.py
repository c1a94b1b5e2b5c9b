"""QuestionNotRequest: a question about existing affiliations that names the visitor's own city
is answered, not turned into a sister-city request."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_integration.nlu_components import QuestionNotRequest, asked_instead, is_question_about_existing


@pytest.mark.parametrize("text", ["we're from Quezon, do we have a partner in Japan?",
                                  "we're from iwate \u2014 who's our sister city?",
                                  "we are from Cebu, what is our sister city?",
                                  "Does Cebu City have a sister city?",
                                  "We are Chiba, is there a partner for us in Thailand?",
                                  "Silay City, Negros here. our partner in Japan is?",
                                  "Our city is Ipoh. Can you remind me which Japanese partner we have on your list?"])
def test_questions_about_what_exists_are_questions(text):
    assert is_question_about_existing(text)


@pytest.mark.parametrize("text", ["Can you help us find a sister city?", "How do we start an affiliation?",
                                  "our city is looking for a partner in japan",
                                  "We are Cebu City and want a Japanese partner city",
                                  "do we need anything to apply for a sister city?"])
def test_requests_stay_requests(text):
    assert not is_question_about_existing(text)


@pytest.mark.parametrize("text", ["how long does it take clair to find a partner city for us?",
                                  "when did Chiba and Bangkok sign their sister city agreement",
                                  "hi, how much does it cost to get a sister city?"])
def test_questions_about_the_process_are_answered_as_questions_about_the_support(text):
    assert asked_instead(text) == "support_services"


@pytest.mark.parametrize("text", ["How do we start an affiliation?", "we want a partner in Japan",
                                  "Can you help us find a sister city?"])
def test_requests_are_not_asked_instead(text):
    assert asked_instead(text) is None


def _message(text, intent):
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.8},
                         "intent_ranking": [{"name": intent, "confidence": 0.8},
                                            {"name": "sister_cities", "confidence": 0.1}]})


def test_the_component_relabels_only_such_requests():
    component = QuestionNotRequest()
    asked, wanted = component.process([_message("we're from Quezon, do we have a partner in Japan?", "request_affiliation"),
                                       _message("we want a partner in Japan", "request_affiliation")])
    assert asked.get("intent")["name"] == "sister_cities"
    assert [r["name"] for r in asked.get("intent_ranking")] == ["sister_cities"]
    assert wanted.get("intent")["name"] == "request_affiliation"


def test_an_unsure_request_reading_is_relabelled_too():
    message = Message(data={"text": "we're from Quezon, do we have a partner in Japan?",
                            "intent": {"name": "nlu_fallback", "confidence": 0.45},
                            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45},
                                               {"name": "request_affiliation", "confidence": 0.3}]})
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


@pytest.mark.parametrize("text,intent", [("what kind of help exactly?", "affirm"), ("Which one is that?", "deny"),
                                         ("how long did it take", "affirm")])
def test_a_question_taken_for_yes_or_no_is_a_follow_up(text, intent):
    message = _message(text, intent)
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "followup"


@pytest.mark.parametrize("text,intent", [("yes", "affirm"), ("no, what about Osaka?", "deny"), ("why not", "affirm"),
                                         ("sure, go ahead", "affirm")])
def test_yes_and_no_stay_yes_and_no(text, intent):
    message = _message(text, intent)
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == intent


@pytest.mark.parametrize("text,intent", [
    ("I work for the city of Legazpi. Can CLAIR help us set up another sister-city link?", "sister_cities"),
    ("Kumamoto Prefecture here. We are considering a friendship agreement with a local government overseas; "
     "could CLAIR assist?", "sister_cities"),
    ("Miyagi Prefecture would like assistance locating a partner city in India.", "sister_cities"),
    ("Good day! The Provincial Government of Nueva Ecija seeks a sister province in Japan.", "greet"),
])
def test_a_request_read_as_a_question_about_the_place_it_names_is_a_request(text, intent):
    message = _message(text, intent)
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "request_affiliation"


@pytest.mark.parametrize("text", ["Does Cebu City have a sister city?", "I want to know which prefectures have a partner in India",
                                  "How does CLAIR help with sister cities?", "which prefecture are we already twinned with?",
                                  "do our neighbours Kagawa and Kochi have Philippine partners?",
                                  "how many prefectures have a sister city in the Philippines?"])
def test_questions_that_mention_partners_stay_questions(text):
    message = _message(text, "sister_cities")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


def test_a_question_about_our_partners_without_a_question_mark_is_a_question():
    message = _message("we're from saitama, what are our sister cities", "request_affiliation")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


@pytest.mark.parametrize("text", [
    "we're from Tacloban City, do we have a partner in japan",
    "We are from Dagupan City, Pangasinan. Do we already have a Japanese sister prefecture? Thank you po",
    "Pasig city sister city japan", "does Davao city have a japanese sister city", "Da Nang japanese partner city?",
    "I work at Pune Municipal Corporation. Could you tell me which Japanese prefecture is our sister city?"])
def test_a_question_about_existing_partners_read_as_a_request_is_a_question(text):
    message = _message(text, "request_affiliation")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


@pytest.mark.parametrize("text", [
    "ok. Quezon City would like a second one, ideally somewhere in Kyushu. can you help?",
    "Dear Sir/Madam, Pune Municipal Corporation is keen to establish one more sister city relationship.",
    "nagano pref here, interested in a new partner in the philippines, pls help",
    "We are Tacloban City, do we need to apply to get another sister city?",
    "Niigata Prefecture, International Affairs Division. We are exploring a sister relationship with a city in Thailand.",
    "helo, we r Kota Kinabalu City Hall in Sabah Malaysia, looking 4 a sister city in Hokkaido"])
def test_a_request_for_another_partner_is_a_request(text):
    message = _message(text, "sister_cities")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "request_affiliation"


def test_list_our_partners_is_a_question():
    message = _message("we are Chiba pref. - list our partners in asean pls", "request_affiliation")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


def test_an_unsure_reading_whose_words_ask_for_a_partner_is_a_request():
    message = Message(data={"text": "hi can clair help us find a sister city",
                            "intent": {"name": "nlu_fallback", "confidence": 0.45},
                            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45},
                                               {"name": "request_affiliation", "confidence": 0.4}]})
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "request_affiliation"


@pytest.mark.parametrize("intent", ["followup", "affirm"])
def test_a_long_follow_up_or_yes_that_asks_for_another_partner_is_a_request(intent):
    message = _message("ok. Quezon City would like a second one, ideally somewhere in Kyushu. can you help?", intent)
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "request_affiliation"
    short = _message("yes, help us", intent)
    QuestionNotRequest().process([short])
    assert short.get("intent")["name"] == intent


def test_a_name_and_a_partner_word_is_a_question():
    message = _message("HCMC partner in japan", "request_affiliation")
    QuestionNotRequest().process([message])
    assert message.get("intent")["name"] == "sister_cities"


@pytest.mark.parametrize("text", [
    "Good day! The Provincial Government of Bohol, Philippines would like to ask CLAIR to help us look for a sister prefecture.",
    "hello, ayutthaya municipality in thailand here. we are interested to have a sister city with CLAIR's help.",
    "Nara Prefecture here. Sister city help?",
    "hello clair. battambang provincial administration, cambodia. looking for japanese sister province. can help?",
    "helo, we r from Miyazaki pref. want sister city in asean, clair can support?",
])
def test_asking_clair_to_help_or_wanting_its_help_is_a_request(text):
    from bot.rasa_integration.nlu_components import is_request
    assert is_request(text)


@pytest.mark.parametrize("text, cancel", [("please cancel, we will contact you later", True),
                                          ("ok cancel", True), ("what is the cancellation policy", False),
                                          ("the purpose is to stop flooding", False)])
def test_a_message_opening_with_cancel_is_a_cancel(text, cancel):
    from bot.rasa_integration.nlu_components import reclassified
    assert (reclassified("human_handoff", text) == "cancel") is cancel
