"""The queue: newest first, filters, search, pages, counts per status, the weekly chart, and the CSV
export of the filtered queue with spreadsheet formula injection neutralised."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

from bot.staff import queue, workflow

SGT = timezone(timedelta(hours=8))
ROW = re.compile(r'<th scope="row" data-label="Reference"><a href="/inquiries/(SC-[\d-]+)">')


def references(html):
    return ROW.findall(html)


def test_newest_first_with_every_kind(client, submit, escalation):
    old = submit(now=datetime(2026, 10, 1, tzinfo=timezone.utc), organisation="Old Town")
    esc = escalation(now=datetime(2026, 10, 5, tzinfo=timezone.utc))
    new = submit(now=datetime(2026, 11, 1, tzinfo=timezone.utc), organisation="New Town")
    html = client.get("/", follow_redirects=False).text
    assert references(html) == [new, esc, old]
    assert "Talk to a person" in html and "Sister-city request" in html


def test_filters_by_status_type_country_and_assignee(client, engine, submit, escalation, aiko):
    vietnam = submit(partner_country="Vietnam", organisation="Sakura City")
    india = submit(partner_country="India", organisation="Momiji Town", organisation_country="Japan")
    philippine = submit(partner_country=None, organisation="Quezon City Hall", organisation_country="Philippines")
    esc = escalation()
    workflow.change_status(engine, india, "new", "in_review", aiko.id)
    workflow.assign(engine, vietnam, aiko.id, aiko.id)

    def shown(query):
        return set(references(client.get("/?" + query, follow_redirects=False).text))

    assert shown("status=in_review") == {india}
    assert shown("status=new") == {vietnam, philippine, esc}
    assert shown("status=open") == {vietnam, india, philippine, esc}
    assert shown("kind=escalation") == {esc}
    assert shown("country=Vietnam") == {vietnam}
    assert shown("country=philippines") == {philippine}  # the organisation's or the partner's country
    assert shown("assignee=me") == {vietnam}
    assert shown("assignee=none") == {india, philippine, esc}
    assert shown("status=bogus&kind=bogus&assignee=bogus") == {vietnam, india, philippine, esc}  # ignored


def test_date_filters_are_days_in_singapore_time(client, submit):
    # 2026-11-02 23:30 SGT is 15:30 UTC; 2026-11-03 00:30 SGT is 2026-11-02 16:30 UTC.
    late = submit(now=datetime(2026, 11, 2, 23, 30, tzinfo=SGT))
    early = submit(now=datetime(2026, 11, 3, 0, 30, tzinfo=SGT))
    assert references(client.get("/?from=2026-11-03", follow_redirects=False).text) == [early]
    assert references(client.get("/?to=2026-11-02", follow_redirects=False).text) == [late]
    assert references(client.get("/?from=2026-11-02&to=2026-11-03", follow_redirects=False).text) == [early, late]
    assert len(references(client.get("/?from=2026-13-45", follow_redirects=False).text)) == 2  # ignored


def test_search_by_reference_organisation_and_contact(client, submit):
    a = submit(organisation="Sakura City", contact_name="Hanako Tanaka", email="tanaka@city.example.jp")
    b = submit(organisation="Lotus 100% Town", contact_name="Minh Tran", email="minh@lotus.example.vn")

    def found(q):
        return references(client.get("/", params={"q": q}, follow_redirects=False).text)

    assert found("sakura") == [a]
    assert found("TANAKA") == [a]
    assert found("minh@lotus") == [b]
    assert found(a) == [a]
    assert found(a.lower().replace("-", " ")) == [a]  # typed loosely, still the reference
    assert found("100%") == [b] and found("%") == [b]  # % is a character, not a wildcard
    assert found("_") == [] and found("nobody") == []


def test_pages_of_25(client, submit):
    made = [submit(now=datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=i)) for i in range(30)]
    first = client.get("/", follow_redirects=False).text
    assert references(first) == list(reversed(made))[:25]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = client.get("/?page=2", follow_redirects=False).text
    assert references(second) == list(reversed(made))[25:]
    assert references(client.get("/?page=99", follow_redirects=False).text) == references(second)
    assert "30 inquiries." in first


def test_counts_per_status_and_the_weekly_chart(client, engine, submit, aiko):
    now = datetime.now(timezone.utc)
    refs = [submit(now=now - timedelta(weeks=w)) for w in (0, 0, 1, 3, 20)]
    workflow.change_status(engine, refs[0], "new", "declined", aiko.id)
    assert queue.status_counts(engine) == {"new": 4, "in_review": 0, "contacted": 0, "closed": 0, "declined": 1}
    weeks = queue.weekly_counts(engine, 12, tz=SGT)
    assert len(weeks) == 12 and [n for _, n in weeks][-4:] == [1, 0, 1, 2] and sum(n for _, n in weeks) == 4
    assert all(monday.weekday() == 0 for monday, _ in weeks)
    html = client.get("/", follow_redirects=False).text
    assert re.search(r'<span class="n">4</span> <span class="label">New</span>', html)
    weekly = html[html.index('id="chart-caption"'):]  # the dashboard above has charts of its own
    weekly = weekly[:weekly.index("</figure>")]
    assert weekly.count('class="bar"') == 12 and "inquiries received per week" in weekly.lower()


def csv_rows(answer):
    text = answer.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_has_every_matching_row_not_just_a_page(client, submit, escalation):
    for i in range(30):
        submit(organisation=f"Town {i}", partner_country="Vietnam")
    escalation()
    answer = client.get("/queue.csv?country=Vietnam&page=2", follow_redirects=False)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="clair-inquiries-')
    rows = csv_rows(answer)
    assert len(rows) == 30 and {r["kind"] for r in rows} == {"affiliation"}
    assert list(rows[0]) == list(queue.CSV_COLUMNS)
    assert rows[0]["organisation"] == "Town 29"  # newest first
    assert rows[0]["created_at"].endswith("+08:00")  # in the console's time zone


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, submit):
    payloads = {"organisation": '=HYPERLINK("http://evil.example","Click")', "contact_name": "+cmd|' /C calc'!A0",
                "purpose": "-2+3", "message": "@SUM(1+1)", "partner_preference": "\t=1+1"}
    submit(**payloads, phone="+65 6123 4567")
    row = csv_rows(client.get("/queue.csv", follow_redirects=False))[0]
    for field, value in payloads.items():
        assert row[field] == "'" + value, field
    assert row["phone"] == "'+65 6123 4567"
    assert row["email"] == "tanaka@city.example.jp"  # ordinary text untouched
    assert queue.csv_cell("\r=1") == "'\r=1" and queue.csv_cell("Sakura") == "Sakura" and queue.csv_cell(None) == ""


def test_the_csv_link_carries_the_filters(client, submit):
    submit()
    html = client.get("/?status=new&q=Sakura", follow_redirects=False).text
    assert 'href="/queue.csv?status=new&amp;q=Sakura"' in html
