"""Aliases: another name of a country, prefecture, place or JET position. What is theirs: the name
they stand for must exist (a position by its code), one alias once per name, and a normalised form
for matching."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import ALIAS, NAME_KINDS
from knowledge.normalize import compact

from .edits import EditRejected, row_to_edit
from .editor import Editor, Row
from .form import field

# The declaration's kinds of name, in the order the forms offer them.
ALIAS_KINDS = ("country", "prefecture", "place", "position")
assert sorted(ALIAS_KINDS) == sorted(NAME_KINDS) == sorted(ALIAS.field("kind").choices)
# Each kind's model and the column an alias's target names (untyped: SQLAlchemy 1.4's models give mypy
# no common type to join the four classes into but `object`).
_TARGETS: Dict[str, Tuple[Any, Any]] = {"country": (m.Country, m.Country.name), "prefecture": (m.Prefecture, m.Prefecture.name),
            "place": (m.Place, m.Place.name), "position": (m.JetPosition, m.JetPosition.code)}


class AliasEditor(Editor):
    entity = ALIAS
    noun = "alias"
    fields = (
        field(ALIAS, "target", "Name it stands for", widget="alias_target"),
        field(ALIAS, "alias", "Alias"),
    )

    def rows(self, session: Session, key: Any = None, kind: str = "") -> List[Row]:
        stmt = (select(m.Alias.id, m.Alias.kind, m.Alias.target, m.Alias.alias)
                .order_by(m.Alias.kind, m.Alias.target, m.Alias.id))
        if key is not None:
            stmt = stmt.where(m.Alias.id == key)
        if kind:
            stmt = stmt.where(m.Alias.kind == kind)
        return [self.row(id_, {"kind": kind_, "target": target, "alias": alias}, id=id_)
                for id_, kind_, target, alias in session.execute(stmt)]

    def audit_key(self, row: Row) -> str:
        return f"{row.kind}: {row.target} = {row.alias}"

    def clean(self, values) -> Dict[str, Any]:
        kind = values.get("kind")
        if kind not in ALIAS_KINDS:  # checked first: without it the target means nothing
            raise EditRejected("Choose what kind of name this is an alias of.")
        cleaned = {"kind": kind, **super().clean(values)}
        if not compact(cleaned["alias"]):
            raise EditRejected("An alias needs letters or digits.")
        return cleaned

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        kind, target, text = values["kind"], values["target"], values["alias"]
        model, name = _TARGETS[kind]
        if session.scalar(select(model.id).where(name == target)) is None:
            raise EditRejected(f"There is no {kind} called {target}.")
        same = session.scalar(select(m.Alias.id).where(m.Alias.kind == kind, m.Alias.target == target,
                                                       m.Alias.alias == text))
        if same is not None and same != key:
            raise EditRejected(f"{target} has the alias {text} already.")
        row = row_to_edit(session, m.Alias.id, key, m.Alias)
        row.kind, row.target, row.alias, row.norm = kind, target, text, compact(text)
        session.flush()
        return row.id

    def delete(self, session: Session, row: Row) -> Dict[str, Any]:
        session.delete(session.get(m.Alias, row.key))
        return row.describe()
