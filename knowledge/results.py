"""Frozen, plain-value results of KnowledgeBase queries (never ORM objects).

A result that is an entity's record as the files hold it (a country, a place, a JET position...)
is the record class generated from the entity's declaration (knowledge/entities.py); the type
checker sees those as Any. The others are views: several entities joined (an affiliation with its
counterpart's country), or a text fact's sentences (entities.TEXT_FACTS, built by keyword).
"""
from dataclasses import dataclass
from typing import Optional, Tuple

from .records import CountryRec as Country
from .records import EditionPartRec as SchedulePart
from .records import ParticipationRec as JetParticipation
from .records import PlaceRec as Place
from .records import PositionRec as Position
from .records import SupportingBodyRec as SupportingBody


@dataclass(frozen=True)
class Source:
    title: str
    file: str
    as_of: str  # verbatim text "as of 29th Feb 2015" -- not a real date, never parsed
    list_title: Optional[str] = None
    list_intro: Optional[str] = None
    list_columns: Optional[str] = None
    world_link_text: Optional[str] = None
    world_link: Optional[str] = None  # lost from the page: None


@dataclass(frozen=True)
class Affiliation:
    prefecture: str
    municipality: Optional[str]  # the page's column came through empty: None
    counterpart: str  # canonical place name
    counterpart_region: Optional[str]
    country: str
    source_spelling: str  # counterpart as written on the page, e.g. "Passig"
    counterpart_kind: str = "city"


@dataclass(frozen=True)
class ExchangeProgram:
    name: str
    description: str
    purpose: str
    organiser: str
    partners: Tuple[str, ...]
    frequency: str
    region: str
    participants: str
    mission: str
    gains: Tuple[str, ...]
    list_title: Optional[str] = None


@dataclass(frozen=True)
class Edition:
    fiscal_year: int
    countries: Tuple[str, ...]
    cities: Tuple[str, ...]
    title: Optional[str]
    status: str  # held | cancelled
    reason: Optional[str]
    host_text: Optional[str] = None
    source_note: Optional[str] = None


@dataclass(frozen=True)
class EditionDetails:
    fiscal_year: int
    title: Optional[str]
    countries: Tuple[str, ...]
    cities: Tuple[str, ...]
    host_text: Optional[str]
    context: Optional[str]
    summary: Optional[str]
    aims: Optional[str]
    schedule_text: Optional[str]
    days: Optional[int]
    period: Optional[str]  # text, e.g. "November 2015"
    parts: Tuple[SchedulePart, ...]
    participants: Optional[int]
    participants_description: Optional[str]


@dataclass(frozen=True)
class Seminar:
    name: str
    host: str
    held_in: str
    description: str
    brings_together: str
    aims: Tuple[str, ...]
    activities: Tuple[str, ...]
    overseas_participants: Tuple[str, ...]
    lecture_city: Optional[str]
    more_details_text: Optional[str]
    more_details_link: Optional[str]


@dataclass(frozen=True)
class Jetaa:
    name: str
    abbreviation: str
    description: str


@dataclass(frozen=True)
class JetProgramme:
    name: str
    abbreviation: str
    description: str
    implemented_by: str
    aims: Tuple[str, ...]
    supporting_bodies: Tuple[SupportingBody, ...]
    positions: Tuple[Position, ...]
    participation: Tuple[JetParticipation, ...]
    participation_note: Optional[str]
    jetaa: Optional[Jetaa]
    more_details_text: Optional[str]
    more_details_link: Optional[str]


@dataclass(frozen=True)
class SisterCitySupport:
    title: str
    provider: str
    intro: str
    forms: Tuple[str, ...]
    contact_statement: str
    contact_details: Optional[str]  # None: the page gives no address/e-mail/phone
    contact_note: Optional[str]


@dataclass(frozen=True)
class PageGap:
    """Something visitors ask that the page does not give (knowledge/data/page_gaps.yml)."""
    topic: str
    what: str
    cues: Tuple[str, ...]
    related: str
    needs: Tuple[str, ...] = ()  # words one of which must also be there (a country alone is not a sister-city question)


__all__ = [
    "Affiliation", "Country", "Edition", "EditionDetails", "ExchangeProgram", "JetParticipation", "JetProgramme",
    "Jetaa", "PageGap", "Place", "Position", "SchedulePart", "Seminar", "SisterCitySupport", "Source",
    "SupportingBody",
]
