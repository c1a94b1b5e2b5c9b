"""Knowledge-base editing from the staff console: affiliations, programme editions, JET positions,
places and aliases.

Every edit is one transaction that
  1. applies the change to the kb_ tables,
  2. runs the data files' own checks on the result (knowledge.export.validate: the database is
     rendered as the files would hold it and loaded by the loader), so the database never holds
     what the files could not, and ``kb export`` always works,
  3. records the change in the audit trail with the state before and after,
  4. bumps the knowledge base's version and marks it as edited in the console.
The running assistant reads the database on every message, so a committed edit is answered at once.

Console edits live in the database until ``python -m bot kb export`` writes them to knowledge/data/.
``guard_console_edits`` (called by bot/prepare.py before it reloads changed data files) refuses to
overwrite console edits that were never exported.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.errors import KnowledgeError
from knowledge.export import snapshot, validate
from knowledge.normalize import compact
from knowledge.parsers import PLACE_KINDS
from knowledge.writer import bump_version

from .audit import record
from .models import AuditEntry

log = logging.getLogger(__name__)

CONSOLE_EDIT_KEY = "console_edited_version"  # kb_meta: the version the last console edit produced
EXPORTED_KEY = "exported_version"  # kb_meta: the version last written to the data files
ALIAS_KINDS = ("country", "prefecture", "place", "position")
EDITION_STATUSES = m.EDITION_STATUSES
MAX_TEXT = 2000


class EditRejected(Exception):
    """The change was not made; ``errors`` say why (shown to staff as is)."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


# -- helpers ------------------------------------------------------------------------------------------
def _clean(value: Optional[str], label: str, required: bool = True, limit: int = 256) -> Optional[str]:
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise EditRejected(f"{label} is required.")
        return None
    if len(text) > limit:
        raise EditRejected(f"{label} may have at most {limit} characters.")
    return text


def _meta(session: Session, key: str) -> Optional[str]:
    return session.scalar(select(m.Meta.value).where(m.Meta.key == key))


def _commit_edit(session: Session, actor_id: Optional[int], action: str, entity: str, key: str,
                 before, after) -> None:
    session.flush()
    try:
        validate(snapshot(session))
    except KnowledgeError as error:
        raise EditRejected(["This change would make the knowledge base invalid:", *error.errors]) from None
    except KeyError as error:  # a row pointing at something that no longer exists
        raise EditRejected(f"This change leaves a reference to something missing ({error}).") from None
    record(session, actor_id, action, entity, key, before=before, after=after)
    version = bump_version(session)
    session.merge(m.Meta(key=CONSOLE_EDIT_KEY, value=str(version)))
    log.info("knowledge base: %s %s by staff %s (version %s)", action, entity, actor_id, version)


def _by_name(session: Session, model, name: Optional[str], label: str):
    row = session.scalar(select(model).where(model.name == name)) if name else None
    if row is None:
        raise EditRejected(f"Choose a {label} from the list.")
    return row


# -- choices for forms --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choices:
    prefectures: List[str]
    countries: List[str]  # outside Japan: host countries, places' countries
    places_by_country: List[Tuple[str, List[str]]]
    alias_targets: Dict[str, List[str]]


def choices(engine) -> Choices:
    with Session(engine, future=True) as session:
        prefectures = list(session.scalars(select(m.Prefecture.name).order_by(m.Prefecture.seq, m.Prefecture.name)))
        countries = list(session.scalars(select(m.Country.name).order_by(m.Country.seq, m.Country.name)))
        # Japan is the home side of every affiliation: never a counterpart's or a host country.
        abroad = list(session.scalars(select(m.Country.name).where(m.Country.home.is_(False))
                                      .order_by(m.Country.seq, m.Country.name)))
        grouped: Dict[str, List[str]] = {}
        for place, country in session.execute(select(m.Place.name, m.Country.name)
                                              .join(m.Country, m.Place.country_id == m.Country.id)
                                              .order_by(m.Country.seq, m.Place.name)):
            grouped.setdefault(country, []).append(place)
        positions = list(session.scalars(select(m.JetPosition.code).order_by(m.JetPosition.seq)))
    return Choices(prefectures, abroad, list(grouped.items()),
                   {"country": countries, "prefecture": prefectures,
                    "place": sorted(p for _, ps in grouped.items() for p in ps), "position": positions})


