"""The transaction every console edit of the knowledge base goes through.

An edit
  1. applies the change to the kb_ tables,
  2. runs the data files' own checks on the result (knowledge.export.validate: the database is
     rendered as the files would hold it and loaded by the loader), so the database never holds
     what the files could not, and ``kb export`` always works,
  3. records the change in the audit trail with the state before and after,
  4. bumps the knowledge base's version and marks it as edited in the console.
The running assistant reads the database on every message, so a committed edit is answered at once.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.errors import KnowledgeError
from knowledge.export import validate
from knowledge.snapshot import snapshot
from knowledge.writer import bump_version

from ..audit import record

log = logging.getLogger(__name__)

CONSOLE_EDIT_KEY = "console_edited_version"  # kb_meta: the version the last console edit produced


class EditRejected(Exception):
    """The change was not made; ``errors`` say why (shown to staff as is)."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


def commit_edit(session: Session, actor_id: Optional[int], action: str, entity: str, key: str,
                before, after) -> None:
    """Check, audit and version the change made in ``session`` (committed by the caller's block)."""
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


def refuse_taken(session: Session, key_column, column, value, key, message: str) -> None:
    """Refuses ``value`` for ``column`` when another row than ``key`` (a ``key_column`` value) holds it."""
    holder = session.scalar(select(key_column).where(column == value))
    if holder is not None and holder != key:
        raise EditRejected(message)


def row_to_edit(session: Session, key_column, key: Any, new: Callable[[], Any]):
    """The row an edit writes into: the one whose ``key_column`` is ``key``, or (``key`` None) ``new()``,
    added to the session."""
    if key is None:
        row = new()
        session.add(row)
        return row
    return session.scalar(select(key_column.class_).where(key_column == key))


def retarget_aliases(session: Session, kind: str, old: str, new: str) -> None:
    """Aliases name what they stand for: when a place's name or a position's code changes, they follow."""
    if old != new:
        session.execute(update(m.Alias).where(m.Alias.kind == kind, m.Alias.target == old)
                        .values(target=new).execution_options(synchronize_session=False))


def by_name(session: Session, model, name: Optional[str], label: str):
    """The row of ``model`` called ``name``: a form's choice, so anything else is refused."""
    row = session.scalar(select(model).where(model.name == name)) if name else None
    if row is None:
        raise EditRejected(f"Choose a {label} from the list.")
    return row
