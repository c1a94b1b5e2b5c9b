"""Keeping the database and the data files in step.

Console edits live in the database until ``python -m bot kb export`` writes them to knowledge/data/.
``guard_console_edits`` (called by bot/prepare.py before it reloads changed data files) refuses to
overwrite console edits that were never exported.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import models as m

from ..audit import record
from ..models import AuditEntry
from .edits import CONSOLE_EDIT_KEY

EXPORTED_KEY = "exported_version"  # kb_meta: the version last written to the data files


@dataclass(frozen=True)
class ExportState:
    pending: int  # console edits since the last export (0: the files have everything)
    last_export: Optional[datetime]


def _meta(session: Session, key: str) -> Optional[str]:
    return session.scalar(select(m.Meta.value).where(m.Meta.key == key))


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


class ConsoleEditsAtRisk(Exception):
    """Loading the changed data files would discard console edits never exported; nothing was loaded."""


def guard_console_edits(engine, data_dir: Path, files_hash_key: str, files_hash: str) -> Optional[str]:
    """Called before the data files are (re)loaded: if the files changed since the last load while
    the database holds console edits that were never exported, loading would silently discard those
    edits, so refuse (ConsoleEditsAtRisk, saying what to do). With unchanged files, returns a reminder."""
    with Session(engine, future=True) as session:
        if not _pending(session):
            return None
        loaded = _meta(session, files_hash_key)
    state = export_state(engine)
    if loaded is not None and loaded != files_hash:
        raise ConsoleEditsAtRisk(
            f"The knowledge base has {state.pending} change(s) made in the staff console that are not in the data "
            f"files yet, and the files in {data_dir} changed too. Loading the files now would lose the console "
            f"changes, so nothing was loaded.\n"
            f"  Keep both: run `python -m bot kb export`, then review `git diff {data_dir}` and put back any file "
            f"change the export undid.\n"
            f"  Discard the console changes: run `python -m bot kb load`.")
    return (f"Note: {state.pending} knowledge-base change(s) from the staff console are not in the data files "
            f"yet; run `python -m bot kb export` to write them there.")