# -- affiliations ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AffiliationRow:
    id: int
    prefecture: str
    municipality: Optional[str]
    counterpart: str
    counterpart_as_written: str
    country: str
    retired: bool

    @property
    def label(self) -> str:
        return f"{self.prefecture} → {self.counterpart}"

    def describe(self) -> dict:
        return {"prefecture": self.prefecture, "municipality": self.municipality, "counterpart": self.counterpart,
                "counterpart_as_written": self.counterpart_as_written, "country": self.country,
                "retired": self.retired}


def _affiliation_select():
    return (select(m.Affiliation.id, m.Prefecture.name, m.Affiliation.municipality, m.Place.name,
                   m.Affiliation.counterpart_as_written, m.Country.name, m.Affiliation.retired)
            .join(m.Prefecture, m.Affiliation.prefecture_id == m.Prefecture.id)
            .join(m.Place, m.Affiliation.place_id == m.Place.id)
            .join(m.Country, m.Place.country_id == m.Country.id)
            .order_by(m.Affiliation.seq, m.Affiliation.id))


def affiliations(engine) -> List[AffiliationRow]:
    """All affiliations, retired ones included, in the source list's order."""
    with Session(engine, future=True) as session:
        return [AffiliationRow(*row) for row in session.execute(_affiliation_select())]


def _affiliation(session: Session, affiliation_id: int) -> AffiliationRow:
    row = session.execute(_affiliation_select().where(m.Affiliation.id == affiliation_id)).first()
    if row is None:
        raise EditRejected("There is no such affiliation.")
    return AffiliationRow(*row)


def affiliation(engine, affiliation_id: int) -> Optional[AffiliationRow]:
    with Session(engine, future=True) as session:
        try:
            return _affiliation(session, affiliation_id)
        except EditRejected:
            return None


def save_affiliation(engine, actor_id: Optional[int], affiliation_id: Optional[int], values: Dict[str, str]) -> int:
    """Create (affiliation_id None) or update an affiliation; returns its id."""
    prefecture_name = _clean(values.get("prefecture"), "Prefecture")
    municipality = _clean(values.get("municipality"), "Municipality", required=False, limit=128)
    counterpart_name = _clean(values.get("counterpart"), "Counterpart")
    as_written = _clean(values.get("counterpart_as_written"), "Counterpart as written", required=False)
    with Session(engine, future=True) as session, session.begin():
        prefecture = _by_name(session, m.Prefecture, prefecture_name, "prefecture")
        place = _by_name(session, m.Place, counterpart_name, "counterpart")
        if affiliation_id is None:
            before = None
            # A new affiliation goes after the last one of the same country (the list is by country).
            last = session.scalar(select(func.max(m.Affiliation.seq)).join(m.Place, m.Affiliation.place_id == m.Place.id)
                                  .where(m.Place.country_id == place.country_id))
            if last is None:
                last = session.scalar(select(func.max(m.Affiliation.seq)))
                last = -1 if last is None else last
            session.execute(update(m.Affiliation).where(m.Affiliation.seq > last)
                            .values(seq=m.Affiliation.seq + 1).execution_options(synchronize_session=False))
            row = m.Affiliation(seq=last + 1, retired=False)
            session.add(row)
            action = "created"
        else:
            before = _affiliation(session, affiliation_id).describe()
            row = session.get(m.Affiliation, affiliation_id)
            action = "updated"
        row.prefecture_id, row.place_id, row.municipality = prefecture.id, place.id, municipality
        row.counterpart_as_written = as_written or place.name
        session.flush()
        after = _affiliation(session, row.id)
        if before == after.describe():
            return row.id
        _commit_edit(session, actor_id, action, "kb.affiliation", after.label, before, after.describe())
        return row.id


