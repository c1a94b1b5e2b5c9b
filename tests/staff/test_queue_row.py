"""A queue row is the inquiry's record (the same fields, read the same way) plus its assignee."""
from __future__ import annotations

from dataclasses import fields, replace

from bot.inquiries.service import InquiryRecord, get_inquiry
from bot.staff import queue, workflow


def test_a_queue_row_is_the_inquiry_record_with_its_assignee(engine, submit, aiko):
    reference = submit(organisation="Sakura City", partner_country="Vietnam")
    workflow.assign(engine, reference, aiko.id, aiko.id)
    row = queue.search(engine, queue.QueueFilter()).rows[0]
    assert isinstance(row, InquiryRecord) and row.assignee == "Aiko Sato"
    record = get_inquiry(engine, reference)
    same = {f.name for f in fields(InquiryRecord)} - {"notifications", "updated_at"}
    assert {n: getattr(row, n) for n in same} == {n: getattr(record, n) for n in same}
    assert replace(row, assignee=None).organisation == "Sakura City"
