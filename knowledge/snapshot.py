"""The kb_ tables read back as the records the loader makes from the files, from the declarations.

``RecordReader`` turns ORM rows of an entity into its records (columns, references by key, aliases,
nested records); the query facade reads single records with it, and ``snapshot`` reads everything
(the export and every console edit's check).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, Iterable, List, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import models as m
from .entities import BY_NAME, ENTITIES, Entity
from .records import KnowledgeData, TextItem, attribute
from .writer import foreign_key


class RecordReader:
    """Records of ORM rows, in one session. ``aliases_as_added`` keeps aliases in the order they were
    added (the files' order after a load; console additions last), else alphabetical."""

    def __init__(self, session: Session, aliases_as_added: bool = False):
        self.session = session
        self.aliases_as_added = aliases_as_added
        self._keys: Dict[str, Dict[int, Any]] = {}  # entity -> id -> key value

    def records(self, entity: Entity, rows: Iterable[Any], owner_id: Any = None) -> List[Any]:
        out = []
        for row in rows:
            values: Dict[str, Any] = {}
            for f in entity.fields:
                if f.via:  # e.g. an affiliation's country: its counterpart's
                    via = BY_NAME[str(entity.field(f.via).ref)]
                    place = self.session.get(via.model, getattr(row, str(entity.field(f.via).column_name)))
                    values[f.name] = self.key(BY_NAME[str(f.ref)], getattr(place, str(via.field(f.name).column_name)))
                elif f.kind == "ref" and f.column_name:
                    values[f.name] = self.key(BY_NAME[str(f.ref)], getattr(row, f.column_name))
                elif f.kind == "list" and f.column_name:  # a JSON column
                    values[f.name] = tuple(getattr(row, f.column_name) or ())
                elif f.column_name:
                    values[f.name] = getattr(row, f.column_name)
                else:
                    values[f.name] = f.empty
            out.append(self._linked(entity, row, values, owner_id))
        return out

    def _linked(self, entity: Entity, row: Any, values: Dict[str, Any], owner_id: Any) -> Any:
        """``values`` completed with what hangs on the row: aliases, link rows, nested records."""
        for f in entity.fields:
            if f.kind == "aliases":
                values[f.name] = self.aliases(str(entity.alias_kind), values[entity.key[0]])
            elif f.kind == "refs":
                target = BY_NAME[str(f.ref)]
                own, theirs = foreign_key(f.link, entity.model), foreign_key(f.link, target.model)
                ids = self.session.scalars(select(getattr(f.link, theirs)).where(getattr(f.link, own) == row.id)
                                           .order_by(f.link.seq))
                values[f.name] = tuple(self.key(target, i) for i in ids)
            elif f.kind in ("child", "children"):
                child = BY_NAME[str(f.ref)]
                owner = owner_id if owner_id is not None else row.id
                column = getattr(child.model, foreign_key(child.model, _top(entity).model))
                order = [child.model.seq, child.model.id] if "seq" in child.model.__table__.c else []
                found = self.records(child, self.session.scalars(select(child.model).where(column == owner)
                                                                 .order_by(*order)), owner)
                values[f.name] = tuple(found) if f.kind == "children" else (found[0] if found else None)
        extra = {name: None for name, _, _ in entity.extra}
        return entity.record(**extra, **values)

    def key(self, entity: Entity, row_id: int) -> Any:
        if entity.name not in self._keys:
            rows = self.session.scalars(select(entity.model))
            self._keys[entity.name] = {r.id: getattr(r, str(entity.field(entity.key[0]).column_name)) for r in rows}
        return self._keys[entity.name][row_id]  # KeyError: a row refers to one that no longer exists

    def aliases(self, kind: str, target: str) -> Tuple[str, ...]:
        order = m.Alias.id if self.aliases_as_added else m.Alias.alias
        return tuple(self.session.scalars(
            select(m.Alias.alias).where(m.Alias.kind == kind, m.Alias.target == target).order_by(order)))


def _top(entity: Entity) -> Entity:
    while entity.parent is not None:
        entity = BY_NAME[entity.parent]
    return entity


def file_order(session: Session, entity: Entity) -> List[Any]:
    """An entity's rows in the order its file lists them."""
    model = entity.model
    if entity.order:
        column = getattr(model, entity.order.lstrip("-"))
        rows = session.scalars(select(model).order_by(column.desc() if entity.order.startswith("-") else column))
    elif "seq" in model.__table__.c:
        rows = session.scalars(select(model).order_by(model.seq, model.id))
    else:
        rows = session.scalars(select(model).order_by(model.id))
    rows = list(rows)
    if entity.group_by:  # kept together by the reference, in order of each group's first row
        column = str(entity.field(entity.group_by).column_name)
        groups: Dict[Any, int] = {}
        for row in rows:
            groups.setdefault(getattr(row, column), len(groups))
        rows.sort(key=lambda r: groups[getattr(r, column)])
    return rows


def snapshot(session: Session) -> KnowledgeData:
    """Everything in the kb_ tables as the records the loader produces from the files."""
    texts = tuple(
        TextItem(t.subject, t.key, t.seq, t.value)
        for t in session.scalars(select(m.SourceText).order_by(m.SourceText.subject, m.SourceText.key,
                                                                m.SourceText.seq))
    )
    reader = RecordReader(session, aliases_as_added=True)
    sections: Dict[str, Tuple[Any, ...]] = {}
    for entity in ENTITIES:
        if entity.file and entity.parent is None:
            records = reader.records(entity, file_order(session, entity))
            for name, _, _ in entity.extra:  # affiliations.csv's rows, numbered as the file would (header: 1)
                records = [replace(r, **{name: i + 2}) for i, r in enumerate(records)]
            sections[attribute(entity)] = tuple(records)
    return KnowledgeData(texts, **sections)


__all__ = ["RecordReader", "file_order", "snapshot"]
