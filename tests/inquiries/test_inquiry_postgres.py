"""Concurrency on PostgreSQL (a database created for each test and dropped after it)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.inquiries import service
from bot.inquiries.models import Inquiry, Notification
from bot.inquiries.reference import is_valid_reference, luhn_digit
from bot.inquiries.service import SubmissionFailed, submission_key_for, submit_inquiry

from .inquiry_helpers import make_draft


def _counts(engine):
    with Session(engine, future=True) as session:
        return (session.scalar(select(func.count()).select_from(Inquiry)),
                session.scalar(select(func.count()).select_from(Notification)))


def _concurrently(n, fn):
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()  # start together, to make the races real
        return fn(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_fifty_concurrent_submissions_get_unique_valid_references(pg_engine):
    drafts = [make_draft(contact_name=f"Person {i}", conversation_id=f"conv-{i}") for i in range(50)]
    results = _concurrently(50, lambda i: submit_inquiry(pg_engine, drafts[i],
                                                         submission_key_for(f"conv-{i}", drafts[i])))
    refs = [r.reference for r in results]
    assert all(r.created for r in results)
    assert len(set(refs)) == 50 and all(is_valid_reference(r) for r in refs)
    assert _counts(pg_engine) == (50, 50)


def test_concurrent_submissions_survive_reference_collisions(pg_engine, monkeypatch):
    # Draw from only 200 numbers so concurrent submissions collide and must draw again.
    import random

    rng = random.Random(3)
    lock = threading.Lock()

    def crowded_reference(year, *_):
        with lock:
            number = 100000 + rng.randrange(200)
        return f"SC-{year}-{number}-{luhn_digit(f'{year}{number}')}"

    monkeypatch.setattr(service, "new_reference", crowded_reference)
    results = _concurrently(50, lambda i: submit_inquiry(pg_engine, make_draft(contact_name=f"P {i}"), f"key-{i}"))
    assert len({r.reference for r in results}) == 50
    assert _counts(pg_engine) == (50, 50)


def test_concurrent_redelivery_of_one_submission(pg_engine):
    draft = make_draft()
    key = submission_key_for("conv-1", draft)
    results = _concurrently(20, lambda i: submit_inquiry(pg_engine, draft, key))
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _counts(pg_engine) == (1, 1)


def test_timestamps_are_timezone_aware_utc(pg_engine):
    ref = submit_inquiry(pg_engine, make_draft(), "key-1").reference
    record = service.get_inquiry(pg_engine, ref)
    assert record.created_at.utcoffset().total_seconds() == 0
    assert record.notifications[0].next_attempt_at.tzinfo is not None


def test_unreachable_postgresql_raises_submission_failed():
    from sqlalchemy import create_engine

    with pytest.raises(SubmissionFailed) as raised:
        submit_inquiry(create_engine("postgresql://postgres@127.0.0.1:1/x", future=True), make_draft(), "k")
    assert raised.value.cause == "OperationalError"
