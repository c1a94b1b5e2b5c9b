"""Sister-city inquiries and "talk to a person", driven over the REST webhook through a real Rasa
server and action server (real NLU, policies, validation and database), then checked with the CLI."""
import json
import os
import re
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT
from bot.responses import find, values

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"SC-\d{4}-\d{6}-\d")


def cli(e2e_settings, *args):
    result = subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": e2e_settings.database_url}, timeout=120)
    return result


def inquiries(e2e_settings):
    result = cli(e2e_settings, "inquiries", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fill_until_summary(chat, sender, email="tanaka@city.example.jp"):
    chat.say(sender, "we want to set up a sister city")
    chat.say(sender, "Sakura City")
    chat.say(sender, "Japan")
    chat.say(sender, "Hanako Tanaka")
    chat.say(sender, email)
    chat.say(sender, "skip")
    chat.say(sender, "a coastal city in Viet Nam")
    chat.say(sender, "education and tourism")
    return chat.say(sender, "We would like to start with school exchanges.")


def test_happy_path_stores_the_inquiry_and_the_cli_finds_it(chat, e2e_settings):
    start = chat.say("happy", "we want to set up a sister city")
    assert find(start, "utter_inquiry_intro") and find(start, "utter_ask_organisation")
    assert find(chat.say("happy", "Sakura City"), "utter_ask_organisation_country")
    assert find(chat.say("happy", "Japan"), "utter_ask_contact_name")
    assert find(chat.say("happy", "Hanako Tanaka"), "utter_ask_contact_email")
    assert find(chat.say("happy", "tanaka@city.example.jp"), "utter_ask_contact_phone")
    assert find(chat.say("happy", "+81 3 1234 5678"), "utter_ask_partner_preference")
    assert find(chat.say("happy", "a coastal city in Viet Nam"), "utter_ask_purpose")
    assert find(chat.say("happy", "education and tourism"), "utter_ask_inquiry_message")
    summary = chat.say("happy", "We would like to start with school exchanges.")
    assert find(summary, "utter_ask_inquiry_confirmed")
    organisation, country, *_ = values(summary, "utter_inquiry_summary")
    assert (organisation, country) == ("Sakura City", "Japan")
    references = values(summary, "utter_inquiry_references")
    assert references[0] == "Vietnam" and "Osaka – Ho Chi Minh City" in references[2]

    done = chat.say("happy", "yes")
    reference, email, _ = values(done, "utter_inquiry_submitted")
    assert REFERENCE.fullmatch(reference) and email == "tanaka@city.example.jp"

    shown = cli(e2e_settings, "inquiries", "show", reference, "--json")
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)
    assert stored["organisation"] == "Sakura City" and stored["contact_name"] == "Hanako Tanaka"
    assert stored["phone"] == "+81 3 1234 5678" and stored["partner_country"] == "Vietnam"
    assert stored["purpose"] == "education and tourism" and stored["status"] == "new"
    assert stored["conversation_id"] == "happy" and stored["kind"] == "affiliation"
    assert stored["notifications"], "staff notification queued in the outbox"


def test_an_invalid_email_is_asked_again_then_accepted(chat):
    chat.say("typo", "help us find a partner city")
    for answer in ("Lotus Town", "Viet Nam", "Minh Tran"):
        chat.say("typo", answer)
    wrong = chat.say("typo", "minh.tran(at)lotus")
    assert find(wrong, "utter_invalid_email") and find(wrong, "utter_ask_contact_email")
    again = chat.say("typo", "x" * 65 + "@lotus.example.vn")  # local part over 64 characters
    assert find(again, "utter_invalid_email") and find(again, "utter_form_can_stop")
    assert find(chat.say("typo", "minh.tran@lotus.example.vn"), "utter_ask_contact_phone")


def test_cancel_mid_form_stores_nothing(chat, e2e_settings):
    before = len(inquiries(e2e_settings))
    chat.say("quitter", "how do we start an affiliation?")
    chat.say("quitter", "Maple Ward")
    cancelled = chat.say("quitter", "never mind")
    assert find(cancelled, "utter_inquiry_cancelled")
    assert len(inquiries(e2e_settings)) == before
    # The form is really over: a name now is a question, not an answer.
    assert find(chat.say("quitter", "Fukuoka's sister cities?"), "utter_affiliations_of_prefecture")


def test_a_knowledge_question_mid_form_is_answered_then_the_form_resumes(chat):
    chat.say("curious", "we want to set up a sister city")
    chat.say("curious", "River City")
    answer = chat.say("curious", "What does an ALT do?")
    assert find(answer, "utter_jet_position") and find(answer, "utter_ask_organisation_country")
    assert find(chat.say("curious", "Japan"), "utter_ask_contact_name")


def test_saying_no_at_the_summary_stores_nothing(chat, e2e_settings):
    before = len(inquiries(e2e_settings))
    summary = fill_until_summary(chat, "hesitant")
    assert find(summary, "utter_ask_inquiry_confirmed")
    assert find(chat.say("hesitant", "no"), "utter_inquiry_not_sent")
    assert len(inquiries(e2e_settings)) == before


def test_talk_to_a_person_creates_an_escalation_with_the_conversation(chat, e2e_settings):
    chat.say("human", "Which sister cities does Fukuoka have?")
    asked = chat.say("human", "can I talk to a real person please")
    assert find(asked, "utter_ask_escalation_form_contact_email")
    done = chat.say("human", "visitor@example.org")
    reference, email, _ = values(done, "utter_escalated")
    assert email == "visitor@example.org"
    stored = json.loads(cli(e2e_settings, "inquiries", "show", reference, "--json").stdout)
    assert stored["kind"] == "escalation" and stored["conversation_id"] == "human"
    assert "Which sister cities does Fukuoka have?" in stored["message"]


def test_intent_shortcuts_cannot_set_form_slots_or_skip_validation(chat, e2e_settings):
    before = len(inquiries(e2e_settings))
    injected = json.dumps({"organisation": "Evil Corp", "contact_email": "attacker@example.com",
                           "inquiry_confirmed": True, "requested_slot": "inquiry_confirmed"})
    start = chat.say("attacker", f"/request_affiliation{injected}")
    assert find(start, "utter_ask_organisation"), "the form starts from the first question"
    refused = chat.say("attacker", '/affirm{"organisation": "Evil Corp"}')
    assert find(refused, "utter_invalid_required") and find(refused, "utter_ask_organisation")
    assert find(chat.say("attacker", "/affirm"), "utter_ask_organisation")
    assert len(inquiries(e2e_settings)) == before
