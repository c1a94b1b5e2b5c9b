"""Recording inquiries (SQLite files): commit-then-confirm, idempotency, failures, reads."""
import dataclasses
import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.inquiries import service
from bot.inquiries.models import Inquiry, Notification, create_schema
from bot.inquiries.reference import is_valid_reference, luhn_digit
from bot.inquiries.service import (
    Contact,
    InquiryRecord,
    SubmissionFailed,
    Submitted,
    escalate,
    escalation_key_for,
    get_inquiry,
    list_inquiries,
    submission_key_for,
    submit_inquiry,
)

from .inquiry_helpers import make_draft

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def _counts(engine):
    with Session(engine, future=True) as session:
        return (session.scalar(select(func.count()).select_from(Inquiry)),
                session.scalar(select(func.count()).select_from(Notification)))


def test_reference_exists_in_a_fresh_session_after_return(engine, tmp_path):
    draft = make_draft()
    result = submit_inquiry(engine, draft, submission_key_for("conv-1", draft), now=NOW)
    assert result.created and is_valid_reference(result.reference)
    assert result.reference.startswith("SC-2026-")

    # A separate engine (new connections) sees the committed rows.
    other = create_engine(f"sqlite:///{tmp_path / 'inquiries.sqlite3'}", future=True)
    with Session(other, future=True) as session:
        inquiry = session.scalars(select(Inquiry).where(Inquiry.reference == result.reference)).one()
        assert (inquiry.kind, inquiry.status) == ("affiliation", "new")
        assert inquiry.organisation == draft.organisation and inquiry.email == draft.email
        assert inquiry.partner_country == "Japan" and inquiry.channel == "rest"
        assert inquiry.created_at == NOW and inquiry.created_at.tzinfo is not None
        notification = session.scalars(select(Notification).where(Notification.inquiry_id == inquiry.id)).one()
        assert notification.status == "pending" and notification.attempts == 0
        assert notification.next_attempt_at == NOW
        assert result.reference in notification.subject
        assert f"/staff/inquiries/{result.reference}" in notification.body
        assert "Maria Santos" in notification.body and "Maria" not in notification.subject
    other.dispose()


def test_same_submission_twice_gives_one_row_and_the_same_reference(engine):
    draft = make_draft()
    key = submission_key_for("conv-1", draft)
    first = submit_inquiry(engine, draft, key)
    again = submit_inquiry(engine, draft, key)
    assert first.created and not again.created
    assert again.reference == first.reference
    assert _counts(engine) == (1, 1)


def test_concurrent_redelivery_creates_one_row(engine):
    draft = make_draft()
    key = submission_key_for("conv-1", draft)
    barrier = threading.Barrier(8)
    results, errors = [], []

    def deliver():
        barrier.wait()
        try:
            results.append(submit_inquiry(engine, draft, key))
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _counts(engine) == (1, 1)


def test_different_submissions_get_different_references(engine):
    a, b = make_draft(), make_draft(contact_name="Jose Rizal")
    ra = submit_inquiry(engine, a, submission_key_for("conv-1", a))
    rb = submit_inquiry(engine, b, submission_key_for("conv-1", b))
    assert ra.reference != rb.reference and ra.created and rb.created
    assert _counts(engine) == (2, 2)


def test_submission_key_is_stable_and_sensitive():
    draft = make_draft()
    assert submission_key_for("c1", draft) == submission_key_for("c1", make_draft())
    assert submission_key_for("c1", draft) != submission_key_for("c2", draft)
    assert submission_key_for("c1", draft) != submission_key_for("c1", dataclasses.replace(draft, phone=None))
    assert len(submission_key_for("c1", draft)) == 64


def test_reference_collision_draws_again(engine, monkeypatch):
    first = submit_inquiry(engine, make_draft(), "key-1").reference
    fresh = f"SC-2026-111111-{luhn_digit('2026111111')}"
    draws = iter([first, first, fresh])  # taken twice, then free
    monkeypatch.setattr(service, "new_reference", lambda year, *_: next(draws))
    second = submit_inquiry(engine, make_draft(contact_name="Other Person"), "key-2", now=NOW)
    assert second == Submitted(fresh, True)
    assert _counts(engine) == (2, 2)


def test_no_free_reference_fails_cleanly(engine, monkeypatch):
    first = submit_inquiry(engine, make_draft(), "key-1").reference
    monkeypatch.setattr(service, "new_reference", lambda year, *_: first)
    with pytest.raises(SubmissionFailed):
        submit_inquiry(engine, make_draft(contact_name="Other Person"), "key-2")
    assert _counts(engine) == (1, 1)


def test_failure_inside_the_transaction_leaves_nothing(engine, monkeypatch):
    # The notification cannot be written (NOT NULL subject): the inquiry must not stay behind.
    monkeypatch.setattr(service.message, "compose", lambda inquiry: (None, None))
    with pytest.raises(SubmissionFailed) as raised:
        submit_inquiry(engine, make_draft(), "key-1")
    assert raised.value.cause == "IntegrityError"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert _counts(engine) == (0, 0)