def set_retired(engine, actor_id: Optional[int], affiliation_id: int, retired: bool) -> None:
    """Retire an affiliation (it stays on file, marked retired, and is no longer answered) or restore it."""
    with Session(engine, future=True) as session, session.begin():
        before = _affiliation(session, affiliation_id)
        if before.retired == retired:
            return
        session.get(m.Affiliation, affiliation_id).retired = retired
        session.flush()
        after = _affiliation(session, affiliation_id)
        _commit_edit(session, actor_id, "retired" if retired else "restored", "kb.affiliation", after.label,
                     before.describe(), after.describe())


# -- places -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaceRow:
    id: int
    name: str
    kind: str
    region: Optional[str]
    country: str
    source_spelling: Optional[str]
    used_by: int  # affiliations and editions naming it

    def describe(self) -> dict:
        return {"name": self.name, "kind": self.kind, "region": self.region, "country": self.country,
                "source_spelling": self.source_spelling}


def _places(session: Session, place_id: Optional[int] = None) -> List[PlaceRow]:
    stmt = (select(m.Place.id, m.Place.name, m.Place.kind, m.Place.region, m.Country.name, m.Place.source_spelling)
            .join(m.Country, m.Place.country_id == m.Country.id).order_by(m.Country.seq, m.Place.name))
    if place_id is not None:
        stmt = stmt.where(m.Place.id == place_id)
    used: Dict[int, int] = {}
    for model in (m.Affiliation, m.EditionCity):
        for pid, n in session.execute(select(model.place_id, func.count()).group_by(model.place_id)):
            used[pid] = used.get(pid, 0) + n
    return [PlaceRow(*row, used.get(row[0], 0)) for row in session.execute(stmt)]


def places(engine) -> List[PlaceRow]:
    with Session(engine, future=True) as session:
        return _places(session)


def place(engine, place_id: int) -> Optional[PlaceRow]:
    with Session(engine, future=True) as session:
        found = _places(session, place_id)
        return found[0] if found else None


def save_place(engine, actor_id: Optional[int], place_id: Optional[int], values: Dict[str, str]) -> int:
    name = _clean(values.get("name"), "Name", limit=128)
    kind = _clean(values.get("kind"), "Kind")
    if kind not in PLACE_KINDS:
        raise EditRejected(f"Kind must be one of {', '.join(PLACE_KINDS)}.")
    region = _clean(values.get("region"), "Region", required=False, limit=128)
    spelling = _clean(values.get("source_spelling"), "Spelling on the source page", required=False, limit=128)
    with Session(engine, future=True) as session, session.begin():
        country = _by_name(session, m.Country, _clean(values.get("country"), "Country"), "country")
        clash = session.scalar(select(m.Place.id).where(m.Place.name == name))
        if clash is not None and clash != place_id:
            raise EditRejected(f"There is a place called {name} already.")
        if place_id is None:
            before, row, action = None, m.Place(), "created"
            session.add(row)
        else:
            found = _places(session, place_id)
            if not found:
                raise EditRejected("There is no such place.")
            before, row, action = found[0].describe(), session.get(m.Place, place_id), "updated"
            if row.name != name:  # aliases point at the name
                session.execute(update(m.Alias).where(m.Alias.kind == "place", m.Alias.target == row.name)
                                .values(target=name).execution_options(synchronize_session=False))
        row.name, row.kind, row.region, row.country_id, row.source_spelling = name, kind, region, country.id, spelling
        session.flush()
        after = _places(session, row.id)[0].describe()
        if before == after:
            return row.id
        _commit_edit(session, actor_id, action, "kb.place", name, before, after)
        return row.id


