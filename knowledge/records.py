"""Plain, validated records read from the data files (no database involved)."""
from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True)
class TextItem:
    subject: str
    key: str
    seq: int
    value: Optional[str]


@dataclass(frozen=True)
class CountryRec:
    name: str
    asean: bool
    aliases: Tuple[str, ...] = ()
    home: bool = False  # Japan: the home side of every affiliation, never a counterpart


@dataclass(frozen=True)
class PrefectureRec:
    name: str
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceRec:
    name: str
    kind: str
    region: Optional[str]
    country: str
    aliases: Tuple[str, ...] = ()
    source_spelling: Optional[str] = None


@dataclass(frozen=True)
class AffiliationRec:
    row: int  # spreadsheet row number in affiliations.csv (header = row 1)
    prefecture: str
    municipality: Optional[str]
    counterpart: str
    counterpart_as_written: str
    country: str
    retired: bool = False


@dataclass(frozen=True)
class EditionPartRec:
    name: str
    location: Optional[str]


@dataclass(frozen=True)
class EditionDetailRec:
    context: Optional[str]
    summary: Optional[str]
    aims: Optional[str]
    schedule_text: Optional[str]
    days: Optional[int]
    period: Optional[str]
    parts: Tuple[EditionPartRec, ...]
    participants: Optional[int]
    participants_description: Optional[str]


@dataclass(frozen=True)
class EditionRec:
    fiscal_year: int
    countries: Tuple[str, ...]
    cities: Tuple[str, ...]
    host_text: Optional[str]
    title: Optional[str]
    status: str
    reason: Optional[str]
    source_note: Optional[str]
    details: Optional[EditionDetailRec] = None


@dataclass(frozen=True)
class SupportingBodyRec:
    name: str
    abbreviation: str


@dataclass(frozen=True)
class PositionRec:
    code: str
    name: str
    description: str
    workplace: Optional[str]
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipationRec:
    fiscal_year: int
    participants: int
    origin: str
    text: Optional[str]


@dataclass(frozen=True)
class KnowledgeData:
    """Everything the data files say, validated and ready to store."""

    texts: Tuple[TextItem, ...] = field(default=())
    countries: Tuple[CountryRec, ...] = ()
    prefectures: Tuple[PrefectureRec, ...] = ()
    places: Tuple[PlaceRec, ...] = ()
    affiliations: Tuple[AffiliationRec, ...] = ()
    editions: Tuple[EditionRec, ...] = ()
    supporting_bodies: Tuple[SupportingBodyRec, ...] = ()
    positions: Tuple[PositionRec, ...] = ()
    participation: Tuple[ParticipationRec, ...] = ()
