"""Staff answers in the knowledge base: loaded from staff_answers.yml like every other entity,
exported back, and matched to visitors' wordings by knowledge/staff_matcher.py."""
import pytest
from sqlalchemy.orm import Session

from knowledge import KnowledgeError, check, load_into_database
from knowledge import models as m
from knowledge.export import render
from knowledge.snapshot import snapshot
from knowledge.staff_matcher import THRESHOLD, StaffMatcher
from knowledge.writer import bump_version

TWO_ANSWERS = """\
# Written by staff.
staff_answers:
  - key: office-hours
    question: When is the CLAIR Singapore office open?
    paraphrases: [what are your opening hours, office hours]
    answer: Weekdays, 9:00 to 17:30.
    author: Aiko Tanaka
    written: "2026-12-08"
  - key: parking
    question: Is there parking at the office?
    answer: No visitor parking, sorry.
    author: Ben Lim
    written: "2026-12-01"
    withdrawn: true
"""


@pytest.fixture
def with_answers(data_copy):
    (data_copy / "staff_answers.yml").write_text(TWO_ANSWERS)
    return data_copy


def test_staff_answers_load_and_a_withdrawn_one_is_not_served(engine, with_answers, kb):
    load_into_database(engine, with_answers)
    served = kb.staff_answers()
    assert [a.key for a in served] == ["office-hours"]
    assert served[0].paraphrases == ("what are your opening hours", "office hours")
    assert [a.key for a in kb.staff_answers(include_withdrawn=True)] == ["office-hours", "parking"]


def test_staff_answers_export_back_to_the_same_file(engine, with_answers):
    load_into_database(engine, with_answers)
    with Session(engine) as session:
        assert render(snapshot(session), with_answers)["staff_answers.yml"] == TWO_ANSWERS


def test_a_staff_answer_needs_its_author_and_date(with_answers):
    path = with_answers / "staff_answers.yml"
    path.write_text(TWO_ANSWERS.replace('    author: Aiko Tanaka\n', ''))
    with pytest.raises(KnowledgeError, match=r"staff_answers #1 \(office-hours\): field 'author': missing required"):
        check(with_answers)


def test_two_staff_answers_cannot_share_a_key(with_answers):
    path = with_answers / "staff_answers.yml"
    path.write_text(TWO_ANSWERS.replace("key: parking", "key: office-hours"))
    with pytest.raises(KnowledgeError, match="duplicate key 'office-hours'"):
        check(with_answers)


def test_a_staff_answer_names_a_page_gap_that_exists(with_answers):
    path = with_answers / "staff_answers.yml"
    path.write_text(TWO_ANSWERS.replace("    author: Aiko Tanaka\n", "    topic: opening_times\n    author: Aiko Tanaka\n"))
    with pytest.raises(KnowledgeError, match="unknown page gap topic 'opening_times'"):
        check(with_answers)
    path.write_text(TWO_ANSWERS.replace("    author: Aiko Tanaka\n", "    topic: office_contact\n    author: Aiko Tanaka\n"))
    assert check(with_answers).staff_answers[0].topic == "office_contact"


def test_an_answer_saved_in_the_database_is_matched_at_once(engine, kb):
    assert kb.match_staff_answer("what are your opening hours?") is None
    with Session(engine) as session, session.begin():
        session.add(m.StaffAnswer(key="office-hours", question="When is the office open?",
                                  paraphrases=["what are your opening hours"], answer="Weekdays.",
                                  author="Aiko Tanaka", written="2026-12-08"))
        bump_version(session)
    found = kb.match_staff_answer("what are your opening hours?")
    assert found is not None and found.answer.key == "office-hours"


class _Answer:
    def __init__(self, key, question, answer, *paraphrases):
        self.key, self.question, self.answer, self.paraphrases = key, question, answer, paraphrases


def test_the_matcher_finds_the_closest_answer_and_refuses_a_distant_question():
    matcher = StaffMatcher([
        _Answer("office-hours", "When is the office open?", "Weekdays from 9:00 to 17:30.", "opening hours"),
        _Answer("jet-salary", "How much are JET participants paid?", "About 3.36 million yen a year.", "JET salary"),
        _Answer("visa", "Do JET participants need a visa?", "Yes, a work visa the employer sponsors.",
                "work visa for JET"),
    ])
    assert matcher.match("what's the salary on JET", THRESHOLD).answer.key == "jet-salary"
    assert matcher.match("office opening hour?", THRESHOLD).answer.key == "office-hours"
    assert matcher.match("Which prefecture is twinned with Cebu?", THRESHOLD) is None
    assert StaffMatcher([]).match("anything", THRESHOLD) is None