def remove_place(engine, actor_id: Optional[int], place_id: int) -> None:
    with Session(engine, future=True) as session, session.begin():
        found = _places(session, place_id)
        if not found:
            raise EditRejected("There is no such place.")
        if found[0].used_by:
            raise EditRejected(f"{found[0].name} is named by {found[0].used_by} affiliation(s) or edition(s); "
                               f"change those first (retired affiliations count too).")
        session.execute(delete(m.Alias).where(m.Alias.kind == "place", m.Alias.target == found[0].name))
        session.execute(delete(m.Place).where(m.Place.id == place_id))
        _commit_edit(session, actor_id, "removed", "kb.place", found[0].name, found[0].describe(), None)


# -- programme editions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EditionRow:
    fiscal_year: int
    countries: Tuple[str, ...]
    cities: Tuple[str, ...]
    host_text: Optional[str]
    title: Optional[str]
    status: str
    reason: Optional[str]
    source_note: Optional[str]
    has_details: bool

    def describe(self) -> dict:
        return {"fiscal_year": self.fiscal_year, "countries": list(self.countries), "cities": list(self.cities),
                "host_text": self.host_text, "title": self.title, "status": self.status, "reason": self.reason,
                "source_note": self.source_note}


def _editions(session: Session, year: Optional[int] = None) -> List[EditionRow]:
    stmt = select(m.Edition).order_by(m.Edition.fiscal_year.desc())
    if year is not None:
        stmt = stmt.where(m.Edition.fiscal_year == year)
    out = []
    for e in session.scalars(stmt):
        countries = tuple(session.scalars(select(m.Country.name).join(m.EditionCountry, m.EditionCountry.country_id == m.Country.id)
                                          .where(m.EditionCountry.edition_id == e.id).order_by(m.EditionCountry.seq)))
        cities = tuple(session.scalars(select(m.Place.name).join(m.EditionCity, m.EditionCity.place_id == m.Place.id)
                                       .where(m.EditionCity.edition_id == e.id).order_by(m.EditionCity.seq)))
        details = session.get(m.EditionDetail, e.id) is not None
        out.append(EditionRow(e.fiscal_year, countries, cities, e.host_text, e.title, e.status, e.reason,
                              e.source_note, details))
    return out


def editions(engine) -> List[EditionRow]:
    with Session(engine, future=True) as session:
        return _editions(session)


def edition(engine, year: int) -> Optional[EditionRow]:
    with Session(engine, future=True) as session:
        found = _editions(session, year)
        return found[0] if found else None


def _year(value) -> int:
    try:
        year = int(str(value or "").strip())
    except ValueError:
        raise EditRejected("Fiscal year must be a year, e.g. 2016.") from None
    if not 1900 <= year <= 2200:
        raise EditRejected("Fiscal year must be a year, e.g. 2016.")
    return year


