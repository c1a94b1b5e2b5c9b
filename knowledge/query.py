"""KnowledgeBase: the one read facade over the kb_ tables.

Every method opens its own Session (one unit of work per call), returns frozen
dataclasses / tuples of plain values, orders results deterministically, and returns
an empty list or None when nothing is found -- it never raises for "not found".
Names given to query methods go through resolve(), so aliases and typos work.
"""
import re
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar, Union

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import models as m
from .affiliation_query import AffiliationQuery, QueryResult, run_query
from .entities import (
    AFFILIATION_LIST,
    BY_NAME,
    COUNTRY,
    EDITION,
    EDITION_PART,
    JET,
    JET_PARTICIPATION,
    JET_POSITION,
    JETAA,
    PAGE_GAPS,
    PLACE,
    REGIONAL_EXCHANGE,
    SEMINAR,
    SISTER_CITY_SUPPORT,
    SOURCE,
    STAFF_ANSWER,
    SUPPORTING_BODY,
    Field,
    TextFact,
)
from .normalize import compact
from .resolver import Match, NameEntry, NameIndex, Resolution
from .results import (
    Affiliation,
    Country,
    Edition,
    EditionDetails,
    ExchangeProgram,
    JetParticipation,
    JetProgramme,
    Jetaa,
    PageGap,
    Place,
    Position,
    SchedulePart,
    Seminar,
    SisterCitySupport,
    Source,
    SupportingBody,
)
from .snapshot import RecordReader
from .staff_matcher import THRESHOLD as STAFF_ANSWER_THRESHOLD
from .staff_matcher import StaffMatch, StaffMatcher
from .writer import foreign_key


Result = TypeVar("Result")

_FISCAL_YEAR = re.compile(r"^\s*(?:fy|fiscal\s+year)?\s*'?(\d{4})\s*$", re.IGNORECASE)


