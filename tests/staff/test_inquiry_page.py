"""An inquiry's page: every field, the conversation from Rasa's tracker store with times, the
notification state and the existing affiliations worth citing."""
from __future__ import annotations

import re

from bot.inquiries.service import get_inquiry
from bot.staff.transcript import read_transcript


def test_every_field_is_shown(client, engine, submit):
    reference = submit(partner_preference="a coastal city\nnear Da Nang", message="Line one\nLine two")
    record = get_inquiry(engine, reference)
    html = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    for value in (record.organisation, record.organisation_country, record.contact_name, record.email, record.phone,
                  record.partner_country, record.purpose, record.conversation_id, record.channel, reference):
        assert value in html, value
    assert "Line one\nLine two" in html  # newlines kept (shown with pre-wrap)
    for label in ("Organisation", "Contact name", "E-mail", "Phone", "Preferred partner", "Partner country",
                  "Fields of exchange", "Message", "Conversation", "Received", "Last change"):
        assert f"<dt>{label}</dt>" in html, label


def test_the_transcript_comes_from_the_tracker_store_in_order_with_times(client, submit, tracker, settings):
    reference = submit(conversation_id="visitor-7")
    tracker("visitor-7", [("session_started", None), ("user", "Which sister cities does Fukuoka have?"),
                          ("bot", "Fukuoka has 4 sister cities."), ("action", None), ("slot", None),
                          ("session_started", None), ("user", "we want a sister city in Vietnam"),
                          ("bot", "Which organisation are you writing for?")])
    tracker("someone-else", [("user", "Not this conversation")])
    transcript = read_transcript(settings.tracker_store_url, "visitor-7")
    assert [(line.speaker, line.text) for line in transcript.lines] == [
        ("visitor", "Which sister cities does Fukuoka have?"), ("assistant", "Fukuoka has 4 sister cities."),
        ("session", "A new conversation session started."),
        ("visitor", "we want a sister city in Vietnam"), ("assistant", "Which organisation are you writing for?")]
    assert all(line.at is not None for line in transcript.lines)
    html = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    section = html[html.index('id="transcript-heading"'):html.index('id="related-heading"')]
    assert section.index("Which sister cities") < section.index("Fukuoka has 4") < section.index("we want a sister")
    assert "Not this conversation" not in html
    assert "2 Nov 2026, 17:30 UTC+08" in section  # 09:30 UTC in Singapore time


def test_without_a_tracker_store_the_page_says_so(client, submit, settings):
    reference = submit()
    html = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    assert "holds no conversations yet" in html
    assert read_transcript("redis://localhost", "x").error and read_transcript(settings.tracker_store_url, None).error


def test_notification_state_and_related_affiliations(client, submit, escalation):
    reference = submit(organisation="Fukuoka Prefectural Government", partner_country="Vietnam")
    html = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    notification = html[html.index('id="notification-heading"'):html.index('id="history-heading"')]
    assert re.search(r"<strong>Pending</strong>, 0 attempt\(s\)", notification)
    related = html[html.index('id="related-heading"'):]
    assert "With Vietnam (the preferred partner country)" in related
    assert "Osaka – Ho Chi Minh City (Vietnam)" in related and "Fukuoka – Hanoi (Vietnam)" in related
    assert "Of Fukuoka (named in the organisation)" in related and "Fukuoka – Bangkok (Thailand)" in related

    esc = escalation()
    html = client.get(f"/inquiries/{esc}", follow_redirects=False).text
    assert "Talk to a person" in html and "None on the list matches" in html
