"""The console's knowledge editor, the same for every entity: list, get, save (create or update)
and remove, each one Session and, for a change, one transaction through ``commit_edit``.

An entity's editor (affiliations.py, places.py, ...) says only what differs: how its rows are
read, how a form's values are written, what identifies it in the audit log and what a removal
takes along.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from sqlalchemy.orm import Session

from knowledge.entities import Entity

from .edits import EditRejected, commit_edit
from .form import FormField, clean

# Not part of what an edit changes: alternative names are edited as aliases, an edition's longer
# description only in the data files.
_NOT_EDITED = ("aliases", "child", "children")


@dataclass(frozen=True, eq=True)
class Row:
    """One record as the console shows it: the key in its URL, the record (the entity's dataclass
    generated from its declaration) and facts the console shows beside it (``used_by``...).
    Attributes of both are read as the row's own (``row.name``, ``row.used_by``)."""

    key: Any
    record: Any
    entity: Entity = dc_field(compare=False, repr=False)
    facts: Mapping[str, Any] = dc_field(default_factory=dict)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        facts = object.__getattribute__(self, "facts")
        if name in facts:
            return facts[name]
        return getattr(object.__getattribute__(self, "record"), name)

    def describe(self) -> Dict[str, Any]:
        """The edited fields, as the audit log keeps them (before/after)."""
        return {f.name: list(v) if isinstance(v, tuple) else v
                for f in self.entity.fields if f.kind not in _NOT_EDITED
                for v in (getattr(self.record, f.name),)}

    def form_values(self) -> Dict[str, Any]:
        """The values an edit form starts from (empty text for none)."""
        return {k: "" if v is None else v for k, v in self.describe().items()}


class Editor:
    entity: Entity
    noun: str  # "affiliation": "There is no such affiliation."
    fields: Tuple[FormField, ...] = ()
    removable = True

    @property
    def audit_entity(self) -> str:
        return f"kb.{self.noun}"

    # -- what each entity says ------------------------------------------------------------------
    def rows(self, session: Session, key: Any = None) -> List[Row]:
        """The rows (``key``: only that one). An editor whose list has a filter takes it as a keyword
        of its own (affiliations: ``country``, aliases: ``kind``), passed on by ``list``."""
        raise NotImplementedError

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        """Write ``values`` into the entity's rows (``key`` None: a new one); returns its key."""
        raise NotImplementedError

    def audit_key(self, row: Row) -> str:
        return str(row.key)

    def check(self, values: Dict[str, Any]) -> None:
        """Rules on the cleaned values that need no database."""

    def delete(self, session: Session, row: Row) -> Dict[str, Any]:
        """Delete ``row`` and what goes with it; returns the state the audit log keeps."""
        raise NotImplementedError

    def row(self, key: Any, record_values: Dict[str, Any], **facts) -> Row:
        return Row(key, self.entity.record(**record_values), self.entity, facts)

    # -- the same for every entity ------------------------------------------------------------------
    def find(self, session: Session, key: Any) -> Row:
        found = self.rows(session, key)
        if not found:
            raise EditRejected(f"There is no such {self.noun}.")
        return found[0]

    def list(self, engine, **filters: str) -> List[Row]:
        with Session(engine, future=True) as session:
            return self.rows(session, **filters)

    def get(self, engine, key: Any) -> Optional[Row]:
        with Session(engine, future=True) as session:
            found = self.rows(session, key)
            return found[0] if found else None

    def clean(self, values: Mapping[str, Any]) -> Dict[str, Any]:
        cleaned = clean(self.fields, values)
        self.check(cleaned)
        return cleaned

    def save(self, engine, actor_id: Optional[int], key: Any, values: Mapping[str, Any]) -> Any:
        """Create (``key`` None) or update a record from a form's values; returns its key."""
        cleaned = self.clean(values)
        with Session(engine, future=True) as session, session.begin():
            before = None if key is None else self.find(session, key).describe()
            new_key = self.apply(session, key, cleaned)
            session.flush()
            after = self.find(session, new_key)
            if before == after.describe():
                return new_key  # nothing changed: no audit entry, no new version
            commit_edit(session, actor_id, "created" if key is None else "updated", self.audit_entity,
                        self.audit_key(after), before, after.describe())
            return new_key

    def remove(self, engine, actor_id: Optional[int], key: Any) -> None:
        with Session(engine, future=True) as session, session.begin():
            row = self.find(session, key)
            before = self.delete(session, row)
            commit_edit(session, actor_id, "removed", self.audit_entity, self.audit_key(row), before, None)


class RetiringEditor(Editor):
    """An editor whose records are retired and restored instead of removed: they stay on file, marked."""

    removable = False
    flag = "retired"  # the record's field (and the stored row's column) that marks it
    retire_action = "retired"  # the audit log's word for it

    def stored(self, session: Session, key: Any) -> Any:
        """The ORM row the mark is set on."""
        raise NotImplementedError

    def set_retired(self, engine, actor_id: Optional[int], key: Any, retired: bool) -> None:
        """Retire a record (it stays on file, marked, and is no longer answered) or restore it."""
        with Session(engine, future=True) as session, session.begin():
            before = self.find(session, key)
            if getattr(before, self.flag) == retired:
                return
            setattr(self.stored(session, key), self.flag, retired)
            session.flush()
            after = self.find(session, key)
            commit_edit(session, actor_id, self.retire_action if retired else "restored", self.audit_entity,
                        self.audit_key(after), before.describe(), after.describe())
