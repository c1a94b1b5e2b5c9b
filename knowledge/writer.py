"""Write validated KnowledgeData into the kb_ tables (one transaction, all or nothing).

Rows are made from the declarations (entities.py): a field's column, a reference's id, the link
rows of a list of references, the alias rows, and nested records under their owner's id.
"""
from typing import Any, Dict, Iterable

from sqlalchemy import delete
from sqlalchemy.orm import Session

from .entities import BY_NAME, ENTITIES, Entity, Field
from .models import CONTENT_MODELS, Alias, Meta, SourceText
from .normalize import compact
from .records import KnowledgeData


def _aliases(kind: str, target: str, aliases: Iterable[str]):
    """Alias rows of one target; a repeated alias is stored once."""
    unique = dict.fromkeys(aliases)
    return [Alias(kind=kind, target=target, alias=a, norm=compact(a)) for a in unique]


def bump_version(session: Session) -> int:
    """Increase the KB version so caches built on names know they are stale."""
    meta = session.get(Meta, "version")
    version = int(meta.value) + 1 if meta else 1
    session.merge(Meta(key="version", value=str(version)))
    return version


def replace_contents(engine, data: KnowledgeData) -> None:
    with Session(engine, future=True) as session, session.begin():
        for model in CONTENT_MODELS:
            session.execute(delete(model))
        _insert(session, data)
        bump_version(session)


def key_of(entity: Entity, record) -> Any:
    """What identifies a record: its key's value (a tuple when the key has several fields)."""
    values = tuple(getattr(record, k) for k in entity.key)
    return values[0] if len(values) == 1 else values


def foreign_key(model: Any, target: Any) -> str:
    """The column of ``model`` that refers to ``target``'s table."""
    for column in model.__table__.columns:
        if any(fk.column.table is target.__table__ for fk in column.foreign_keys):
            return column.name
    raise LookupError(f"{model.__name__} has no reference to {target.__name__}")


class _Inserter:
    """Adds the rows of every entity, parents first; remembers each row by its key for references."""

    def __init__(self, session: Session):
        self.session = session
        self.rows: Dict[str, Dict[Any, Any]] = {}  # entity -> key value -> ORM row

    def add(self, entity: Entity, records) -> None:
        rows = self.rows.setdefault(entity.name, {})
        has_seq = "seq" in entity.model.__table__.c
        for i, record in enumerate(records):
            row = self.row(entity, record, seq=i if has_seq else None)
            rows[key_of(entity, record)] = row
        self.session.flush()  # ids for the rows that refer to these
        for record in records:
            self.links(entity, record, rows[key_of(entity, record)])

    def row(self, entity: Entity, record, **extra) -> Any:
        values = {k: v for k, v in extra.items() if v is not None}
        for f in entity.column_fields:
            values[str(f.column_name)] = self.value(f, record)
        row = entity.model(**values)
        self.session.add(row)
        return row

    def value(self, f: Field, record) -> Any:
        value = getattr(record, f.name)
        if f.fallback and not value:
            value = getattr(record, f.fallback)
        if f.kind == "ref":
            return self.rows[str(f.ref)][value].id
        if f.kind == "list":  # a JSON column
            return list(value)
        return value

    def links(self, entity: Entity, record, row) -> None:
        """What hangs on a stored row: aliases, link rows, nested records (with the row's id)."""
        for f in entity.fields:
            value = getattr(record, f.name)
            if f.kind == "aliases":
                self.session.add_all(_aliases(str(entity.alias_kind), key_of(entity, record), value))
            elif f.kind == "refs":
                target = BY_NAME[str(f.ref)]
                own, theirs = foreign_key(f.link, entity.model), foreign_key(f.link, target.model)
                self.session.add_all(f.link(**{own: row.id, theirs: self.rows[target.name][v].id, "seq": i})
                                     for i, v in enumerate(value))
            elif f.kind in ("child", "children") and value:
                self.nested(BY_NAME[str(f.ref)], value if f.kind == "children" else (value,), entity, row)

    def nested(self, child: Entity, records, owner: Entity, owner_row) -> None:
        """Records nested in a record of ``owner``, keyed by the owner's id (as their table says)."""
        owner_key = foreign_key(child.model, owner.model)
        has_seq = "seq" in child.model.__table__.c
        for i, record in enumerate(records):
            self.row(child, record, **{owner_key: owner_row.id, "seq": i if has_seq else None})
            for f in child.fields:
                value = getattr(record, f.name)
                if f.kind in ("child", "children") and value:
                    self.nested(BY_NAME[str(f.ref)], value if f.kind == "children" else (value,), owner, owner_row)


def _insert(session: Session, data: KnowledgeData) -> None:
    session.add_all(SourceText(subject=t.subject, key=t.key, seq=t.seq, value=t.value) for t in data.texts)
    inserter = _Inserter(session)
    for entity in ENTITIES:
        if entity.file and entity.parent is None:
            inserter.add(entity, data.records(entity))


__all__ = ["replace_contents", "bump_version", "foreign_key", "key_of"]
