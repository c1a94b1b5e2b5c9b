"""The sister-city inquiry's actions (actions/inquiry_actions.py) against a real SQLite database
that holds the knowledge base and the inquiry tables, as in production: the intro, the summary
before confirmation, submission (idempotent, and honest when the database is down), cancel, and
"talk to a person"."""
import re

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from actions.inquiry_actions import (FORM_SLOTS, MAX_REFERENCES, ActionAskInquiryConfirmed, ActionCancelInquiry,
                                     ActionEscalate, ActionInquiryIntro, ActionSubmitInquiry)
from actions.inquiry_form import SKIPPED
from bot.inquiries.models import Inquiry
from bot.inquiries.reference import is_valid_reference
from bot.inquiries.service import list_inquiries
from bot.inquiries.validation import NO_PREFERENCE
from bot.settings import load_settings

REFERENCE = re.compile(r"SC-\d{4}-\d{6}-\d")
SENDER = "inquiry-visitor"
ANSWERS = {"organisation": "Hue City People's Committee", "organisation_country": "Vietnam",
           "contact_name": "Nguyen Van An", "contact_email": "an@hue.gov.vn", "contact_phone": "+84 234 382 2222",
           "partner_preference": "a coastal city in Viet Nam", "purpose": "culture, tourism",
           "inquiry_message": "We visited Osaka in 2014.", "partner_country": "Vietnam"}
RESET = {**{slot: None for slot in FORM_SLOTS}, "invalid_answers": 0}


def stored(url):
    """The inquiries as a fresh engine (a new session, nothing cached) reads them."""
    eng = create_engine(url, future=True)
    try:
        return list_inquiries(eng)
    finally:
        eng.dispose()


def row_count(url):
    eng = create_engine(url, future=True)
    try:
        with Session(eng) as session:
            return session.scalar(select(func.count()).select_from(Inquiry))
    finally:
        eng.dispose()


def slots_set(events):
    assert all(e["event"] == "slot" for e in events), events
    return {e["name"]: e["value"] for e in events}


def no_reference_anywhere(messages, render):
    for m in messages:
        assert "reference" not in m, m
        assert not REFERENCE.search(render(m)), m
        assert not any(REFERENCE.search(str(v)) for v in m.values() if v), m


@pytest.fixture
def run(conversation_tracker, run_tracker):
    def go(action, slots=None, events=None, sender_id=SENDER):
        return run_tracker(action, conversation_tracker(slots=slots, events=events, sender_id=sender_id))
    return go


def user(user_event, text, intent, ts, channel="rest"):
    return user_event(text, intent, timestamp=ts, input_channel=channel)


# -- intro ----------------------------------------------------------------------------------------------
def test_intro_says_what_clair_can_do_from_the_knowledge_base(database_url, kb, run, render):
    support = kb.sister_city_support()
    help_text = support.forms[-1]
    assert help_text.startswith("Provide advice and consultation")
    messages, events = run(ActionInquiryIntro())
    assert events == []
    assert [(m["response"], m["support"]) for m in messages] == [
        ("utter_inquiry_intro", "p" + help_text[1:])]
    text = render(messages[0])
    assert text.startswith("CLAIR Singapore can provide advice and consultation on establishing sister city")
    assert "cancel" in text


# -- summary before confirmation -------------------------------------------------------------------------
def _summary_values(message):
    return {k: message[k] for k in FORM_SLOTS}


def _expected_lines(kb, country):
    affiliations = kb.affiliations_of_country(country)[:MAX_REFERENCES]
    return "\n".join(f"- {a.prefecture} – {a.counterpart}" for a in affiliations)


def test_summary_lists_every_answer_and_the_partner_countrys_affiliations(database_url, kb, run, render):
    slots = {**ANSWERS, "contact_phone": SKIPPED}
    messages, events = run(ActionAskInquiryConfirmed(), slots=slots)
    assert events == []
    assert [m["response"] for m in messages] == ["utter_inquiry_summary", "utter_inquiry_references",
                                                 "utter_ask_inquiry_confirmed"]
    assert _summary_values(messages[0]) == {**slots, "inquiry_confirmed": None}
    summary = render(messages[0])
    for value in ("Hue City People's Committee (Vietnam)", "Nguyen Van An, an@hue.gov.vn, phone: (none)",
                  "Preferred partner: a coastal city in Viet Nam", "Purpose: culture, tourism",
                  "Message: We visited Osaka in 2014."):
        assert value in summary
    refs = messages[1]
    assert (refs["country"], refs["as_of"]) == ("Vietnam", kb.source().as_of)
    assert refs["lines"] == _expected_lines(kb, "Vietnam") == "- Osaka – Ho Chi Minh City\n- Fukuoka – Hanoi"
    assert render(refs).startswith("For reference, existing affiliations with Vietnam on CLAIR Singapore's list")
    assert render(messages[2]) == "Shall I send this request to CLAIR Singapore?"


