"""The knowledge base as one answer sees it: a one-of-a-kind record that is missing (its section
never loaded, its table emptied) stops the answer with RecordMissing, so the visitor is told plainly
instead of the handler tripping over a None, or an answer being half said."""
from __future__ import annotations

from typing import Any, Sequence, TypeVar

from knowledge.query import KnowledgeBase

# The facade's queries for a record there is exactly one of: None from them means the knowledge
# base lacks it, never "no such name" (unlike resolve(), position(code) or edition(year)).
RECORDS = frozenset({"source", "exchange_program", "seminar", "jet_programme", "jetaa", "sister_city_support"})
T = TypeVar("T")


class RecordMissing(LookupError):
    def __init__(self, record: str) -> None:
        super().__init__(f"the knowledge base has no {record}")
        self.record = record


def at_least_one(found: Sequence[T], record: str) -> Sequence[T]:
    """`found`, a list a loaded knowledge base never has empty (the JET positions, say): empty, its
    table is, and an answer from it would claim there are none. Checked where an answer is built,
    not in the facade, because the checks run for every message read such lists too."""
    if not found:
        raise RecordMissing(record)
    return found


class MissingRecord:
    """Stands in for a missing record. It tests false, so code that only looks whether it is there
    (`if program:`, run for every message) goes on as before; reading any of its fields raises."""
    __slots__ = ("_record",)

    def __init__(self, record: str) -> None:
        self._record = record

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, field: str) -> Any:
        raise RecordMissing(self._record)


class RequiredRecords:
    """Every query of `kb` as it is, except RECORDS: their None becomes a MissingRecord."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __getattr__(self, name: str) -> Any:
        query = getattr(self._kb, name)
        if name not in RECORDS:
            return query

        def record(*args: Any, **kwargs: Any) -> Any:
            found = query(*args, **kwargs)
            return MissingRecord(name) if found is None else found

        return record