def save_edition(engine, actor_id: Optional[int], year: Optional[int], values: Dict, countries: Sequence[str],
                 cities: Sequence[str]) -> int:
    """Create (year None) or update the edition of fiscal year ``year``; returns its (new) year."""
    new_year = _year(values.get("fiscal_year"))
    status = values.get("status")
    if status not in EDITION_STATUSES:
        raise EditRejected("Status must be held or cancelled.")
    fields = {"host_text": _clean(values.get("host_text"), "Host country (city) text", required=False, limit=MAX_TEXT),
              "title": _clean(values.get("title"), "Title", required=False, limit=MAX_TEXT),
              "reason": _clean(values.get("reason"), "Reason", required=False, limit=MAX_TEXT),
              "source_note": _clean(values.get("source_note"), "Source note", required=False, limit=MAX_TEXT)}
    countries = list(dict.fromkeys(c for c in countries if c))
    cities = list(dict.fromkeys(c for c in cities if c))
    if not countries:
        raise EditRejected("Choose at least one host country.")
    with Session(engine, future=True) as session, session.begin():
        clash = session.scalar(select(m.Edition.id).where(m.Edition.fiscal_year == new_year))
        if year is None:
            if clash is not None:
                raise EditRejected(f"There is an edition for fiscal year {new_year} already.")
            row, before, action = m.Edition(), None, "created"
            session.add(row)
        else:
            row = session.scalar(select(m.Edition).where(m.Edition.fiscal_year == year))
            if row is None:
                raise EditRejected("There is no such edition.")
            if clash is not None and clash != row.id:
                raise EditRejected(f"There is an edition for fiscal year {new_year} already.")
            before, action = _editions(session, year)[0].describe(), "updated"
        row.fiscal_year, row.status = new_year, status
        for name, value in fields.items():
            setattr(row, name, value)
        session.flush()
        country_ids = [_by_name(session, m.Country, c, "host country").id for c in countries]
        place_ids = [_by_name(session, m.Place, c, "city").id for c in cities]
        session.execute(delete(m.EditionCountry).where(m.EditionCountry.edition_id == row.id))
        session.execute(delete(m.EditionCity).where(m.EditionCity.edition_id == row.id))
        session.add_all(m.EditionCountry(edition_id=row.id, country_id=cid, seq=i) for i, cid in enumerate(country_ids))
        session.add_all(m.EditionCity(edition_id=row.id, place_id=pid, seq=i) for i, pid in enumerate(place_ids))
        session.flush()
        after = _editions(session, new_year)[0].describe()
        if before == after:
            return new_year
        _commit_edit(session, actor_id, action, "kb.edition", f"FY{new_year}", before, after)
        return new_year


def remove_edition(engine, actor_id: Optional[int], year: int) -> None:
    with Session(engine, future=True) as session, session.begin():
        row = session.scalar(select(m.Edition).where(m.Edition.fiscal_year == year))
        if row is None:
            raise EditRejected("There is no such edition.")
        before = _editions(session, year)[0].describe()
        for model in (m.EditionPart, m.EditionDetail, m.EditionCity, m.EditionCountry):
            session.execute(delete(model).where(model.edition_id == row.id))
        session.delete(row)
        _commit_edit(session, actor_id, "removed", "kb.edition", f"FY{year}", before, None)


# -- JET positions ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PositionRow:
    code: str
    name: str
    description: str
    workplace: Optional[str]
    aliases: Tuple[str, ...]

    def describe(self) -> dict:
        return {"code": self.code, "name": self.name, "description": self.description, "workplace": self.workplace}


def _positions(session: Session, code: Optional[str] = None) -> List[PositionRow]:
    stmt = select(m.JetPosition).order_by(m.JetPosition.seq, m.JetPosition.code)
    if code is not None:
        stmt = stmt.where(m.JetPosition.code == code)
    return [PositionRow(p.code, p.name, p.description, p.workplace,
                        tuple(session.scalars(select(m.Alias.alias).where(m.Alias.kind == "position",
                                                                          m.Alias.target == p.code)
                                              .order_by(m.Alias.id))))
            for p in session.scalars(stmt)]


def positions(engine) -> List[PositionRow]:
    with Session(engine, future=True) as session:
        return _positions(session)


def position(engine, code: str) -> Optional[PositionRow]:
    with Session(engine, future=True) as session:
        found = _positions(session, code)
        return found[0] if found else None


