"""Places outside Japan (counterparts and host cities). What is theirs: names are unique, aliases
follow a renamed place, and a place still named by an affiliation or edition cannot be removed."""
from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import PLACE

from .edits import EditRejected, by_name, refuse_taken, retarget_aliases, row_to_edit
from .editor import Editor, Row
from .form import field


class PlaceEditor(Editor):
    entity = PLACE
    noun = "place"
    fields = (
        field(PLACE, "name", "Name (the common English name)"),
        field(PLACE, "kind", "Kind"),
        field(PLACE, "region", "Region, as the source gives it after the comma", note="(optional)"),
        field(PLACE, "country", "Country"),
        field(PLACE, "source_spelling", "Spelling on the source page, if different", note="(optional)"),
    )

    def rows(self, session: Session, key: Any = None) -> List[Row]:
        stmt = (select(m.Place.id, m.Place.name, m.Place.kind, m.Place.region, m.Country.name, m.Place.source_spelling)
                .join(m.Country, m.Place.country_id == m.Country.id).order_by(m.Country.seq, m.Place.name))
        if key is not None:
            stmt = stmt.where(m.Place.id == key)
        used: Dict[int, int] = {}
        for model in (m.Affiliation, m.EditionCity):
            for place_id, n in session.execute(select(model.place_id, func.count()).group_by(model.place_id)):
                used[place_id] = used.get(place_id, 0) + n
        return [self.row(id_, {"name": name, "kind": kind, "region": region, "country": country,
                               "source_spelling": spelling},
                         id=id_, used_by=used.get(id_, 0))  # affiliations and editions naming it
                for id_, name, kind, region, country, spelling in session.execute(stmt)]

    def audit_key(self, row: Row) -> str:
        return row.name

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        name = values["name"]
        country = by_name(session, m.Country, values["country"], "country")
        refuse_taken(session, m.Place.id, m.Place.name, name, key, f"There is a place called {name} already.")
        row = row_to_edit(session, m.Place.id, key, m.Place)
        if key is not None:
            retarget_aliases(session, "place", row.name, name)
        row.name, row.kind, row.region, row.country_id = name, values["kind"], values["region"], country.id
        row.source_spelling = values["source_spelling"]
        session.flush()
        return row.id

    def delete(self, session: Session, row: Row) -> Dict[str, Any]:
        if row.used_by:
            raise EditRejected(f"{row.name} is named by {row.used_by} affiliation(s) or edition(s); "
                               f"change those first (retired affiliations count too).")
        session.execute(delete(m.Alias).where(m.Alias.kind == "place", m.Alias.target == row.name))
        session.execute(delete(m.Place).where(m.Place.id == row.key))
        return row.describe()
