"""The audit trail: every change says who made it and when, with the state before and after, and the
inquiry page and the audit log show it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import utcnow
from bot.staff.audit import history, recent
from bot.staff.models import AuditEntry


def post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": client.csrf}, follow_redirects=False)


def test_each_inquiry_change_is_recorded_with_who_when_before_and_after(client, engine, submit, ben):
    reference = submit()
    started = utcnow() - timedelta(seconds=1)
    page = f"/inquiries/{reference}"
    post(client, f"{page}/status", **{"from": "new", "to": "in_review"})
    post(client, f"{page}/assign", assignee=str(ben.id))
    post(client, f"{page}/notes", body="Asked for their council's resolution.")
    records = history(engine, "inquiry", reference)
    assert [(r.action, r.actor, r.before, r.after) for r in records] == [
        ("status", "Aiko Sato", {"status": "new"}, {"status": "in_review"}),
        ("assignment", "Aiko Sato", {"assigned to": None}, {"assigned to": "Ben Tan"}),
        ("note", "Aiko Sato", None, {"note": "Asked for their council's resolution."}),
    ]
    assert all(started <= r.at <= utcnow() for r in records)
    html = client.get(page, follow_redirects=False).text
    history_html = html[html.index('id="history-heading"'):]
    for line in ("Received from the assistant.", "Status New → In review", "Assigned to Ben Tan", "Added a note"):
        assert line in history_html
    assert history_html.count("Aiko Sato") == 3


def test_nothing_is_recorded_for_a_refused_change(client, engine, submit):
    reference = submit()
    post(client, f"/inquiries/{reference}/status", **{"from": "new", "to": "closed"})
    post(client, f"/inquiries/{reference}/notes", body="   ")
    assert history(engine, "inquiry", reference) == []


def test_accounts_and_csv_exports_are_recorded_too(client, engine, aiko, submit):
    submit()
    client.get("/queue.csv?status=new&q=Sakura", follow_redirects=False)
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    created = [e for e in entries if e.action == "account.created"]
    assert created and created[0].actor_id is None  # the command line
    export = [e for e in entries if e.action == "csv_export"][0]
    assert export.actor_id == aiko.id and '"q": "Sakura"' in export.after and '"status": "new"' in export.after


def test_the_audit_log_page_lists_changes_newest_first_with_their_diff(client, engine, submit):
    reference = submit()
    post(client, f"/inquiries/{reference}/status", **{"from": "new", "to": "declined"})
    html = client.get("/audit?entity=inquiry", follow_redirects=False).text
    assert f"<strong>{reference}</strong>: status" in html
    assert "<del>new</del> → <ins>declined</ins>" in html
    entries, total = recent(engine, "inquiry")
    assert total == 1 and entries[0].key == reference