def test_the_partner_country_comes_before_the_organisations_country(database_url, kb, run):
    slots = {**ANSWERS, "partner_preference": "Chiang Mai", "partner_country": "Thailand"}
    messages, _ = run(ActionAskInquiryConfirmed(), slots=slots)
    refs = [m for m in messages if m["response"] == "utter_inquiry_references"]
    assert [(m["country"], m["lines"]) for m in refs] == [("Thailand", _expected_lines(kb, "Thailand"))]


@pytest.mark.parametrize("organisation_country,country", [("Philippines", "Philippines"), ("India", "India"),
                                                          ("Viet Nam", "Vietnam")])
def test_without_a_partner_country_the_organisations_country_is_used(database_url, kb, run, organisation_country,
                                                                      country):
    slots = {**ANSWERS, "organisation_country": organisation_country, "partner_preference": NO_PREFERENCE,
             "partner_country": None}
    messages, _ = run(ActionAskInquiryConfirmed(), slots=slots)
    assert [m["response"] for m in messages] == ["utter_inquiry_summary", "utter_inquiry_references",
                                                 "utter_ask_inquiry_confirmed"]
    refs = messages[1]
    assert refs["country"] == country
    assert refs["lines"] == _expected_lines(kb, country)
    expected_count = min(len(kb.affiliations_of_country(country)), MAX_REFERENCES)
    assert len(refs["lines"].split("\n")) == expected_count  # the Philippines' 19 are cut to 8


@pytest.mark.parametrize("organisation_country", ["Atlantis", "Sri Lanka", "Japan", "Singapore"])
def test_no_references_when_neither_country_has_affiliations_in_the_knowledge_base(database_url, kb, run,
                                                                                   organisation_country):
    slots = {**ANSWERS, "organisation_country": organisation_country, "partner_preference": NO_PREFERENCE,
             "partner_country": None}
    messages, events = run(ActionAskInquiryConfirmed(), slots=slots)
    assert events == []
    assert [m["response"] for m in messages] == ["utter_inquiry_summary", "utter_ask_inquiry_confirmed"]
    assert messages[0]["organisation_country"] == organisation_country
    assert messages[0]["partner_preference"] == NO_PREFERENCE


# -- submission --------------------------------------------------------------------------------------------
def confirmed(**changes):
    return {**ANSWERS, "inquiry_confirmed": True, **changes}


def test_a_confirmed_inquiry_is_stored_and_its_reference_shown(inquiry_database, run, render):
    messages, events = run(ActionSubmitInquiry(), slots=confirmed())
    assert slots_set(events) == RESET
    assert [m["response"] for m in messages] == ["utter_inquiry_submitted"]
    shown = messages[0]
    assert is_valid_reference(shown["reference"])
    assert shown["email"] == "an@hue.gov.vn"
    assert shown["reply_time"] == load_settings().staff_reply_time
    assert shown["reference"] in render(shown)

    rows = stored(inquiry_database)
    assert len(rows) == 1
    row = rows[0]
    assert row.reference == shown["reference"]
    assert (row.kind, row.status) == ("affiliation", "new")
    assert (row.organisation, row.organisation_country, row.contact_name, row.email, row.phone,
            row.partner_preference, row.partner_country, row.purpose, row.message) == (
        "Hue City People's Committee", "Vietnam", "Nguyen Van An", "an@hue.gov.vn", "+84 234 382 2222",
        "a coastal city in Viet Nam", "Vietnam", "culture, tourism", "We visited Osaka in 2014.")
    assert (row.conversation_id, row.channel) == (SENDER, "unknown")
    assert [n.status for n in row.notifications] == ["pending"]  # staff will be told (outbox)


def test_skipped_optional_answers_are_stored_as_empty(inquiry_database, run, user_event):
    slots = confirmed(contact_phone=SKIPPED, inquiry_message=SKIPPED, partner_preference=NO_PREFERENCE,
                      partner_country=None)
    messages, _ = run(ActionSubmitInquiry(), slots=slots, events=[user(user_event, "yes", "affirm", 1.0, "socketio")])
    row = stored(inquiry_database)[0]
    assert (row.phone, row.message, row.partner_preference, row.partner_country) == (None, None, NO_PREFERENCE, None)
    assert row.channel == "socketio"
    assert row.reference == messages[0]["reference"]


