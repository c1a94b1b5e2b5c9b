"""Staff answers written in the console: served by the running assistant's facade at once, named
after the signed-in account and the day, withdrawn and served again, audited, refused when the data
files could not hold them, and exported to staff_answers.yml."""
from __future__ import annotations

import re

from bot.staff.audit import recent
from knowledge.export import export

ANSWER = "Weekdays, 9:00 to 17:30, except public holidays."


def post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": client.csrf}, follow_redirects=False)


def write(client, **values):
    form = {"question": "When is the CLAIR Singapore office open?", "paraphrases": "opening hours\nwhat time do you open",
            "answer": ANSWER, "answer_ja": "", "topic": "office_contact", **values}
    return post(client, "/kb/answers/new", **form)


def test_a_written_answer_is_served_at_once_in_the_staff_members_name(client, facade):
    assert facade.match_staff_answer("what are your opening hours?") is None
    saved = write(client)
    assert saved.status_code == 303 and saved.headers["location"] == "/kb/answers?msg=saved"
    found = facade.match_staff_answer("what are your opening hours?")
    assert found is not None and found.answer.answer == ANSWER
    assert found.answer.paraphrases == ("opening hours", "what time do you open")
    assert found.answer.key == "when-is-the-clair-singapore-office" and found.answer.topic == "office_contact"
    assert found.answer.author and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.answer.written)
    listed = client.get("/kb/answers", follow_redirects=False).text
    assert "When is the CLAIR Singapore office open?" in listed and "Served" in listed


def test_withdrawing_stops_it_and_serving_again_brings_it_back(client, facade):
    write(client)
    key = facade.staff_answers()[0].key
    assert post(client, f"/kb/answers/{key}/retire").status_code == 303
    assert facade.match_staff_answer("what are your opening hours?") is None
    assert "Withdrawn" in client.get("/kb/answers", follow_redirects=False).text
    post(client, f"/kb/answers/{key}/restore")
    assert facade.match_staff_answer("what are your opening hours?") is not None


def test_an_edit_is_served_at_once_and_keeps_the_key(client, facade):
    write(client)
    key = facade.staff_answers()[0].key
    post(client, f"/kb/answers/{key}", question="When is the office open?", paraphrases="", answer="From 9:00.",
         answer_ja="午前9時から。", topic="office_contact")
    [edited] = facade.staff_answers()
    assert (edited.key, edited.answer, edited.answer_ja, edited.paraphrases) == (key, "From 9:00.", "午前9時から。", ())


def test_an_unknown_page_gap_is_refused_with_the_loaders_reason_and_nothing_changes(client, facade):
    refused = write(client, topic="opening_times")
    assert refused.status_code == 422 and "unknown page gap topic" in refused.text
    assert facade.staff_answers() == []


def test_writing_and_withdrawing_are_audited(client, engine, facade):
    write(client)
    post(client, f"/kb/answers/{facade.staff_answers()[0].key}/retire")
    actions = [(e.action, e.entity) for e in recent(engine, "kb.", limit=2)[0]]
    assert actions == [("withdrawn", "kb.answer"), ("created", "kb.answer")]


def test_a_written_answer_is_exported_to_the_data_files(client, engine, settings):
    write(client)
    export(engine, settings.knowledge_dir)
    text = (settings.knowledge_dir / "staff_answers.yml").read_text()
    assert "question: When is the CLAIR Singapore office open?" in text and ANSWER in text
    assert "topic: office_contact" in text
