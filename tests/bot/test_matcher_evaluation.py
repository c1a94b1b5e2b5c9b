"""How staff answers are scored from the served assistant's replies (bot/matcher_evaluation.py)."""
from bot import matcher_evaluation as ev

ANSWERS = {"Weekdays, 9:00 to 17:30.": "office-hours", "About 3.36 million yen a year.": "jet-salary"}


def reply(text):
    return [{"recipient_id": "x", "text": text}]


def test_the_staff_answer_a_reply_gave_is_told_by_its_text():
    staff = "CLAIR Singapore's page doesn't cover this, but CLAIR staff answered it on 8 December 2026: " \
            "About 3.36 million yen a year."
    assert ev.served_key(reply(staff), ANSWERS) == "jet-salary"
    assert ev.served_key(reply("CLAIR Singapore's page doesn't say the salary, so I can't tell you without "
                               "guessing."), ANSWERS) is None


def test_precision_counts_wrong_answers_served_and_recall_the_positives_answered():
    questions = [("office hours?", "office-hours"), ("jet pay?", "jet-salary"), ("weather?", None),
                 ("cebu's partner?", None)]
    served = ["office-hours", "office-hours", None, "jet-salary"]
    scores = ev.score(questions, served, 0.5)
    assert (scores.served, scores.positives, scores.negatives) == (3, 2, 2)
    assert scores.precision == 1 / 3 and scores.recall == 1 / 2


def test_the_evaluation_files_name_only_answers_of_the_fixture():
    keys = set(ANSWERS.values()) | set(ev.fixture_answers().values())
    for source in (ev.DEV, ev.HELDOUT):
        questions = ev.load_questions(source)
        assert {key for _, key in questions if key} <= keys
        assert sum(1 for _, key in questions if key is None) >= 60
