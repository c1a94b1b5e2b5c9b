"""Schema migrations (Alembic) for the project's own tables: the knowledge base (kb_*), inquiries,
notifications and the staff console. Rasa's tracker tables are Rasa's and never touched.

`upgrade(engine)` brings a database to the head revision, under a lock so that replicas starting
together take turns; a database made before migrations existed (our tables, no alembic_version) is
first adopted at the baseline, keeping every row. There is no alembic.ini: the configuration is
built here, and operators use `python -m bot db upgrade|current`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from .lock import hold_migration_lock
from .schema import project_table_names

MIGRATIONS_DIR = Path(__file__).resolve().parent
BASELINE = "0001"  # the schema as it was when migrations were introduced
ADOPTING = "adopting"  # config attribute the baseline reads: create only what a legacy database lacks


class LegacySchemaError(RuntimeError):
    """A database from before migrations whose table lacks columns the baseline has: adopting it
    would record a schema it does not have, so nothing is changed."""

    def __init__(self, table: str, missing: list[str]):
        advice = ("the kb_* tables are a copy of knowledge/data: drop them and run again to rebuild them"
                  if table.startswith("kb_") else "bring the table up to the baseline by hand")
        super().__init__(f"The database predates schema migrations and its table {table} lacks "
                         f"{', '.join(missing)}; nothing was changed ({advice}).")
        self.table, self.missing = table, missing


def alembic_config(connection: Optional[Connection] = None, *, adopting: bool = False) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")  # 0002_add_something.py
    config.attributes["connection"] = connection
    config.attributes[ADOPTING] = adopting
    return config


def head() -> str:
    current = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current is None:
        raise RuntimeError("bot/migrations/versions holds no revision")
    return current


def _revision(connection: Connection) -> Optional[str]:
    return MigrationContext.configure(connection).get_current_revision()


def current(engine: Engine) -> Optional[str]:
    """The database's revision; None when it has never been migrated (empty, or from before migrations)."""
    with engine.connect() as connection:
        return _revision(connection)


def _predates_migrations(connection: Connection) -> bool:
    return bool(project_table_names() & set(inspect(connection).get_table_names()))


@dataclass(frozen=True)
class Upgrade:
    before: Optional[str]
    after: Optional[str]
    adopted: bool  # the database predated migrations and was recorded at the baseline first

    @property
    def changed(self) -> bool:
        return self.adopted or self.before != self.after

    @property
    def summary(self) -> str:
        if self.adopted:
            return (f"The database predated schema migrations: kept its tables and rows, recorded it at "
                    f"revision {BASELINE}, and brought it to {self.after}.")
        if self.before is None:
            return f"Created the database schema (revision {self.after})."
        if self.before != self.after:
            return f"Upgraded the database schema from revision {self.before} to {self.after}."
        return f"The database schema is up to date (revision {self.after})."


def upgrade(engine: Engine, revision: str = "head") -> Upgrade:
    """Brings the database to `revision` in one transaction, holding the migration lock throughout:
    a second process waits, then finds the work done. Idempotent and quick when already there."""
    with engine.begin() as connection:
        hold_migration_lock(connection)
        before = _revision(connection)
        adopted = before is None and _predates_migrations(connection)
        if adopted:
            command.upgrade(alembic_config(connection, adopting=True), BASELINE)
        command.upgrade(alembic_config(connection), revision)
        after = _revision(connection)
    return Upgrade(before, after, adopted)
