"""A message that asks two things at once gets both answers, each read from its own words,
without repeating what the first answer already said."""
import pytest

from actions.several_questions import questions_in


@pytest.mark.parametrize("text,parts", [
    ("who hosts the cooperation seminar and what is MOFA", ["who hosts the cooperation seminar", "what is MOFA"]),
    ("where was the 2014 program held? also who is Aichi paired with",
     ["where was the 2014 program held", "who is Aichi paired with"]),
    ("I'd love to know which ministries back the JET program, and also what SEA stands for?",
     ["I'd love to know which ministries back the JET program", "what SEA stands for"]),
    ("Which prefectures have partners in both Indonesia and the Philippines?", []),
    ("Kawit and Quezon - which prefectures are they partnered with?", []),
])
def test_the_questions_of_a_message(text, parts):
    assert questions_in(text) == parts


@pytest.fixture
def reply(answer, render):
    def ask(text, intent, entities=None):
        messages, _ = answer(text, intent, entities or [])
        return [m["response"] for m in messages], "\n".join(render(m) for m in messages)
    return ask


def test_both_questions_are_answered(reply):
    responses, text = reply("who hosts the cooperation seminar and what is MOFA", "seminar_about")
    assert responses[0] == "utter_seminar" and "Ministry of Foreign Affairs" in text


def test_the_edition_and_the_prefecture(reply):
    responses, text = reply("where was the 2014 program held? also who is Aichi paired with", "sister_cities")
    assert "Siem Reap" in text and "Malaysia" in text


def test_the_ministries_and_a_position(reply):
    _, text = reply("I'd love to know which ministries back the JET program, and also what SEA stands for?",
                    "jet_position_detail")
    assert "Sports Exchange Advisor" in text and "Ministry of Internal Affairs" in text


def test_what_the_first_answer_said_is_not_repeated(reply):
    responses, _ = reply("who is Aichi paired with? and who is Aichi partnered with", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture"]


def test_one_question_is_answered_once(reply):
    responses, _ = reply("what is MOFA", "jet_supporters")
    assert len(responses) == 1
