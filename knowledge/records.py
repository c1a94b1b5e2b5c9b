"""Plain, validated records read from the data files (no database involved).

Each entity's record class is generated from its declaration in knowledge/entities.py, so a field
is named once. The type checker sees them as Any: it cannot follow a generated class.
"""
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Tuple, TypeAlias

from .entities import (
    AFFILIATION,
    COUNTRY,
    EDITION,
    EDITION_DETAIL,
    EDITION_PART,
    JET_PARTICIPATION,
    JET_POSITION,
    PLACE,
    PREFECTURE,
    STAFF_ANSWER,
    SUPPORTING_BODY,
    Entity,
)

if TYPE_CHECKING:
    CountryRec: TypeAlias = Any
    PrefectureRec: TypeAlias = Any
    PlaceRec: TypeAlias = Any
    AffiliationRec: TypeAlias = Any
    EditionRec: TypeAlias = Any
    EditionDetailRec: TypeAlias = Any
    EditionPartRec: TypeAlias = Any
    SupportingBodyRec: TypeAlias = Any
    PositionRec: TypeAlias = Any
    ParticipationRec: TypeAlias = Any
    StaffAnswerRec: TypeAlias = Any
else:
    CountryRec, PrefectureRec, PlaceRec = COUNTRY.record, PREFECTURE.record, PLACE.record
    AffiliationRec, EditionRec = AFFILIATION.record, EDITION.record
    EditionDetailRec, EditionPartRec = EDITION_DETAIL.record, EDITION_PART.record
    SupportingBodyRec, PositionRec = SUPPORTING_BODY.record, JET_POSITION.record
    ParticipationRec = JET_PARTICIPATION.record
    StaffAnswerRec = STAFF_ANSWER.record


@dataclass(frozen=True)
class TextItem:
    subject: str
    key: str
    seq: int
    value: Optional[str]


@dataclass(frozen=True)
class KnowledgeData:
    """Everything the data files say, validated and ready to store. Each entity's records are
    named after its file section (affiliations.csv: "affiliations")."""

    texts: Tuple[TextItem, ...] = field(default=())
    countries: Tuple[CountryRec, ...] = ()
    prefectures: Tuple[PrefectureRec, ...] = ()
    places: Tuple[PlaceRec, ...] = ()
    affiliations: Tuple[AffiliationRec, ...] = ()
    editions: Tuple[EditionRec, ...] = ()
    supporting_bodies: Tuple[SupportingBodyRec, ...] = ()
    positions: Tuple[PositionRec, ...] = ()
    participation: Tuple[ParticipationRec, ...] = ()
    staff_answers: Tuple[StaffAnswerRec, ...] = ()

    def records(self, entity: Entity) -> Tuple[Any, ...]:
        return getattr(self, attribute(entity))


def attribute(entity: Entity) -> str:
    """KnowledgeData's attribute holding a top-level entity's records."""
    return entity.section or "affiliations"