def test_database_down_raises_submission_failed():
    down = create_engine("postgresql://postgres@127.0.0.1:1/x", future=True)
    with pytest.raises(SubmissionFailed) as raised:
        submit_inquiry(down, make_draft(), "key-1")
    assert raised.value.cause == "OperationalError"
    with pytest.raises(SubmissionFailed):
        escalate(down, "conv-1", "rest", submission_key="key-2")


def test_missing_sqlite_directory_raises_submission_failed(tmp_path):
    path = tmp_path / "no" / "such" / "dir" / "db.sqlite3"
    with pytest.raises(SubmissionFailed):
        submit_inquiry(create_engine(f"sqlite:///{path}", future=True), make_draft(), "key-1")
    assert not path.exists()


def test_read_only_database_raises_and_records_nothing(engine, tmp_path):
    path = tmp_path / "inquiries.sqlite3"
    read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", future=True)
    with pytest.raises(SubmissionFailed) as raised:
        submit_inquiry(read_only, make_draft(), "key-1")
    assert raised.value.cause == "OperationalError"
    assert _counts(engine) == (0, 0)


def test_logs_carry_reference_and_kind_but_no_personal_data(engine, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.inquiries")
    draft = make_draft()
    ref = submit_inquiry(engine, draft, "key-1").reference
    submit_inquiry(engine, draft, "key-1")
    with pytest.raises(SubmissionFailed):
        submit_inquiry(create_engine("postgresql://postgres@127.0.0.1:1/x", future=True), draft, "key-2")
    assert ref in caplog.text and "affiliation" in caplog.text
    for personal in (draft.email, draft.contact_name, draft.organisation, draft.phone, draft.message):
        assert personal not in caplog.text


def test_escalation_with_and_without_contact(engine):
    key = escalation_key_for("conv-9", "I need help", Contact(email="a@b.example"), marker="1700000000.1")
    first = escalate(engine, "conv-9", "socketio", "I need help", Contact(email="a@b.example"),
                     submission_key=key, now=NOW)
    again = escalate(engine, "conv-9", "socketio", "I need help", Contact(email="a@b.example"),
                     submission_key=key)
    assert first.created and again == Submitted(first.reference, False)
    bare = escalate(engine, "conv-10", "rest", submission_key=escalation_key_for("conv-10"))
    record = get_inquiry(engine, first.reference)
    assert (record.kind, record.status, record.email, record.message) == ("escalation", "new", "a@b.example", "I need help")
    assert record.organisation is None and record.purpose is None
    assert record.notifications[0].status == "pending"
    assert "talk to a person" in record.notifications[0].subject
    assert get_inquiry(engine, bare.reference).contact_name is None
    assert _counts(engine) == (2, 2)


def test_affiliation_needs_its_fields(engine):
    with pytest.raises(ValueError):
        submit_inquiry(engine, make_draft(email=""), "key-1")
    assert _counts(engine) == (0, 0)


def test_naive_time_is_refused(engine):
    with pytest.raises(ValueError):
        submit_inquiry(engine, make_draft(), "key-1", now=datetime(2026, 1, 1))


def test_list_and_get_return_plain_records(engine):
    refs = [submit_inquiry(engine, make_draft(contact_name=f"Person {i}"), f"key-{i}",
                           now=NOW + timedelta(minutes=i)).reference for i in range(3)]
    escalation = escalate(engine, "conv-2", "rest", submission_key="esc", now=NOW + timedelta(minutes=5)).reference
    records = list_inquiries(engine)
    assert [r.reference for r in records] == [escalation, *reversed(refs)]  # newest first
    assert all(isinstance(r, InquiryRecord) for r in records)
    with pytest.raises(dataclasses.FrozenInstanceError):
        records[0].status = "closed"
    assert [r.reference for r in list_inquiries(engine, limit=2)] == [escalation, refs[2]]
    assert len(list_inquiries(engine, status="new")) == 4
    assert list_inquiries(engine, status="closed") == []
    with pytest.raises(ValueError):
        list_inquiries(engine, status="bogus")

    record = get_inquiry(engine, refs[0].lower().replace("-", " "))
    assert record.reference == refs[0] and record.contact_name == "Person 0"
    assert record.created_at == NOW and record.created_at.utcoffset() == timedelta(0)
    assert len(record.notifications) == 1
    assert get_inquiry(engine, "SC-2026-111111-1") is None
    assert get_inquiry(engine, "nonsense") is None


def test_create_schema_is_idempotent(engine):
    submit_inquiry(engine, make_draft(), "key-1")
    create_schema(engine)
    assert _counts(engine) == (1, 1)
