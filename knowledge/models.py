"""SQLAlchemy ORM models of the knowledge base (SQLAlchemy 1.4, 2.0 style).

All tables are prefixed ``kb_`` so they can share a database with other features.
Surrogate integer ids link the tables; names are unique where the data needs them
to be (a name is how people and the data files refer to things).
"""
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    JSON,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()  # untyped: mypy cannot follow SQLAlchemy 1.4's declarative classes

# Kinds of names the resolver knows; kb_alias.kind uses the same words.
NAME_KINDS = ("prefecture", "country", "place", "position")
EDITION_STATUSES = ("held", "cancelled")


class Meta(Base):
    """Key/value facts about the loaded KB, e.g. ``version`` (bumped by every load)."""

    __tablename__ = "kb_meta"
    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class SourceText(Base):
    """Free text of the page, by subject and key (lists use ``seq`` 0..n).

    Keeps the programme descriptions simple: one row per sentence/field instead of a
    table per programme. Subjects: source, regional_exchange, seminar, jet, jetaa,
    sister_city_support. ``value`` is NULL where the page lacks the fact (e.g. the
    lost links, CLAIR Singapore's contact details).
    """

    __tablename__ = "kb_text"
    __table_args__ = (UniqueConstraint("subject", "key", "seq"),)
    id = Column(Integer, primary_key=True)
    subject = Column(String(64), nullable=False)
    key = Column(String(128), nullable=False)
    seq = Column(Integer, nullable=False, default=0)
    value = Column(Text, nullable=True)


class Country(Base):
    __tablename__ = "kb_country"
    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False, unique=True)
    asean = Column(Boolean, nullable=False, default=False)
    home = Column(Boolean, nullable=False, default=False)  # Japan: the home side, never a counterpart
    seq = Column(Integer, nullable=False, default=0)


class Prefecture(Base):
    __tablename__ = "kb_prefecture"
    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False, unique=True)
    seq = Column(Integer, nullable=False, default=0)


class Place(Base):
    """A city/province/village outside Japan (affiliation counterpart or host city)."""

    __tablename__ = "kb_place"
    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False, unique=True)
    kind = Column(String(32), nullable=False, default="city")
    region = Column(String(128), nullable=True)
    country_id = Column(Integer, ForeignKey("kb_country.id"), nullable=False)
    source_spelling = Column(String(128), nullable=True)
    country = relationship(Country)


class Alias(Base):
    """Alternative name of a prefecture, country, place or JET position.

    ``target`` is the canonical name (the position code for positions); ``norm`` is
    the matching key (see knowledge.normalize.compact). The loader guarantees a key
    points to one target per kind; the table itself only forbids exact repeats, so
    spelling variants with the same key (Chiangmai / Chiang Mai) stay listed for
    callers that need every surface form (e.g. a spaCy entity ruler).
    """

    __tablename__ = "kb_alias"
    __table_args__ = (
        UniqueConstraint("kind", "target", "alias"),
        Index("ix_kb_alias_kind_norm", "kind", "norm"),
    )
    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)
    target = Column(String(128), nullable=False)
    alias = Column(String(256), nullable=False)
    norm = Column(String(256), nullable=False)


class Affiliation(Base):
    """A sister city affiliation between a Japanese prefecture and a counterpart."""

    __tablename__ = "kb_affiliation"
    id = Column(Integer, primary_key=True)
    seq = Column(Integer, nullable=False, default=0)  # order of the source list
    prefecture_id = Column(Integer, ForeignKey("kb_prefecture.id"), nullable=False)
    # The page's "Local Government" column came through empty; room for it later.
    municipality = Column(String(128), nullable=True)
    place_id = Column(Integer, ForeignKey("kb_place.id"), nullable=False)
    counterpart_as_written = Column(String(256), nullable=False)
    retired = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, server_default=func.now())
    updated_at = Column(
        DateTime, nullable=False, server_default=func.now(), onupdate=func.now()
    )
    prefecture = relationship(Prefecture)
    place = relationship(Place)


class Edition(Base):
    """One fiscal year of the Regional Exchange Promotion Program."""

    __tablename__ = "kb_edition"
    __table_args__ = (
        CheckConstraint("status IN ('held', 'cancelled')", name="ck_kb_edition_status"),
    )
    id = Column(Integer, primary_key=True)
    fiscal_year = Column(Integer, nullable=False, unique=True)
    title = Column(Text, nullable=True)
    host_text = Column(Text, nullable=True)
    status = Column(String(16), nullable=False)
    reason = Column(Text, nullable=True)
    source_note = Column(Text, nullable=True)


