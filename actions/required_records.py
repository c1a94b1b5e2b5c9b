"""The knowledge base as one answer sees it: a one-of-a-kind record that is missing (its section
never loaded, its table emptied) stops the answer with RecordMissing, so the visitor is told plainly
instead of the handler tripping over a None, or an answer being half said."""
from __future__ import annotations

from typing import Optional, Sequence, TypeVar

from knowledge.results import ExchangeProgram, JetProgramme, Jetaa, Seminar, SisterCitySupport, Source
from knowledge.query import KnowledgeBase

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


def required(found: Optional[T], record: str) -> T:
    """`found`, a record a loaded knowledge base always has: None means its section is missing."""
    if found is None:
        raise RecordMissing(record)
    return found


class RequiredRecords:
    """The one-of-a-kind records an answer reads. The facade gives None for a missing one (code that
    only looks whether it is there, run for every message, asks `turn.kb`); an answer that reads its
    fields asks here, and a missing record stops the answer with RecordMissing."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def source(self) -> Source:
        return required(self._kb.source(), "source")

    def exchange_program(self) -> ExchangeProgram:
        return required(self._kb.exchange_program(), "exchange_program")

    def seminar(self) -> Seminar:
        return required(self._kb.seminar(), "seminar")

    def jet_programme(self) -> JetProgramme:
        return required(self._kb.jet_programme(), "jet_programme")

    def jetaa(self) -> Jetaa:
        return required(self._kb.jetaa(), "jetaa")

    def sister_city_support(self) -> SisterCitySupport:
        return required(self._kb.sister_city_support(), "sister_city_support")
