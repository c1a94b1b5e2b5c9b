"""The status workflow (only the allowed transitions, no lost updates), assignment and notes, through
the service and through the pages; each change lands in the audit trail with who and when."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.inquiries.models import STATUSES, Inquiry
from bot.staff import workflow
from bot.staff.accounts import set_active
from bot.staff.audit import history
from bot.staff.models import AuditEntry

ALLOWED = {("new", "in_review"), ("new", "declined"), ("in_review", "contacted"), ("in_review", "declined"),
           ("contacted", "closed"), ("contacted", "declined"), ("closed", "in_review"), ("declined", "in_review")}


def status_of(engine, reference):
    with Session(engine) as session:
        return session.scalar(select(Inquiry.status).where(Inquiry.reference == reference))


def force(engine, reference, status):
    with Session(engine) as session, session.begin():
        session.scalars(select(Inquiry).where(Inquiry.reference == reference)).one().status = status


def test_the_transition_table_is_the_documented_workflow():
    assert {(a, b) for a, targets in workflow.TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_only_allowed_transitions_happen(engine, submit, aiko, current, target):
    reference = submit()
    force(engine, reference, current)
    if (current, target) in ALLOWED:
        workflow.change_status(engine, reference, current, target, aiko.id)
        assert status_of(engine, reference) == target
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.change_status(engine, reference, current, target, aiko.id)
        assert status_of(engine, reference) == current


def test_a_change_based_on_an_old_status_is_refused(engine, submit, aiko, ben):
    reference = submit()
    workflow.change_status(engine, reference, "new", "in_review", ben.id)  # Ben was quicker
    with pytest.raises(workflow.Conflict):
        workflow.change_status(engine, reference, "new", "declined", aiko.id)  # Aiko's page still said "new"
    assert status_of(engine, reference) == "in_review"


def test_the_whole_way_through_the_pages(client, engine, submit, aiko):
    reference = submit()
    page = f"/inquiries/{reference}"
    html = client.get(page, follow_redirects=False).text
    assert "Start review" in html and "Decline" in html and "Mark as contacted" not in html
    for current, target in (("new", "in_review"), ("in_review", "contacted"), ("contacted", "closed")):
        answer = client.post(f"{page}/status", data={"from": current, "to": target, "csrf_token": client.csrf},
                             follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"{page}?msg=status"
    assert status_of(engine, reference) == "closed"
    html = client.get(f"{page}?msg=status", follow_redirects=False).text
    assert "The status was changed." in html and "Reopen" in html
    assert "Status New → In review" in html and "Status Contacted → Closed" in html


def test_a_forbidden_or_stale_change_through_the_page_is_refused_and_changes_nothing(client, engine, submit):
    reference = submit()
    page = f"/inquiries/{reference}"
    skip = client.post(f"{page}/status", data={"from": "new", "to": "closed", "csrf_token": client.csrf},
                       follow_redirects=False)
    assert skip.status_code == 400 and "cannot become Closed" in skip.text
    stale = client.post(f"{page}/status", data={"from": "contacted", "to": "closed", "csrf_token": client.csrf},
                        follow_redirects=False)
    assert stale.status_code == 409 and "in the meantime" in stale.text
    bogus = client.post(f"{page}/status", data={"from": "new", "to": "deleted", "csrf_token": client.csrf},
                        follow_redirects=False)
    assert bogus.status_code == 400
    assert status_of(engine, reference) == "new"
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity == "inquiry")).all() == []


def test_an_unknown_or_malformed_reference_is_404(client):
    assert client.get("/inquiries/SC-2026-000000-1", follow_redirects=False).status_code == 404
    assert client.get("/inquiries/..%2F..%2Fetc", follow_redirects=False).status_code == 404
    answer = client.post("/inquiries/SC-2026-483920-8/notes", data={"body": "x", "csrf_token": client.csrf},
                         follow_redirects=False)
    assert answer.status_code == 404


def test_assigning_to_a_colleague_and_back_to_nobody(client, engine, submit, aiko, ben):
    reference = submit()
    page = f"/inquiries/{reference}"
    answer = client.post(f"{page}/assign", data={"assignee": str(ben.id), "csrf_token": client.csrf},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert workflow.assignment(engine, reference).who == "Ben Tan"
    html = client.get(page, follow_redirects=False).text
    assert "Ben Tan (since" in html and "Assigned to Ben Tan" in html
    queue = client.get("/?assignee=" + str(ben.id), follow_redirects=False).text
    assert reference in queue and reference not in client.get("/?assignee=none", follow_redirects=False).text
    client.post(f"{page}/assign", data={"assignee": "", "csrf_token": client.csrf}, follow_redirects=False)
    assert workflow.assignment(engine, reference) is None
    assert [h.after for h in history(engine, "inquiry", reference)] == [{"assigned to": "Ben Tan"},
                                                                        {"assigned to": None}]


def test_only_an_active_colleague_can_be_assigned(client, engine, submit, ben):
    reference = submit()
    set_active(engine, "ben@clair.example", False)
    answer = client.post(f"/inquiries/{reference}/assign", data={"assignee": str(ben.id), "csrf_token": client.csrf},
                         follow_redirects=False)
    assert answer.status_code == 400 and workflow.assignment(engine, reference) is None
    assert client.post(f"/inquiries/{reference}/assign", data={"assignee": "x; drop", "csrf_token": client.csrf},
                       follow_redirects=False).status_code == 400


def test_notes_are_kept_with_author_and_time_and_shown_as_text(client, engine, submit):
    reference = submit()
    page = f"/inquiries/{reference}"
    body = "Called them.\n<b>Follow up</b> next week & send the list."
    assert client.post(f"{page}/notes", data={"body": body, "csrf_token": client.csrf},
                       follow_redirects=False).status_code == 303
    notes = workflow.notes(engine, reference)
    assert [(n.author, n.body) for n in notes] == [("Aiko Sato", body)]
    html = client.get(page, follow_redirects=False).text
    assert "&lt;b&gt;Follow up&lt;/b&gt; next week &amp; send the list." in html
    for empty in ("", "   \n "):
        assert client.post(f"{page}/notes", data={"body": empty, "csrf_token": client.csrf},
                           follow_redirects=False).status_code == 400
    assert client.post(f"{page}/notes", data={"body": "x" * 5001, "csrf_token": client.csrf},
                       follow_redirects=False).status_code == 400
    assert len(workflow.notes(engine, reference)) == 1