class EditionCountry(Base):
    __tablename__ = "kb_edition_country"
    edition_id = Column(Integer, ForeignKey("kb_edition.id"), primary_key=True)
    country_id = Column(Integer, ForeignKey("kb_country.id"), primary_key=True)
    seq = Column(Integer, nullable=False, default=0)


class EditionCity(Base):
    __tablename__ = "kb_edition_city"
    edition_id = Column(Integer, ForeignKey("kb_edition.id"), primary_key=True)
    place_id = Column(Integer, ForeignKey("kb_place.id"), primary_key=True)
    seq = Column(Integer, nullable=False, default=0)


class EditionDetail(Base):
    """Longer description of an edition (the page has one for FY2015 only)."""

    __tablename__ = "kb_edition_detail"
    edition_id = Column(Integer, ForeignKey("kb_edition.id"), primary_key=True)
    context = Column(Text, nullable=True)
    summary = Column(Text, nullable=True)
    aims = Column(Text, nullable=True)
    schedule_text = Column(Text, nullable=True)
    days = Column(Integer, nullable=True)
    period = Column(String(64), nullable=True)  # text, e.g. "November 2015"
    participants = Column(Integer, nullable=True)
    participants_description = Column(Text, nullable=True)


class EditionPart(Base):
    """A part of an edition's schedule, e.g. Domestic Training (Japan)."""

    __tablename__ = "kb_edition_part"
    id = Column(Integer, primary_key=True)
    edition_id = Column(Integer, ForeignKey("kb_edition.id"), nullable=False)
    seq = Column(Integer, nullable=False, default=0)
    name = Column(String(128), nullable=False)
    location = Column(String(128), nullable=True)


class SupportingBody(Base):
    """A body supporting the JET Programme (MIC, MOFA, MEXT, CLAIR)."""

    __tablename__ = "kb_supporting_body"
    id = Column(Integer, primary_key=True)
    seq = Column(Integer, nullable=False, default=0)
    name = Column(String(256), nullable=False)
    abbreviation = Column(String(32), nullable=False, unique=True)


class JetPosition(Base):
    __tablename__ = "kb_jet_position"
    id = Column(Integer, primary_key=True)
    seq = Column(Integer, nullable=False, default=0)
    code = Column(String(16), nullable=False, unique=True)
    name = Column(String(128), nullable=False)
    description = Column(Text, nullable=False)
    workplace = Column(Text, nullable=True)


class JetParticipation(Base):
    __tablename__ = "kb_jet_participation"
    id = Column(Integer, primary_key=True)
    fiscal_year = Column(Integer, nullable=False, unique=True)
    participants = Column(Integer, nullable=False)
    origin = Column(Text, nullable=False)
    text = Column(Text, nullable=True)


class StaffAnswer(Base):
    """An answer CLAIR staff wrote to a question the page does not answer (knowledge/data/
    staff_answers.yml): served to visitors who ask it, when the knowledge base itself has no answer."""

    __tablename__ = "kb_staff_answer"
    id = Column(Integer, primary_key=True)
    seq = Column(Integer, nullable=False, default=0)
    key = Column(String(64), nullable=False, unique=True)
    question = Column(Text, nullable=False)
    paraphrases = Column(JSON, nullable=False, default=list)  # other wordings of the question
    answer = Column(Text, nullable=False)
    answer_ja = Column(Text, nullable=True)
    topic = Column(String(64), nullable=True)  # the page gap it answers (page_gaps.yml's topic)
    author = Column(String(128), nullable=False)
    written = Column(String(10), nullable=False)  # ISO date, e.g. 2026-12-08
    withdrawn = Column(Boolean, nullable=False, default=False)


# Tables whose content a load replaces; children before parents so deletes are safe.
CONTENT_MODELS = (
    EditionPart,
    EditionDetail,
    EditionCity,
    EditionCountry,
    Edition,
    Affiliation,
    Alias,
    Place,
    Prefecture,
    Country,
    SupportingBody,
    JetPosition,
    JetParticipation,
    StaffAnswer,
    SourceText,
)
