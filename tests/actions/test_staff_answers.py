"""Staff answers are served where the assistant has no answer of its own (a page gap, a fallback,
an off-topic message), say they come from CLAIR staff and when, and never replace an answer the
knowledge base gives."""
import pytest
from sqlalchemy.orm import Session

from actions.suggest_action import ActionSuggestIntents
from knowledge import models as m
from knowledge.writer import bump_version


@pytest.fixture
def staff_answer(engine):
    """add(key, question, answer, paraphrases=(), withdrawn=False): a staff answer saved as the
    console saves it (a new KB version)."""

    def add(key, question, answer, paraphrases=(), withdrawn=False, topic=None):
        with Session(engine) as session, session.begin():
            session.add(m.StaffAnswer(key=key, question=question, paraphrases=list(paraphrases), answer=answer,
                                      author="Aiko Tanaka", written="2026-12-08", withdrawn=withdrawn, topic=topic))
            bump_version(session)

    return add


def test_a_page_gap_that_staff_answered_gets_their_answer_with_its_date(answer, staff_answer, render):
    staff_answer("alt-salary", "How much is an ALT paid?", "About 3.36 million yen a year in the first year.",
                 ["what is the salary of an ALT", "ALT pay"])
    messages, _ = answer("what's the salary of an ALT?", "jet_position")
    assert [m_["response"] for m_ in messages] == ["utter_staff_answer"]
    said = render(messages[0])
    assert "CLAIR staff answered it on 8 December 2026" in said and "3.36 million yen" in said


def test_a_page_gap_gets_the_answer_staff_wrote_for_it_in_any_wording(answer, staff_answer):
    """Linked to the gap, an answer does not depend on the visitor's words resembling staff's."""
    staff_answer("jet-visa", "Do JET participants need a visa?", "Yes: the contracting organisation sponsors it.",
                 topic="visas")
    staff_answer("alt-salary", "How much is an ALT paid?", "About 3.36 million yen.", topic="salary")
    messages, _ = answer("will japan let me work there, paperwork-wise, immigration and so on?", "jet_about")
    assert [m_["response"] for m_ in messages] == ["utter_staff_answer"]
    assert messages[0]["answer"] == "Yes: the contracting organisation sponsors it."


def test_without_a_staff_answer_the_page_gap_is_said_as_before(answer):
    messages, _ = answer("what's the salary of an ALT?", "jet_position")
    assert messages[0]["response"] == "utter_not_on_page"


def test_a_withdrawn_answer_is_no_longer_served(answer, staff_answer):
    staff_answer("alt-salary", "How much is an ALT paid?", "About 3.36 million yen.",
                 ["what is the salary of an ALT"], withdrawn=True)
    messages, _ = answer("what's the salary of an ALT?", "jet_position")
    assert messages[0]["response"] == "utter_not_on_page"


def test_an_answer_the_knowledge_base_gives_is_never_replaced(answer, staff_answer):
    staff_answer("alt-duties", "What does an ALT do?", "Staff wording that must not be served.")
    messages, _ = answer("What does an ALT do?", "jet_position")
    assert "utter_staff_answer" not in [m_["response"] for m_ in messages]


def test_a_fallback_that_staff_answered_gets_their_answer(run_action, staff_answer):
    staff_answer("office-hours", "When is the CLAIR Singapore office open?", "Weekdays, 9:00 to 17:30.",
                 ["what are your opening hours", "office hours"])
    messages, _ = run_action(ActionSuggestIntents(), text="what are the office's opening hours?",
                             intent="nlu_fallback", intent_ranking=[{"name": "nlu_fallback", "confidence": 0.5}])
    assert [m_["response"] for m_ in messages] == ["utter_staff_answer"]
    assert messages[0]["answer"] == "Weekdays, 9:00 to 17:30."


def test_an_unrelated_fallback_still_falls_back(run_action, staff_answer):
    staff_answer("office-hours", "When is the CLAIR Singapore office open?", "Weekdays, 9:00 to 17:30.")
    messages, _ = run_action(ActionSuggestIntents(), text="blorp zzkt", intent="nlu_fallback",
                             intent_ranking=[{"name": "nlu_fallback", "confidence": 0.5}])
    assert messages[0]["response"] in ("utter_default", "utter_did_you_mean")


def test_an_answer_saved_while_running_is_served_on_the_next_message(run_action, staff_answer):
    ask = dict(text="do you have parking at the office?", intent="out_of_scope",
               intent_ranking=[{"name": "out_of_scope", "confidence": 0.9}])
    before, _ = run_action(ActionSuggestIntents(), **ask)
    assert before[0]["response"] == "utter_out_of_scope"
    staff_answer("parking", "Is there parking at the office?", "No, the office has no visitor parking.")
    after, _ = run_action(ActionSuggestIntents(), **ask)
    assert after[0]["response"] == "utter_staff_answer"