def parse_fiscal_year(value: Union[int, str, None]) -> Optional[int]:
    """2015, "2015", "FY2015", "fy 2015", "fiscal year 2015" -> 2015; anything else -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = _FISCAL_YEAR.match(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


class _Texts:
    """The kb_text rows of one subject: key -> values in seq order."""

    def __init__(self, session: Session, subject: str):
        rows = session.execute(
            select(m.SourceText.key, m.SourceText.value)
            .where(m.SourceText.subject == subject)
            .order_by(m.SourceText.key, m.SourceText.seq)
        )
        self.values: Dict[str, List[Optional[str]]] = {}
        for key, value in rows:
            self.values.setdefault(key, []).append(value)

    def __bool__(self) -> bool:
        return bool(self.values)


def _names_stamp_query():
    """One row that changes whenever names may have: the version (bumped by every load and
    console edit) and the row count and highest id of each table names and organisation names
    come from (rows added or removed by hand). Built once: building it costs more than running it."""
    columns = [select(m.Meta.value).where(m.Meta.key == "version").scalar_subquery()]
    for model in (m.Prefecture, m.Country, m.Place, m.JetPosition, m.Alias, m.SourceText, m.SupportingBody,
                  m.StaffAnswer):
        columns += [select(func.count()).select_from(model).scalar_subquery(),
                    select(func.max(model.id)).scalar_subquery()]
    return select(*columns)


_NAMES_STAMP = _names_stamp_query()


class KnowledgeBase:
    def __init__(self, engine, staff_answer_threshold: float = STAFF_ANSWER_THRESHOLD):
        self._engine = engine
        self._staff_answer_threshold = staff_answer_threshold
        # Every answer looks up the names in its message; reading and indexing them all each time
        # was most of an answer's cost. Both are kept while _stamp is unchanged.
        self._names_cache: Optional[Tuple[tuple, NameIndex]] = None
        self._organisations_cache: Optional[Tuple[tuple, List[str]]] = None
        self._regions_cache: Optional[Tuple[tuple, List[str]]] = None
        # Every answer first checks the page's gaps: half of an answer's time when read each time.
        self._page_gaps_cache: Optional[Tuple[tuple, List[PageGap]]] = None
        # Built from the staff answers; rebuilt when one is saved or withdrawn (the stamp changes).
        self._staff_matcher_cache: Optional[Tuple[tuple, StaffMatcher]] = None

    def _session(self) -> Session:
        return Session(self._engine, future=True)

    @staticmethod
    def _stamp(session: Session) -> tuple:
        """See _names_stamp_query: one query, much cheaper than reading the names."""
        return tuple(session.execute(_NAMES_STAMP).one())

    def _index(self, session: Session) -> NameIndex:
        """The index of every name and alias, rebuilt when the stamp says they changed."""
        stamp = self._stamp(session)  # read before the names: a change in between is seen next time
        cached = self._names_cache
        if cached is None or cached[0] != stamp:
            cached = self._names_cache = (stamp, NameIndex(self._entries(session)))
        return cached[1]

    # -- names -------------------------------------------------------------------------
    @staticmethod
    def _entries(session: Session) -> List[NameEntry]:
        """Every name and alias, read live from the database."""
        entries: List[NameEntry] = []
        targets: Dict[str, set] = {}
        for kind, model in (("prefecture", m.Prefecture), ("country", m.Country), ("place", m.Place)):
            names = session.scalars(select(model.name).order_by(model.name)).all()
            entries += [NameEntry(kind, n, n) for n in names]
            targets[kind] = set(names)
        targets["position"] = set()
        for code, name in session.execute(select(m.JetPosition.code, m.JetPosition.name).order_by(m.JetPosition.code)):
            entries += [NameEntry("position", code, code), NameEntry("position", code, name)]
            targets["position"].add(code)
        aliases = session.execute(
            select(m.Alias.kind, m.Alias.target, m.Alias.alias).order_by(m.Alias.kind, m.Alias.target, m.Alias.alias)
        )
        # An alias whose target was deleted is ignored rather than resolved to nothing.
        entries += [NameEntry(k, t, a) for k, t, a in aliases if t in targets.get(k, ())]
        return entries

    def _resolve(self, session: Session, text: Optional[str], kind: str) -> Optional[str]:
        """Canonical name for a query argument, or None (unknown or ambiguous)."""
        if text is None:
            return None
        res = self._index(session).resolve(text, kind)
        return res.name if res.resolved else None

    def resolve(self, text: str, kind: Optional[str] = None) -> Resolution:
        """Resolve one name; kind: prefecture | place | country | position | None (any)."""
        with self._session() as session:
            return self._index(session).resolve(text, kind)

    def find_names(self, text: str) -> List[Match]:
        """Every KB name/alias mentioned in a whole user message, in message order."""
        with self._session() as session:
            return self._index(session).find(text)

    def all_names(self) -> List[NameEntry]:
        """Every (kind, canonical name, name-or-alias), e.g. for a spaCy entity ruler."""
        with self._session() as session:
            order = {k: i for i, k in enumerate(("prefecture", "country", "place", "position"))}
            return sorted(set(self._entries(session)), key=lambda e: (order.get(e.kind, 9), e.name, e.text))

    def version(self) -> int:
        """Bumped by every load: a cheap key for callers that cache names."""
        with self._session() as session:
            value = session.scalar(select(m.Meta.value).where(m.Meta.key == "version"))
            return int(value) if value else 0

    def _text_fact(self, fact: TextFact, result: Callable[..., Result]) -> Optional[Result]:
        """A text fact's result, built by keyword from its kb_text rows; None when there are none."""
        with self._session() as session:
            t = _Texts(session, fact.subject)
        return result(**fact.values(t.values)) if t else None

    # -- source ------------------------------------------------------------------------
    def source(self) -> Optional[Source]:
        with self._session() as session:
            t = _Texts(session, "source")
            if not t:
                return None
            return Source(**SOURCE.values(t.values), **AFFILIATION_LIST.values(t.values))

    # -- places ------------------------------------------------------------------------
    def country(self, name: str) -> Optional[Country]:
        with self._session() as session:
            canonical = self._resolve(session, name, "country")
            rows = session.scalars(select(m.Country).where(m.Country.name == canonical))
            found = RecordReader(session).records(COUNTRY, rows)
            return found[0] if found else None

    def home_country(self) -> Optional[str]:
        """The home side of every affiliation (Japan): where every prefecture is."""
        with self._session() as session:
            return session.scalar(select(m.Country.name).where(m.Country.home.is_(True)))

    def place(self, name: str) -> Optional[Place]:
        with self._session() as session:
            canonical = self._resolve(session, name, "place")
            rows = session.scalars(select(m.Place).where(m.Place.name == canonical))
            found = RecordReader(session).records(PLACE, rows)
            return found[0] if found else None

    # -- affiliations --------------------------------------------------------------------
    @staticmethod
    def _affiliation_query():
        return (
            select(m.Prefecture.name.label("prefecture"), m.Affiliation.municipality,
                   m.Place.name.label("counterpart"), m.Place.region.label("counterpart_region"),
                   m.Country.name.label("country"), m.Affiliation.counterpart_as_written.label("source_spelling"),
                   m.Place.kind.label("counterpart_kind"))
            .join(m.Prefecture, m.Affiliation.prefecture_id == m.Prefecture.id)
            .join(m.Place, m.Affiliation.place_id == m.Place.id)
            .join(m.Country, m.Place.country_id == m.Country.id)
            .where(m.Affiliation.retired.is_(False))
            .order_by(m.Affiliation.seq, m.Affiliation.id)  # the source list's order
        )

    def affiliations(self, prefecture: Optional[str] = None, country: Optional[str] = None,
                     counterpart: Optional[str] = None) -> List[Affiliation]:
        """Active affiliations matching every given filter; a filter name that does not
        resolve (unknown or ambiguous) gives an empty list."""
        with self._session() as session:
            stmt = self._affiliation_query()
            for text, kind, column in ((prefecture, "prefecture", m.Prefecture.name),
                                       (country, "country", m.Country.name),
                                       (counterpart, "place", m.Place.name)):
                if text is not None:
                    canonical = self._resolve(session, text, kind)
                    if canonical is None:
                        return []
                    stmt = stmt.where(column == canonical)
            return [Affiliation(**row._mapping) for row in session.execute(stmt)]

    def query_affiliations(self, query: AffiliationQuery) -> QueryResult:
        """One structured question about the list (knowledge/affiliation_query.py); the names in
        the query must already be canonical (resolved)."""
        return run_query(self.affiliations(), query)

    def affiliations_of_prefecture(self, name: str) -> List[Affiliation]:
        return self.affiliations(prefecture=name)

    def affiliations_of_counterpart(self, name: str) -> List[Affiliation]:
        """Affiliations of one counterpart place. A name that is not a place but is a
        region the page gives (e.g. "Bali", "Maharashtra") falls back to
        affiliations_in_region, so the answer is the page's, not "unknown"."""
        found = self.affiliations(counterpart=name)
        if found:
            return found
        with self._session() as session:
            if self._resolve(session, name, "place") is not None:
                return []
        return self.affiliations_in_region(name)

    def affiliations_in_region(self, name: str) -> List[Affiliation]:
        """Affiliations whose counterpart lies in the named region/province (as the page
        gives it after the comma, e.g. "Benguet": Baguio, La Trinidad), plus the place
        of that name itself (e.g. Benguet Province). Matching ignores case/accents."""
        key = compact(name or "")
        if not key:
            return []
        with self._session() as session:
            place = self._resolve(session, name, "place")
            rows = session.execute(self._affiliation_query()).all()
        return [Affiliation(**row._mapping) for row in rows
                if (row.counterpart_region and compact(row.counterpart_region) == key)
                or (place is not None and row.counterpart == place)]

    def affiliations_of_country(self, name: str) -> List[Affiliation]:
        return self.affiliations(country=name)

    def count_affiliations(self) -> int:
        with self._session() as session:
            return session.scalar(
                select(func.count(m.Affiliation.id)).where(m.Affiliation.retired.is_(False))
            ) or 0

    def _count_by(self, name_column, join_on) -> Dict[str, int]:
        """Counts of active affiliations, largest first, then by name."""
        with self._session() as session:
            n = func.count(m.Affiliation.id)
            stmt = (
                select(name_column, n)
                .select_from(m.Affiliation)
                .join(m.Place, m.Affiliation.place_id == m.Place.id)
                .join(*join_on)
                .where(m.Affiliation.retired.is_(False))
                .group_by(name_column)
                .order_by(n.desc(), name_column)
            )
            return {name: count for name, count in session.execute(stmt)}

    def count_by_country(self) -> Dict[str, int]:
        return self._count_by(m.Country.name, (m.Country, m.Place.country_id == m.Country.id))

    def count_by_prefecture(self) -> Dict[str, int]:
        return self._count_by(m.Prefecture.name, (m.Prefecture, m.Affiliation.prefecture_id == m.Prefecture.id))

    # -- Regional Exchange Promotion Program ------------------------------------------------
    def exchange_program(self) -> Optional[ExchangeProgram]:
        return self._text_fact(REGIONAL_EXCHANGE, ExchangeProgram)

    def _editions(self, session: Session, *conditions) -> List[Edition]:
        stmt = select(m.Edition).order_by(m.Edition.fiscal_year)
        for condition in conditions:
            stmt = stmt.where(condition)
        rows = session.scalars(stmt).all()
        countries, cities = (self._linked_names(session, EDITION.field(name)) for name in ("countries", "cities"))
        return [
            Edition(fiscal_year=e.fiscal_year, countries=tuple(countries.get(e.id, ())),
                    cities=tuple(cities.get(e.id, ())), title=e.title, status=e.status, reason=e.reason,
                    host_text=e.host_text, source_note=e.source_note)
            for e in rows
        ]

    def editions(self) -> List[Edition]:
        """All editions, oldest fiscal year first."""
        with self._session() as session:
            return self._editions(session)

    def edition(self, fiscal_year: Union[int, str]) -> Optional[Edition]:
        """One edition; ``fiscal_year`` may be 2015, "2015", "FY2015" or "fy 2015"."""
        year = parse_fiscal_year(fiscal_year)
        if year is None:
            return None
        with self._session() as session:
            found = self._editions(session, m.Edition.fiscal_year == year)
            return found[0] if found else None

    @staticmethod
    def _linked_names(session: Session, refs: Field) -> Dict[int, List[str]]:
        """Edition id -> the names of one list of references (host countries, cities), in order."""
        target = BY_NAME[str(refs.ref)].model
        edition_id = getattr(refs.link, foreign_key(refs.link, m.Edition))
        target_id = getattr(refs.link, foreign_key(refs.link, target))
        names: Dict[int, List[str]] = {}
        for eid, name in session.execute(select(edition_id, target.name).join(target, target_id == target.id)
                                         .order_by(edition_id, refs.link.seq, target.name)):
            names.setdefault(eid, []).append(name)
        return names

    def _editions_with(self, name: str, refs: Field) -> List[Edition]:
        """Editions whose list ``refs`` (host countries, cities) names ``name``."""
        target = BY_NAME[str(refs.ref)]
        with self._session() as session:
            canonical = self._resolve(session, name, target.name)
            if canonical is None:
                return []
            edition_ids = (select(getattr(refs.link, foreign_key(refs.link, m.Edition)))
                           .join(target.model, getattr(refs.link, foreign_key(refs.link, target.model))
                                 == target.model.id)
                           .where(target.model.name == canonical))
            return self._editions(session, m.Edition.id.in_(edition_ids))

    def editions_in_country(self, name: str) -> List[Edition]:
        return self._editions_with(name, EDITION.field("countries"))

    def editions_in_city(self, name: str) -> List[Edition]:
        return self._editions_with(name, EDITION.field("cities"))

    def cancelled_editions(self) -> List[Edition]:
        with self._session() as session:
            return self._editions(session, m.Edition.status == "cancelled")

    def first_edition(self) -> Optional[Edition]:
        """The earliest fiscal year on record (held or not)."""
        found = self.editions()
        return found[0] if found else None

    def edition_details(self, asked: Union[int, str]) -> Optional[EditionDetails]:
        fiscal_year = parse_fiscal_year(asked)
        if fiscal_year is None:
            return None
        with self._session() as session:
            found = self._editions(session, m.Edition.fiscal_year == fiscal_year)
            edition_id = session.scalar(select(m.Edition.id).where(m.Edition.fiscal_year == fiscal_year))
            d = session.get(m.EditionDetail, edition_id) if edition_id is not None else None
            if d is None:
                return None
            e = found[0]
            parts: Tuple[SchedulePart, ...] = tuple(RecordReader(session).records(EDITION_PART, session.scalars(
                select(m.EditionPart).where(m.EditionPart.edition_id == edition_id)
                .order_by(m.EditionPart.seq, m.EditionPart.id))))
            return EditionDetails(
                fiscal_year=e.fiscal_year, title=e.title, countries=e.countries, cities=e.cities,
                host_text=e.host_text, context=d.context, summary=d.summary, aims=d.aims,
                schedule_text=d.schedule_text, days=d.days, period=d.period, parts=parts,
                participants=d.participants, participants_description=d.participants_description,
            )

    def fy2015_details(self) -> Optional[EditionDetails]:
        return self.edition_details(2015)

    # -- seminar, JET, support ---------------------------------------------------------------
    def seminar(self) -> Optional[Seminar]:
        return self._text_fact(SEMINAR, Seminar)

    def supporting_bodies(self) -> List[SupportingBody]:
        with self._session() as session:
            rows = session.scalars(select(m.SupportingBody).order_by(m.SupportingBody.seq, m.SupportingBody.id))
            return RecordReader(session).records(SUPPORTING_BODY, rows)

    def _positions(self, session: Session, code: Optional[str] = None) -> List[Position]:
        stmt = select(m.JetPosition).order_by(m.JetPosition.seq, m.JetPosition.code)
        if code is not None:
            stmt = stmt.where(m.JetPosition.code == code)
        return RecordReader(session).records(JET_POSITION, session.scalars(stmt))

    def positions(self) -> List[Position]:
        with self._session() as session:
            return self._positions(session)

    def position(self, code_or_alias: str) -> Optional[Position]:
        with self._session() as session:
            code = self._resolve(session, code_or_alias, "position")
            found = self._positions(session, code) if code else []
            return found[0] if found else None

    def jet_participation(self) -> List[JetParticipation]:
        with self._session() as session:
            rows = session.scalars(select(m.JetParticipation).order_by(m.JetParticipation.fiscal_year))
            return RecordReader(session).records(JET_PARTICIPATION, rows)

    def jetaa(self) -> Optional[Jetaa]:
        return self._text_fact(JETAA, Jetaa)

    def jet_programme(self) -> Optional[JetProgramme]:
        with self._session() as session:
            t = _Texts(session, "jet")
            if not t:
                return None
        return JetProgramme(
            **JET.values(t.values), supporting_bodies=tuple(self.supporting_bodies()),
            positions=tuple(self.positions()), participation=tuple(self.jet_participation()), jetaa=self.jetaa(),
        )

    def organisation_names(self) -> List[str]:
        """Organisations the page names (CLAIR Singapore, JIAM, ...), longest first: a message
        that mentions "CLAIR Singapore" does not ask about the country Singapore."""
        with self._session() as session:
            stamp = self._stamp(session)
        cached = self._organisations_cache
        if cached is None or cached[0] != stamp:
            cached = self._organisations_cache = (stamp, self._read_organisation_names())
        return list(cached[1])

    def region_names(self) -> List[str]:
        """The regions the list writes after its places ("Maharashtra", "Benguet"), longest first;
        kept while the stamp is unchanged (every message is scanned for them)."""
        with self._session() as session:
            stamp = self._stamp(session)
            cached = self._regions_cache
            if cached is None or cached[0] != stamp:
                regions = session.execute(select(m.Place.region).where(m.Place.region.is_not(None)).distinct()).scalars()
                cached = self._regions_cache = (stamp, sorted(set(regions), key=lambda r: (-len(r), r)))
        return list(cached[1])

    def _read_organisation_names(self) -> List[str]:
        names = set()
        program, support, seminar = self.exchange_program(), self.sister_city_support(), self.seminar()
        if program:
            names.update([program.organiser, *program.partners])
        if support and support.provider:
            names.add(support.provider)
        if seminar and seminar.host:
            names.add(seminar.host)
        names.update(b.name for b in self.supporting_bodies())
        return sorted((n for n in names if n), key=lambda n: (-len(n), n))

    def sister_city_support(self) -> Optional[SisterCitySupport]:
        return self._text_fact(SISTER_CITY_SUPPORT, SisterCitySupport)

    def page_gaps(self) -> List[PageGap]:
        """What the page does not give, by topic (sorted by topic); kept while the stamp is unchanged."""
        with self._session() as session:
            stamp = self._stamp(session)
            cached = self._page_gaps_cache
            if cached is not None and cached[0] == stamp:
                return list(cached[1])
            t = _Texts(session, "page_gaps")
        topics = sorted({key.split(".")[0] for key in t.values})
        gaps = [PageGap(topic=topic, **PAGE_GAPS.values(t.values, f"{topic}.")) for topic in topics]
        self._page_gaps_cache = (stamp, gaps)
        return list(gaps)

    # -- staff answers -------------------------------------------------------------------------------
    def staff_answers(self, include_withdrawn: bool = False) -> List[Any]:
        """The answers CLAIR staff wrote, in the order they were added (withdrawn ones only if asked)."""
        with self._session() as session:
            stmt = select(m.StaffAnswer).order_by(m.StaffAnswer.seq, m.StaffAnswer.id)
            if not include_withdrawn:
                stmt = stmt.where(m.StaffAnswer.withdrawn.is_(False))
            return RecordReader(session).records(STAFF_ANSWER, session.scalars(stmt))

    def staff_matcher(self) -> StaffMatcher:
        """The matcher over the served staff answers, kept while the stamp is unchanged."""
        with self._session() as session:
            stamp = self._stamp(session)
        cached = self._staff_matcher_cache
        if cached is None or cached[0] != stamp:
            cached = self._staff_matcher_cache = (stamp, StaffMatcher(self.staff_answers()))
        return cached[1]

    def match_staff_answer(self, text: str, gap_topic: Optional[str] = None) -> Optional[StaffMatch]:
        """The staff answer a question asks for, if one is close enough, or one written for the page
        gap that caught it (knowledge/staff_matcher.py)."""
        matcher = self.staff_matcher()
        threshold = self._staff_answer_threshold
        return matcher.for_gap(text, gap_topic, threshold) if gap_topic else matcher.match(text, threshold)

