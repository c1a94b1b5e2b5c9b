"""The support and contact answers follow the knowledge base's sister-city support texts: the
contact reply gives the office's details when the knowledge base has them, and otherwise says,
with the page's note, that it has none and offers staff."""
import pytest
from sqlalchemy import delete, update

from knowledge import models as m

DETAILS = "CLAIR Singapore, 6 Shenton Way, Singapore 068809; e-mail: clair@example.org"
HANDOFF_BUTTONS = [{"title": "Pass my request to CLAIR staff", "payload": "/human_handoff"},
                   {"title": "Start a sister-city request", "payload": "/request_affiliation"}]


def _set_support_text(engine, key, value):
    with engine.begin() as connection:
        changed = connection.execute(update(m.SourceText).where(
            m.SourceText.subject == "sister_city_support", m.SourceText.key == key).values(value=value))
    assert changed.rowcount == 1


@pytest.fixture
def reply(answer, render):
    def ask(text, intent):
        messages, _ = answer(text, intent)
        return [m["response"] for m in messages], [render(m) for m in messages]

    return ask


@pytest.fixture
def kb_with_contact_details(engine, kb):
    """The test knowledge base, as if the page gave the office's contact details."""
    _set_support_text(engine, "contact_details", DETAILS)
    assert kb.sister_city_support().contact_details == DETAILS
    return kb


def test_without_details_the_note_says_there_are_none_and_staff_is_offered(answer, kb, domain, render):
    support = kb.sister_city_support()
    assert support.contact_details is None
    [message], _ = answer("How do I contact CLAIR Singapore?", "contact_office")
    assert message["response"] == "utter_contact_office"
    assert (message["statement"], message["note"]) == (support.contact_statement, support.contact_note)
    text = render(message)
    assert text.startswith(support.contact_statement + " " + support.contact_note)
    assert "won't guess" in text and "CLAIR staff" in text
    assert domain["responses"]["utter_contact_office"][0]["buttons"] == HANDOFF_BUTTONS


def test_the_note_is_the_knowledge_bases(answer, engine, render):
    _set_support_text(engine, "contact_note", "The page lists no way to reach the office.")
    [message], _ = answer("How do I contact CLAIR Singapore?", "contact_office")
    assert "The page lists no way to reach the office." in render(message)


def test_with_details_the_reply_gives_them(answer, kb_with_contact_details, domain, render, slots_of):
    support = kb_with_contact_details.sister_city_support()
    [message], events = answer("How do I contact CLAIR Singapore?", "contact_office")
    assert message["response"] == "utter_contact_office_details"
    assert (message["statement"], message["details"]) == (support.contact_statement, DETAILS)
    text = render(message)
    assert text.startswith(support.contact_statement) and DETAILS in text
    assert support.contact_note not in text and "no address" not in text
    assert domain["responses"]["utter_contact_office_details"][0]["buttons"] == HANDOFF_BUTTONS
    assert slots_of(events)["topic"] == "contact_office"


def test_the_pages_contact_line_after_a_gap_gives_the_details_too(reply, kb_with_contact_details):
    responses, texts = reply("What are the office hours of CLAIR Singapore?", "contact_office")
    assert responses == ["utter_not_on_page", "utter_page_says_contact_details"]
    assert DETAILS in texts[1] and kb_with_contact_details.sister_city_support().contact_note not in texts[1]


def test_the_support_reply_opens_with_the_knowledge_bases_intro(answer, engine, kb, render):
    _set_support_text(engine, "intro", "CLAIR Singapore helps local governments find partners.")
    [message], _ = answer("How does CLAIR Singapore support sister city affiliations?", "support_services")
    assert message["response"] == "utter_support_services"
    assert render(message).startswith("CLAIR Singapore helps local governments find partners. The page names 3 forms")


def test_the_support_reply_says_the_pages_intro(answer, kb, render):
    [message], _ = answer("How does CLAIR Singapore support sister city affiliations?", "support_services")
    assert render(message).startswith(kb.sister_city_support().intro)


def test_the_position_question_names_the_knowledge_bases_positions(answer, engine, render):
    with engine.begin() as connection:
        connection.execute(delete(m.JetPosition).where(m.JetPosition.code == "SEA"))
    [message], _ = answer("What does a JET participant do?", "jet_position_detail")
    assert message["response"] == "utter_ask_position"
    assert render(message) == "Which position: CIR or ALT?"