def test_re_delivery_of_the_submission_gives_the_same_reference_and_one_row(inquiry_database, run):
    first, first_events = run(ActionSubmitInquiry(), slots=confirmed())
    again, again_events = run(ActionSubmitInquiry(), slots=confirmed())
    assert [m["response"] for m in again] == ["utter_inquiry_submitted"]
    assert again[0]["reference"] == first[0]["reference"]
    assert slots_set(again_events) == slots_set(first_events) == RESET
    assert [r.reference for r in stored(inquiry_database)] == [first[0]["reference"]]
    assert row_count(inquiry_database) == 1


def test_a_changed_answer_is_a_new_submission(inquiry_database, run):
    first, _ = run(ActionSubmitInquiry(), slots=confirmed())
    second, _ = run(ActionSubmitInquiry(), slots=confirmed(purpose="education"))
    assert first[0]["reference"] != second[0]["reference"]
    assert {r.reference for r in stored(inquiry_database)} == {first[0]["reference"], second[0]["reference"]}


def test_declined_nothing_is_stored(inquiry_database, run, render):
    messages, events = run(ActionSubmitInquiry(), slots=confirmed(inquiry_confirmed=False))
    assert [m["response"] for m in messages] == ["utter_inquiry_not_sent"]
    assert "Nothing was stored" in render(messages[0])
    assert slots_set(events) == RESET
    assert row_count(inquiry_database) == 0


@pytest.mark.parametrize("slots", [confirmed(inquiry_confirmed=None), {}])
def test_never_answered_is_an_interruption_not_a_no(inquiry_database, run, render, slots):
    """Reached without an answer at the summary (a form step whose events were lost with the action
    server): the visitor is not told they declined, keeps their answers, and can carry on."""
    messages, events = run(ActionSubmitInquiry(), slots=slots)
    assert [m["response"] for m in messages] == ["utter_inquiry_interrupted"]
    assert "Nothing was sent" in render(messages[0])
    assert events == []  # every answer kept
    assert row_count(inquiry_database) == 0


DOWN_URLS = {
    "postgres-down": lambda tmp_path, url: "postgresql://postgres@127.0.0.1:1/none",
    "sqlite-missing-dir": lambda tmp_path, url: f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'db.sqlite3'}",
    # The very database, opened read-only: the look-up for an earlier submission works, the write fails.
    "sqlite-read-only": lambda tmp_path, url: f"sqlite:///file:{url[len('sqlite:///'):]}?mode=ro&uri=true",
}


@pytest.fixture
def brief_retry(monkeypatch):
    """A server that is away is waited for (tests/actions/test_inquiry_outage.py); not long here."""
    from actions import inquiry_actions
    monkeypatch.setattr(inquiry_actions, "RECORD_RETRY_SECONDS", 0.5)


@pytest.mark.parametrize("down", sorted(DOWN_URLS))
def test_database_unavailable_no_reference_and_the_answers_are_kept(inquiry_database, point_inquiries_at, run,
                                                                    render, tmp_path, down, brief_retry):
    point_inquiries_at(DOWN_URLS[down](tmp_path, inquiry_database))
    messages, events = run(ActionSubmitInquiry(), slots=confirmed())
    assert [m["response"] for m in messages] == ["utter_inquiry_submit_failed"]
    no_reference_anywhere(messages, render)
    assert "nothing was stored" in render(messages[0])
    assert slots_set(events) == {"inquiry_confirmed": None}  # every answer kept for a retry
    assert row_count(inquiry_database) == 0

    # The database is back: the same answers, confirmed again, go through.
    point_inquiries_at(inquiry_database)
    messages, _ = run(ActionSubmitInquiry(), slots=confirmed())
    assert [m["response"] for m in messages] == ["utter_inquiry_submitted"]
    assert [r.reference for r in stored(inquiry_database)] == [messages[0]["reference"]]


def test_database_without_the_inquiry_tables_is_unavailable_too(tmp_path, point_inquiries_at, run, render):
    from sqlalchemy import create_engine

    from knowledge import DATA_DIR, load_into_database

    url = f"sqlite:///{tmp_path / 'kb-only.db'}"
    engine = create_engine(url, future=True)
    load_into_database(engine, DATA_DIR)  # the knowledge base's tables only: no migration ever ran
    engine.dispose()
    point_inquiries_at(url)
    messages, events = run(ActionSubmitInquiry(), slots=confirmed())
    assert [m["response"] for m in messages] == ["utter_inquiry_submit_failed"]
    no_reference_anywhere(messages, render)
    assert slots_set(events) == {"inquiry_confirmed": None}


# -- cancel ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("slots", [confirmed(), {**ANSWERS, "invalid_answers": 2, "requested_slot": "purpose"},
                                   {"contact_email": "an@hue.gov.vn"}])
