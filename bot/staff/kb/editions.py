"""Programme editions, identified by their fiscal year. What is theirs: at least one host country,
host countries and cities as ordered link rows, and a removal takes the longer description along."""
from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import EDITION

from .edits import EditRejected, by_name, refuse_taken, row_to_edit
from .editor import Editor, Row
from .form import field

YEAR_MESSAGE = "Fiscal year must be a year, e.g. 2016."


class EditionEditor(Editor):
    entity = EDITION
    noun = "edition"
    fields = (
        field(EDITION, "fiscal_year", "Fiscal year", widget="number", maximum=2200, invalid=YEAR_MESSAGE),
        field(EDITION, "countries", "Host countries", widget="checks"),
        field(EDITION, "cities", "Host cities", widget="grouped", note="(optional; in the host countries)"),
        field(EDITION, "host_text", '"Host Country (City)" as the page writes it', note="(optional)"),
        field(EDITION, "title", "Title", note="(optional)"),
        field(EDITION, "status", "Status", widget="radio"),
        field(EDITION, "reason", "Reason it was cancelled", note="(only when cancelled)"),
        field(EDITION, "source_note", "Remark on the source page", note="(optional, verbatim)"),
    )

    def rows(self, session: Session, key: Any = None) -> List[Row]:
        stmt = select(m.Edition).order_by(m.Edition.fiscal_year.desc())
        if key is not None:
            stmt = stmt.where(m.Edition.fiscal_year == key)
        out = []
        for e in session.scalars(stmt):
            countries = tuple(session.scalars(
                select(m.Country.name).join(m.EditionCountry, m.EditionCountry.country_id == m.Country.id)
                .where(m.EditionCountry.edition_id == e.id).order_by(m.EditionCountry.seq)))
            cities = tuple(session.scalars(
                select(m.Place.name).join(m.EditionCity, m.EditionCity.place_id == m.Place.id)
                .where(m.EditionCity.edition_id == e.id).order_by(m.EditionCity.seq)))
            out.append(self.row(e.fiscal_year, {
                "fiscal_year": e.fiscal_year, "countries": countries, "cities": cities, "host_text": e.host_text,
                "title": e.title, "status": e.status, "reason": e.reason, "source_note": e.source_note},
                has_details=session.get(m.EditionDetail, e.id) is not None))
        return out

    def audit_key(self, row: Row) -> str:
        return f"FY{row.key}"

    def check(self, values: Dict[str, Any]) -> None:
        if not values["countries"]:
            raise EditRejected("Choose at least one host country.")

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        year = values["fiscal_year"]
        refuse_taken(session, m.Edition.fiscal_year, m.Edition.fiscal_year, year, key,
                     f"There is an edition for fiscal year {year} already.")
        row = row_to_edit(session, m.Edition.fiscal_year, key, m.Edition)
        for name in ("fiscal_year", "status", "host_text", "title", "reason", "source_note"):
            setattr(row, name, values[name])
        session.flush()
        country_ids = [by_name(session, m.Country, c, "host country").id for c in values["countries"]]
        place_ids = [by_name(session, m.Place, c, "city").id for c in values["cities"]]
        session.execute(delete(m.EditionCountry).where(m.EditionCountry.edition_id == row.id))
        session.execute(delete(m.EditionCity).where(m.EditionCity.edition_id == row.id))
        session.add_all(m.EditionCountry(edition_id=row.id, country_id=cid, seq=i) for i, cid in enumerate(country_ids))
        session.add_all(m.EditionCity(edition_id=row.id, place_id=pid, seq=i) for i, pid in enumerate(place_ids))
        return year

    def delete(self, session: Session, row: Row) -> Dict[str, Any]:
        edition = session.scalar(select(m.Edition).where(m.Edition.fiscal_year == row.key))
        for model in (m.EditionPart, m.EditionDetail, m.EditionCity, m.EditionCountry):
            session.execute(delete(model).where(model.edition_id == edition.id))
        session.delete(edition)
        return row.describe()