def save_position(engine, actor_id: Optional[int], code: Optional[str], values: Dict[str, str]) -> str:
    new_code = _clean(values.get("code"), "Code", limit=16)
    if not compact(new_code):
        raise EditRejected("Code needs letters or digits.")
    name = _clean(values.get("name"), "Name", limit=128)
    description = _clean(values.get("description"), "Description", limit=MAX_TEXT)
    workplace = _clean(values.get("workplace"), "Workplace", required=False, limit=MAX_TEXT)
    with Session(engine, future=True) as session, session.begin():
        clash = session.scalar(select(m.JetPosition.id).where(m.JetPosition.code == new_code))
        if code is None:
            if clash is not None:
                raise EditRejected(f"There is a position with the code {new_code} already.")
            last = session.scalar(select(func.max(m.JetPosition.seq)))
            row, before, action = m.JetPosition(seq=(last if last is not None else -1) + 1), None, "created"
            session.add(row)
        else:
            row = session.scalar(select(m.JetPosition).where(m.JetPosition.code == code))
            if row is None:
                raise EditRejected("There is no such position.")
            if clash is not None and clash != row.id:
                raise EditRejected(f"There is a position with the code {new_code} already.")
            before, action = _positions(session, code)[0].describe(), "updated"
            if code != new_code:
                session.execute(update(m.Alias).where(m.Alias.kind == "position", m.Alias.target == code)
                                .values(target=new_code).execution_options(synchronize_session=False))
        row.code, row.name, row.description, row.workplace = new_code, name, description, workplace
        session.flush()
        after = _positions(session, new_code)[0].describe()
        if before == after:
            return new_code
        _commit_edit(session, actor_id, action, "kb.position", new_code, before, after)
        return new_code


def remove_position(engine, actor_id: Optional[int], code: str) -> None:
    with Session(engine, future=True) as session, session.begin():
        found = _positions(session, code)
        if not found:
            raise EditRejected("There is no such position.")
        before = {**found[0].describe(), "aliases": list(found[0].aliases)}
        session.execute(delete(m.Alias).where(m.Alias.kind == "position", m.Alias.target == code))
        session.execute(delete(m.JetPosition).where(m.JetPosition.code == code))
        _commit_edit(session, actor_id, "removed", "kb.position", code, before, None)


# -- aliases ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AliasRow:
    id: int
    kind: str
    target: str
    alias: str

    def describe(self) -> dict:
        return {"kind": self.kind, "target": self.target, "alias": self.alias}


def aliases(engine, kind: Optional[str] = None) -> List[AliasRow]:
    stmt = select(m.Alias.id, m.Alias.kind, m.Alias.target, m.Alias.alias).order_by(m.Alias.kind, m.Alias.target,
                                                                                    m.Alias.id)
    if kind:
        stmt = stmt.where(m.Alias.kind == kind)
    with Session(engine, future=True) as session:
        return [AliasRow(*row) for row in session.execute(stmt)]


def alias(engine, alias_id: int) -> Optional[AliasRow]:
    with Session(engine, future=True) as session:
        row = session.execute(select(m.Alias.id, m.Alias.kind, m.Alias.target, m.Alias.alias)
                              .where(m.Alias.id == alias_id)).first()
        return AliasRow(*row) if row else None


def _target_exists(session: Session, kind: str, target: str) -> bool:
    if kind == "position":
        return session.scalar(select(m.JetPosition.id).where(m.JetPosition.code == target)) is not None
    model = {"country": m.Country, "prefecture": m.Prefecture, "place": m.Place}[kind]
    return session.scalar(select(model.id).where(model.name == target)) is not None


def save_alias(engine, actor_id: Optional[int], alias_id: Optional[int], values: Dict[str, str]) -> int:
    kind = values.get("kind")
    if kind not in ALIAS_KINDS:
        raise EditRejected("Choose what kind of name this is an alias of.")
    target = _clean(values.get("target"), "The name it stands for", limit=128)
    text = _clean(values.get("alias"), "Alias")
    if not compact(text):
        raise EditRejected("An alias needs letters or digits.")
    with Session(engine, future=True) as session, session.begin():
        if not _target_exists(session, kind, target):
            raise EditRejected(f"There is no {kind} called {target}.")
        same = session.scalar(select(m.Alias.id).where(m.Alias.kind == kind, m.Alias.target == target,
                                                       m.Alias.alias == text))
        if same is not None and same != alias_id:
            raise EditRejected(f"{target} has the alias {text} already.")
        if alias_id is None:
            row, before, action = m.Alias(), None, "created"
            session.add(row)
        else:
            row = session.get(m.Alias, alias_id)
            if row is None:
                raise EditRejected("There is no such alias.")
            before, action = AliasRow(row.id, row.kind, row.target, row.alias).describe(), "updated"
        row.kind, row.target, row.alias, row.norm = kind, target, text, compact(text)
        session.flush()
        after = AliasRow(row.id, kind, target, text).describe()
        if before == after:
            return row.id
        _commit_edit(session, actor_id, action, "kb.alias", f"{kind}: {target} = {text}", before, after)
        return row.id