def test_cancel_resets_the_form_and_stores_nothing(inquiry_database, run, render, slots):
    messages, events = run(ActionCancelInquiry(), slots=slots)
    assert [m["response"] for m in messages] == ["utter_inquiry_cancelled"]
    assert "Nothing was stored" in render(messages[0])
    assert events[0] == {"event": "active_loop", "timestamp": None, "name": None}
    assert slots_set(events[1:]) == {"requested_slot": None, **RESET}
    assert set(FORM_SLOTS) <= set(slots_set(events[1:]))
    assert row_count(inquiry_database) == 0


# -- talk to a person ------------------------------------------------------------------------------------
def handoff_history(user_event, email="an@hue.gov.vn", handoff_ts=100.0):
    return [
        user(user_event, "/greet", "greet", 10.0),
        user(user_event, "What is REPP?", "repp_about", 20.0),
        user(user_event, "Which cities in Vietnam have sister cities in Japan?", "sister_cities", 30.0),
        user(user_event, '/request_affiliation{"organisation": "x"}', "request_affiliation", 40.0),
        user(user_event, "I need help with a partner search", "help", 50.0),
        user(user_event, "talk to a person", "human_handoff", handoff_ts),
        user(user_event, email, "out_of_scope", handoff_ts + 10),
    ]


def test_escalation_records_the_conversation_recent_messages_and_email(inquiry_database, run, render, user_event):
    messages, events = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"},
                           events=handoff_history(user_event))
    assert events == []
    assert [m["response"] for m in messages] == ["utter_escalated"]
    shown = messages[0]
    assert is_valid_reference(shown["reference"])
    assert (shown["email"], shown["reply_time"]) == ("an@hue.gov.vn", load_settings().staff_reply_time)
    assert shown["reference"] in render(shown)

    rows = stored(inquiry_database)
    assert len(rows) == 1
    row = rows[0]
    assert (row.reference, row.kind, row.status) == (shown["reference"], "escalation", "new")
    assert (row.conversation_id, row.email, row.channel, row.contact_name) == (SENDER, "an@hue.gov.vn", "rest", None)
    assert row.message == ("What is REPP?\nWhich cities in Vietnam have sister cities in Japan?\n"
                           "I need help with a partner search\ntalk to a person")
    assert [n.status for n in row.notifications] == ["pending"]


def test_escalation_keeps_only_the_last_five_messages(inquiry_database, run, user_event):
    history = [user(user_event, f"question {i}", "out_of_scope", float(i)) for i in range(1, 9)]
    history.append(user(user_event, "talk to a person", "human_handoff", 50.0))
    run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn", "contact_name": "Nguyen Van An"}, events=history)
    row = stored(inquiry_database)[0]
    assert row.message == "question 5\nquestion 6\nquestion 7\nquestion 8\ntalk to a person"
    assert row.contact_name == "Nguyen Van An"


def test_escalation_re_delivery_gives_the_same_reference(inquiry_database, run, user_event):
    history = handoff_history(user_event)
    first, _ = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"}, events=history)
    again, _ = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"}, events=history)
    assert again[0]["reference"] == first[0]["reference"]
    assert row_count(inquiry_database) == 1


def test_a_later_request_for_a_person_is_a_new_escalation(inquiry_database, run, user_event):
    history = handoff_history(user_event)
    first, _ = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"}, events=history)
    later = history[:-1] + [user(user_event, "talk to a person", "human_handoff", 500.0)]
    second, _ = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"}, events=later)
    assert first[0]["reference"] != second[0]["reference"]
    assert row_count(inquiry_database) == 2


@pytest.mark.parametrize("down", sorted(DOWN_URLS))
def test_escalation_with_the_database_down(inquiry_database, point_inquiries_at, run, render, tmp_path,
                                           user_event, down, brief_retry):
    point_inquiries_at(DOWN_URLS[down](tmp_path, inquiry_database))
    messages, events = run(ActionEscalate(), slots={"contact_email": "an@hue.gov.vn"},
                           events=handoff_history(user_event))
    assert [m["response"] for m in messages] == ["utter_escalation_failed"]
    no_reference_anywhere(messages, render)
    assert "nothing was stored" in render(messages[0])
    assert events == []
    assert row_count(inquiry_database) == 0


def test_escalation_leaves_out_the_email_answer_as_typed(inquiry_database, run, user_event):
    history = handoff_history(user_event, email="An@Hue.GOV.VN")
    run(ActionEscalate(), slots={"contact_email": "An@hue.gov.vn"}, events=history)
    row = stored(inquiry_database)[0]
    assert "An@Hue.GOV.VN" not in (row.message or "")
