"""The Unanswered page: messages harvested from the tracker store (fallback, out of scope, "the page
does not say", voted not helpful), grouped with counts, first and last seen, filters and orders,
contact details masked, output escaped, links to transcripts; pointing a group to an answer (the
training-suggestions queue), writing a staff answer for it (served at once) and dismissing it, each
audited; the export command's NLU YAML."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main as bot_main
from bot.feedback.harvest import harvest
from bot.feedback.models import TrainingSuggestion, UnansweredMessage
from bot.staff import audit
from tests.tracker_events import TrackerWriter

DEFAULT = "Sorry, I didn't understand that. Could you rephrase it?"
OUT_OF_SCOPE = "Sorry, I can only help with what CLAIR Singapore's page covers."
GAP = "CLAIR Singapore's page doesn't say how much an ALT earns, so I can't tell you without guessing."
DAY = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def conversations(settings):
    writer = TrackerWriter(settings.tracker_store_url)
    salary = ["how much does an ALT get paid?", "What is the salary of an ALT", "ALT salary per month?"]
    for i, question in enumerate(salary):
        writer.turn(f"salary-{i}", question, GAP, "utter_not_on_page", start=DAY + timedelta(days=i))
    writer.turn("weather-1", "what is the weather in singapore today", OUT_OF_SCOPE, "utter_out_of_scope",
                start=DAY + timedelta(days=5))
    writer.turn("gibberish-1", "asdf qwerty <script>alert(1)</script> mail me: kim.lee@example.org or +65 6123 4567",
                DEFAULT, "utter_default", start=DAY + timedelta(days=1), action="action_default_fallback")
    writer.turn("answered-1", "Which sister cities does Fukuoka have?", "Fukuoka has 4 sister cities.", None,
                start=DAY + timedelta(days=2))
    writer.add("buttons-1", [("user", "/human_handoff"), ("bot", DEFAULT, "utter_default")])
    yield writer
    writer.dispose()


def groups_of(html: str) -> list[tuple[str, str]]:
    found = re.findall(r'class="group-sample">([^<]*)</h2>\s*<p class="meta">\s*<strong class="group-count">([^<]*)<',
                       html)
    return [(sample, count) for sample, count in found]


def test_unanswered_messages_are_grouped_with_counts_and_reasons(client, conversations):
    html = client.get("/unanswered").text
    assert groups_of(html) == [
        ("what is the weather in singapore today", "Asked 1 time"),
        ("ALT salary per month?", "Asked 3 times"),
        ("asdf qwerty &lt;script&gt;alert(1)&lt;/script&gt; mail me: [e-mail] or [phone]", "Asked 1 time"),
    ]
    assert "Fukuoka" not in html and "/human_handoff" not in html  # answered; a button, not typed
    assert "kim.lee@example.org" not in html and "6123 4567" not in html and "<script>alert" not in html
    assert "The page does not say" in html and "Out of scope" in html and "Not understood (fallback)" in html
    assert 'href="/conversations/salary-0"' in html and "English" in html
    assert "first seen 2 Nov 2026" in html and "last seen 4 Nov 2026" in html
    assert "3 groups, 5 messages." in html


def test_most_asked_order_and_filters(client, conversations):
    assert [c for _, c in groups_of(client.get("/unanswered?order=most").text)][0] == "Asked 3 times"
    assert [s for s, _ in groups_of(client.get("/unanswered?reason=out_of_scope").text)] == \
        ["what is the weather in singapore today"]
    assert groups_of(client.get("/unanswered?from=2026-11-04&to=2026-11-04").text) == [("ALT salary per month?", "Asked 1 time")]
    assert groups_of(client.get("/unanswered?language=ja").text) == []
    assert len(groups_of(client.get("/unanswered?reason=bogus&from=not-a-date").text)) == 3  # ignored


def test_japanese_is_told_apart(client, settings, conversations):
    conversations.turn("ja-1", "JETプログラムの給料はいくらですか", DEFAULT, "utter_default", start=DAY)
    html = client.get("/unanswered?language=ja").text
    assert groups_of(html) == [("JETプログラムの給料はいくらですか", "Asked 1 time")] and "Japanese" in html


def test_the_harvest_reads_each_event_once(engine, settings, conversations):
    assert harvest(engine, settings.tracker_store_url) == 5
    assert harvest(engine, settings.tracker_store_url) == 0
    conversations.turn("late-1", "is there a fee for the seminar", GAP, "utter_not_on_page", start=DAY)
    assert harvest(engine, settings.tracker_store_url) == 1
    with Session(engine) as session:
        assert session.scalar(select(UnansweredMessage.reason).where(UnansweredMessage.conversation_id == "late-1")) \
            == "not_on_page"


def ids_of(html: str, sample: str) -> str:
    section = html[html.index(f'class="group-sample">{sample}'):]
    return re.search(r'name="ids" value="([^"]+)"', section).group(1)


def test_pointing_a_group_queues_its_wordings_and_is_audited(client, engine, conversations, aiko):
    ids = ids_of(client.get("/unanswered").text, "ALT salary per month?")
    answer = client.post("/unanswered/point", data={"csrf_token": client.csrf, "ids": ids,
                                                     "intent": "jet_position_detail", "back": "order=most"})
    assert answer.status_code == 303 and answer.headers["location"] == "/unanswered?order=most&msg=pointed"
    with Session(engine) as session:
        assert sorted(session.scalars(select(TrainingSuggestion.text))) == [
            "ALT salary per month?", "What is the salary of an ALT", "how much does an ALT get paid?"]
    html = client.get("/unanswered").text
    assert "ALT salary per month?" not in html and len(groups_of(html)) == 2
    entry = audit.recent(engine, "feedback")[0][0]
    assert (entry.action, entry.actor, entry.after["intent"], entry.after["suggestions_added"]) == \
        ("point_to_answer", "Aiko Sato", "jet_position_detail", 3)
    again = client.post("/unanswered/point", data={"csrf_token": client.csrf, "ids": ids, "intent": "jet_about"})
    assert again.status_code == 409 and "already acted" in again.text


def test_an_answer_written_for_a_group_is_served_at_once_with_its_wordings(client, engine, facade, conversations):
    ids = ids_of(client.get("/unanswered").text, "ALT salary per month?")
    assert facade.match_staff_answer("how much does an ALT get paid?") is None
    saved = client.post("/unanswered/answer", data={"csrf_token": client.csrf, "ids": ids, "topic": "salary",
                                                    "answer": "About 3.36 million yen a year in the first year."})
    assert saved.status_code == 303 and saved.headers["location"].endswith("msg=answered")
    found = facade.match_staff_answer("how much does an ALT get paid?")
    assert found is not None and found.answer.answer == "About 3.36 million yen a year in the first year."
    assert found.answer.question == "ALT salary per month?" and found.answer.topic == "salary"
    assert set(found.answer.paraphrases) == {"What is the salary of an ALT", "how much does an ALT get paid?"}
    assert "ALT salary per month?" not in client.get("/unanswered").text
    entry = audit.recent(engine, "feedback")[0][0]
    assert (entry.action, entry.after["decision"], entry.after["answer"]) == ("write_answer", "answered", found.answer.key)


def test_an_answer_the_files_could_not_hold_leaves_the_group_open(client, engine, facade, conversations):
    ids = ids_of(client.get("/unanswered").text, "ALT salary per month?")
    refused = client.post("/unanswered/answer", data={"csrf_token": client.csrf, "ids": ids, "answer": "Some.",
                                                      "topic": "pay_scales"})
    assert refused.status_code == 400 and "unknown page gap topic" in refused.text
    assert facade.staff_answers() == [] and "ALT salary per month?" in client.get("/unanswered").text


def test_dismissing_a_group_is_audited_and_removes_it(client, engine, conversations):
    ids = ids_of(client.get("/unanswered").text, "what is the weather in singapore today")
    assert client.post("/unanswered/dismiss", data={"csrf_token": client.csrf, "ids": ids}).status_code == 303
    assert "weather" not in client.get("/unanswered").text
    entry = audit.recent(engine, "feedback")[0][0]
    assert (entry.action, entry.entity, entry.after) == ("dismiss", "feedback.unanswered", {"decision": "dismissed"})
    assert entry.key == "what is the weather in singapore today (1 message)"
    page = client.get("/audit?entity=feedback").text
    assert "what is the weather in singapore today (1 message)" in page and "dismissed" in page


@pytest.mark.parametrize("data, status", [
    ({"ids": "", "intent": "jet_about"}, 400), ({"ids": "1,x", "intent": "jet_about"}, 400),
    ({"ids": "99999", "intent": "jet_about"}, 400), ({"ids": "1", "intent": "not_an_intent"}, 400)])
def test_bad_decisions_change_nothing(client, engine, conversations, data, status):
    client.get("/unanswered")
    assert client.post("/unanswered/point", data={"csrf_token": client.csrf, **data}).status_code == status
    with Session(engine) as session:
        assert session.scalars(select(UnansweredMessage.decision)).all() == [None] * 5
    assert audit.recent(engine, "feedback")[1] == 0


def test_every_new_form_needs_the_csrf_token(client, engine, conversations):
    ids = ids_of(client.get("/unanswered").text, "ALT salary per month?")
    for path, data in (("/unanswered/point", {"ids": ids, "intent": "jet_about"}), ("/unanswered/dismiss", {"ids": ids}),
                       ("/unanswered/answer", {"ids": ids, "answer": "About 3.36 million yen."})):
        assert client.post(path, data=data).status_code == 403
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 403
    with Session(engine) as session:
        assert set(session.scalars(select(UnansweredMessage.decision))) == {None}
    html = client.get("/unanswered").text
    assert html.count('name="csrf_token"') == 1 + 3 * len(groups_of(html))  # sign-out plus three per group


def test_the_conversation_page_shows_the_transcript(client, conversations):
    html = client.get("/conversations/gibberish-1").text
    assert "kim.lee@example.org" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert client.get("/conversations/nobody").status_code == 404


def test_the_export_writes_rasa_nlu_yaml(client, engine, settings, conversations, tmp_path, monkeypatch):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    html = client.get("/unanswered").text
    for sample, intent in (("ALT salary per month?", "jet_position_detail"),
                           ("asdf qwerty &lt;script&gt;alert(1)&lt;/script&gt; mail me: [e-mail] or [phone]", "jet_about")):
        client.post("/unanswered/point", data={"csrf_token": client.csrf, "ids": ids_of(html, sample), "intent": intent})
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    target = tmp_path / "suggestions.yml"
    assert bot_main(["nlu", "suggestions", "--export", str(target)]) == 0
    data = RasaYAMLReader().read(target)
    examples = sorted((m.get("intent"), m.get("text")) for m in data.intent_examples)
    assert examples == [
        ("jet_about", "asdf qwerty <script>alert(1)</script> mail me: e-mail or phone"),
        ("jet_position_detail", "ALT salary per month?"), ("jet_position_detail", "What is the salary of an ALT"),
        ("jet_position_detail", "how much does an ALT get paid?")]
    assert data.entity_examples == [] and "kim.lee" not in target.read_text()


def test_a_long_list_shows_its_first_groups(client, settings, monkeypatch):
    from bot.web.staff import unanswered_views

    monkeypatch.setattr(unanswered_views, "GROUPS_SHOWN", 2)
    writer = TrackerWriter(settings.tracker_store_url)
    for i, question in enumerate(["visa requirements", "weather today", "ramen restaurant", "age limit"]):
        writer.turn(f"many-{i}", question, DEFAULT, "utter_default", start=DAY + timedelta(hours=i))
    writer.dispose()
    html = client.get("/unanswered").text
    assert [s for s, _ in groups_of(html)] == ["age limit", "ramen restaurant"]
    assert "4 groups, 4 messages." in html and "The first 2 are shown" in html
