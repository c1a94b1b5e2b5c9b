"""Affiliations: a prefecture (and perhaps its municipality) and a counterpart place. What is
theirs: a new one goes after the last of its country (the source list is by country), the country
comes from the place, and they are retired and restored rather than removed."""
from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import AFFILIATION

from .edits import by_name, row_to_edit
from .editor import RetiringEditor, Row
from .form import field


class AffiliationEditor(RetiringEditor):
    entity = AFFILIATION
    noun = "affiliation"
    fields = (
        field(AFFILIATION, "prefecture", "Japanese prefecture"),
        field(AFFILIATION, "municipality", "Municipality in that prefecture", note="(optional)",
              hint="Leave empty when the affiliation is the prefecture's own or the source does not say."),
        field(AFFILIATION, "counterpart", "Counterpart", widget="grouped",
              hint="Not in the list?", hint_link=("kb_place_new", "Add the place"),
              hint_after=" first. The country comes from the place."),
        field(AFFILIATION, "counterpart_as_written", "Counterpart as written on the source", note="(optional)",
              hint='E.g. "Medan, North Sumatra". Empty: the counterpart\'s name.'),
    )

    def rows(self, session: Session, key: Any = None, country: str = "") -> List[Row]:
        stmt = (select(m.Affiliation.id, m.Affiliation.seq, m.Prefecture.name, m.Affiliation.municipality, m.Place.name,
                       m.Affiliation.counterpart_as_written, m.Country.name, m.Affiliation.retired)
                .join(m.Prefecture, m.Affiliation.prefecture_id == m.Prefecture.id)
                .join(m.Place, m.Affiliation.place_id == m.Place.id)
                .join(m.Country, m.Place.country_id == m.Country.id)
                .order_by(m.Affiliation.seq, m.Affiliation.id))
        if key is not None:
            stmt = stmt.where(m.Affiliation.id == key)
        if country:
            stmt = stmt.where(m.Country.name == country)
        return [self.row(id_, {"row": seq, "prefecture": prefecture, "municipality": municipality,
                               "counterpart": counterpart, "counterpart_as_written": written, "country": country_,
                               "retired": retired},
                         id=id_, label=f"{prefecture} → {counterpart}")
                for id_, seq, prefecture, municipality, counterpart, written, country_, retired in session.execute(stmt)]

    def audit_key(self, row: Row) -> str:
        return row.label

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        prefecture = by_name(session, m.Prefecture, values["prefecture"], "prefecture")
        place = by_name(session, m.Place, values["counterpart"], "counterpart")
        row = row_to_edit(session, m.Affiliation.id, key,
                          lambda: m.Affiliation(seq=_next_seq_in_country(session, place.country_id), retired=False))
        row.prefecture_id, row.place_id, row.municipality = prefecture.id, place.id, values["municipality"]
        row.counterpart_as_written = values["counterpart_as_written"] or place.name
        session.flush()
        return row.id

    def stored(self, session: Session, key: Any) -> Any:
        return session.get(m.Affiliation, key)


def _next_seq_in_country(session: Session, country_id: int) -> int:
    """The place of a new affiliation: after the last one of the same country; the later ones move down."""
    last = session.scalar(select(func.max(m.Affiliation.seq)).join(m.Place, m.Affiliation.place_id == m.Place.id)
                          .where(m.Place.country_id == country_id))
    if last is None:
        last = session.scalar(select(func.max(m.Affiliation.seq)))
        last = -1 if last is None else last
    session.execute(update(m.Affiliation).where(m.Affiliation.seq > last)
                    .values(seq=m.Affiliation.seq + 1).execution_options(synchronize_session=False))
    return last + 1
