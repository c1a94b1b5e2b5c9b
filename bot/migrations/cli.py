"""Commands: ``db prepare``, ``db upgrade``, ``db current`` and, for developers, ``db revision -m MESSAGE``.

bot/cli.py calls ``register(subparsers)``; every command sets ``handler`` (returning the exit code).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bot.settings import load_settings


def cmd_upgrade(args: argparse.Namespace) -> int:
    from bot.database import ensure_database, make_engine

    from . import upgrade

    settings = load_settings()
    ensure_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        print(upgrade(engine).summary)
    finally:
        engine.dispose()
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    """A deployment's migration step: both databases created when missing, our schema at head, the
    knowledge base loaded when knowledge/data changed since the last load (console edits kept)."""
    from bot.prepare import prepare_databases

    prepare_databases(load_settings()).dispose()
    print("The databases are ready.")
    return 0


def cmd_current(args: argparse.Namespace) -> int:
    """Exit code 0 only at the head revision, so a deployment can check before starting servers."""
    from bot.database import make_engine

    from . import current, head

    engine = make_engine(load_settings().database_url)
    try:
        revision = current(engine)
    finally:
        engine.dispose()
    latest = head()
    if revision == latest:
        print(f"{revision} (head)")
        return 0
    print(f"{revision or 'none'}; the head revision is {latest}: run `python -m bot db upgrade`.")
    return 1


def cmd_revision(args: argparse.Namespace) -> int:
    """Writes a draft migration: what the models have that the head revision lacks, found by comparing
    them with a scratch SQLite database upgraded to head. Review it (and add data moves) before use."""
    from alembic import command
    from alembic.script import Script

    from bot.database import make_engine

    from . import alembic_config, head, upgrade

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            upgrade(engine)
            with engine.begin() as connection:
                script = command.revision(alembic_config(connection), message=args.message, autogenerate=True,
                                          rev_id=f"{int(head()) + 1:04d}")
        finally:
            engine.dispose()
    if not isinstance(script, Script):
        print("No migration was written (Alembic returned no single revision).")
        return 1
    print(f"Wrote {script.path}; review it, then run the migration tests (tests/bot/test_migrations.py).")
    return 0


def register(commands) -> None:
    db = commands.add_parser("db", help="the database schema (migrations of our tables)")
    sub = db.add_subparsers(dest="db_command", required=True)
    sub.add_parser("prepare", help="create the databases when missing, upgrade the schema and load the knowledge "
                   "base when knowledge/data changed (a deployment's migration step)").set_defaults(handler=cmd_prepare)
    sub.add_parser("upgrade", help="bring DATABASE_URL's schema to the latest revision").set_defaults(handler=cmd_upgrade)
    sub.add_parser("current", help="print the database's revision (exit code 1 when not the latest)"
                   ).set_defaults(handler=cmd_current)
    revision = sub.add_parser("revision", help="(developers) draft a migration from the models' changes")
    revision.add_argument("-m", "--message", required=True, help="what the change is for")
    revision.set_defaults(handler=cmd_revision)
