"""JET positions, identified by their code. What is theirs: a code needs letters or digits, a new one
goes last, aliases follow a changed code, and a removal takes the aliases along."""
from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import JET_POSITION
from knowledge.normalize import compact

from .edits import EditRejected, refuse_taken, retarget_aliases, row_to_edit
from .editor import Editor, Row
from .form import field


class PositionEditor(Editor):
    entity = JET_POSITION
    noun = "position"
    fields = (
        field(JET_POSITION, "code", "Code", hint="As visitors type it, e.g. ALT. Matched in capitals only."),
        field(JET_POSITION, "name", "Name (singular)"),
        field(JET_POSITION, "description", "What they do", widget="textarea"),
        field(JET_POSITION, "workplace", "Where they work", note="(optional; empty when the source does not say)"),
    )

    def rows(self, session: Session, key: Any = None) -> List[Row]:
        stmt = select(m.JetPosition).order_by(m.JetPosition.seq, m.JetPosition.code)
        if key is not None:
            stmt = stmt.where(m.JetPosition.code == key)
        return [self.row(p.code, {"code": p.code, "name": p.name, "description": p.description,
                                  "workplace": p.workplace, "aliases": _aliases(session, p.code)})
                for p in session.scalars(stmt)]

    def check(self, values: Dict[str, Any]) -> None:
        if not compact(values["code"]):
            raise EditRejected("Code needs letters or digits.")

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        code = values["code"]
        refuse_taken(session, m.JetPosition.code, m.JetPosition.code, code, key,
                     f"There is a position with the code {code} already.")
        row = row_to_edit(session, m.JetPosition.code, key, lambda: m.JetPosition(seq=session.scalar(
            select(func.coalesce(func.max(m.JetPosition.seq), -1) + 1))))  # a new one goes last
        if key is not None:
            retarget_aliases(session, "position", key, code)
        row.code, row.name, row.description, row.workplace = code, values["name"], values["description"], \
            values["workplace"]
        return code

    def delete(self, session: Session, row: Row) -> Dict[str, Any]:
        session.execute(delete(m.Alias).where(m.Alias.kind == "position", m.Alias.target == row.key))
        session.execute(delete(m.JetPosition).where(m.JetPosition.code == row.key))
        return {**row.describe(), "aliases": list(row.aliases)}


def _aliases(session: Session, code: str):
    return tuple(session.scalars(select(m.Alias.alias).where(m.Alias.kind == "position", m.Alias.target == code)
                                 .order_by(m.Alias.id)))