def remove_alias(engine, actor_id: Optional[int], alias_id: int) -> None:
    with Session(engine, future=True) as session, session.begin():
        row = session.get(m.Alias, alias_id)
        if row is None:
            raise EditRejected("There is no such alias.")
        before = AliasRow(row.id, row.kind, row.target, row.alias).describe()
        session.delete(row)
        _commit_edit(session, actor_id, "removed", "kb.alias", f"{row.kind}: {row.target} = {row.alias}", before, None)


# -- keeping the database and the data files in step -----------------------------------------------------------
@dataclass(frozen=True)
class ExportState:
    pending: int  # console edits since the last export (0: the files have everything)
    last_export: Optional[datetime]


def _pending(session: Session) -> bool:
    version, edited, exported = (_meta(session, k) for k in ("version", CONSOLE_EDIT_KEY, EXPORTED_KEY))
    # A load from the files after the edits bumps the version past the edit: nothing pending then.
    return edited is not None and edited == version and exported != version


def export_state(engine) -> ExportState:
    with Session(engine, future=True) as session:
        last = session.execute(select(AuditEntry.id, AuditEntry.at).where(AuditEntry.entity == "kb.files")
                               .order_by(AuditEntry.id.desc()).limit(1)).first()
        if not _pending(session):
            return ExportState(0, last.at if last else None)
        since = last.id if last else 0
        count = session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity.startswith("kb."),
                                                                       AuditEntry.entity != "kb.files",
                                                                       AuditEntry.id > since)) or 0
        return ExportState(max(count, 1), last.at if last else None)


def mark_exported(engine, written: Iterable[str], data_dir: Path, files_hash_key: str, files_hash: str) -> None:
    """After ``kb export`` wrote the configured data directory: the files and the database agree,
    so the next start must not reload (the stored files hash is the new one) and nothing is pending."""
    with Session(engine, future=True) as session, session.begin():
        version = _meta(session, "version") or "0"
        session.merge(m.Meta(key=EXPORTED_KEY, value=version))
        session.merge(m.Meta(key=files_hash_key, value=files_hash))
        record(session, None, "exported", "kb.files", str(data_dir.name), after={"written": sorted(written)})


def guard_console_edits(engine, data_dir: Path, files_hash_key: str, files_hash: str) -> None:
    """Called before the data files are (re)loaded: if the files changed since the last load while
    the database holds console edits that were never exported, loading would silently discard those
    edits, so stop and say what to do. With unchanged files, only remind."""
    with Session(engine, future=True) as session:
        if not _pending(session):
            return
        loaded = _meta(session, files_hash_key)
    state = export_state(engine)
    if loaded is not None and loaded != files_hash:
        raise SystemExit(
            f"The knowledge base has {state.pending} change(s) made in the staff console that are not in the data "
            f"files yet, and the files in {data_dir} changed too. Loading the files now would lose the console "
            f"changes, so nothing was loaded.\n"
            f"  Keep both: run `python -m bot kb export`, then review `git diff {data_dir}` and put back any file "
            f"change the export undid.\n"
            f"  Discard the console changes: run `python -m bot kb load`.")
    print(f"Note: {state.pending} knowledge-base change(s) from the staff console are not in the data files yet; "
          f"run `python -m bot kb export` to write them there.", flush=True)
