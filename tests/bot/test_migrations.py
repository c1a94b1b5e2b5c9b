"""Schema migrations (bot.migrations) on SQLite and on the machine's real PostgreSQL: from empty to
head, the models and the migrated database agree, databases from before migrations are adopted with
their rows, and replicas upgrading one PostgreSQL database at once take turns."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect, text

from bot.cli import main as bot_main
from bot.database import make_engine, migrated_engine
from bot.inquiries.service import escalate
from bot.migrations import LegacySchemaError, current, head, upgrade
from bot.migrations.lock import MIGRATION_LOCK_KEY
from bot.migrations.schema import include_name, project_metadata
from knowledge import DATA_DIR, load_into_database
from tests.bot.scratch_postgres import name_of, on_server, scratch_database_url


@contextmanager
def created(url: str):
    """An engine on `url`, the PostgreSQL database created first."""
    if url.startswith("postgresql"):
        on_server(f'CREATE DATABASE "{name_of(url)}"')
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database's URL (not yet created on PostgreSQL), on each backend we support."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clair.db'}"
    else:
        with scratch_database_url("clair_migrations_test", create=False) as url:
            yield url


@pytest.fixture
def engine(database_url):
    with created(database_url) as engine:
        yield engine


@pytest.fixture
def pg_url():
    with scratch_database_url("clair_migrations_test", create=False) as url:
        yield url


def differences(engine, metadata=None) -> list:
    """What Alembic's autogenerate would write to make the database match the models: empty when the
    migrations and the models agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name, "compare_type": True})
        return compare_metadata(context, metadata if metadata is not None else list(project_metadata()))


def schema_snapshot(engine) -> dict:
    """Every reflected detail of our tables, order-insensitive (a migration appends columns), including
    what compare_metadata leaves out: server defaults and check constraints."""
    inspector = inspect(engine)
    snapshot = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        snapshot[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c["default"]))
                              for c in inspector.get_columns(table)),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted((fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"])) for fk in inspector.get_foreign_keys(table)),
            "unique": sorted((u["name"] or "", tuple(u["column_names"]))
                             for u in inspector.get_unique_constraints(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "checks": sorted((c["name"] or "", c["sqltext"]) for c in inspector.get_check_constraints(table)),
        }
    return snapshot


def create_all(engine) -> None:
    """Every model's table, created where missing."""
    for metadata in project_metadata():
        metadata.create_all(engine)


# Tables that later migrations add: a database from before migrations never had them.
def added_after_baseline(name: str) -> bool:
    return name.startswith("feedback_") or name == "kb_staff_answer"


def create_legacy(engine, metadata_list=None) -> None:
    """What the project did before migrations: every model's table of then, created where missing."""
    for metadata in metadata_list or project_metadata():
        metadata.create_all(engine, tables=[t for t in metadata.sorted_tables if not added_after_baseline(t.name)])


def count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(text(f"SELECT count(*) FROM {table}"))


# --- from empty to head ---------------------------------------------------------------------------

def test_an_empty_database_is_upgraded_to_head_and_matches_the_models(engine):
    assert current(engine) is None
    result = upgrade(engine)
    assert (result.before, result.after, result.adopted) == (None, head(), False)
    assert current(engine) == head()
    assert differences(engine) == []
    # Only our tables and Alembic's: Rasa's tracker tables are not ours to make.
    ours = {table.name for metadata in project_metadata() for table in metadata.sorted_tables}
    assert set(inspect(engine).get_table_names()) == ours | {"alembic_version"}


def test_the_migrated_schema_is_the_one_create_all_made_in_every_detail(database_url, tmp_path):
    """Also server defaults and check constraints, which compare_metadata does not look at, and which
    SQLite's batch mode could silently lose when it copies a table."""
    other = (f"sqlite:///{tmp_path / 'create_all.db'}" if database_url.startswith("sqlite")
             else database_url + "_create_all")
    try:
        with created(database_url) as migrated, created(other) as made:
            upgrade(migrated)
            create_all(made)
            assert schema_snapshot(migrated) == schema_snapshot(made)
    finally:
        if other.startswith("postgresql"):
            on_server(f'DROP DATABASE IF EXISTS "{name_of(other)}" WITH (FORCE)')


def test_the_comparison_catches_a_model_changed_without_a_migration(engine):
    """The guard above is only worth something if a drifted model shows up in it."""
    upgrade(engine)
    changed = MetaData()
    for metadata in project_metadata():
        for table in metadata.sorted_tables:
            table.to_metadata(changed)
    changed.tables["kb_country"].append_column(Column("capital", String(128), nullable=True))
    found = differences(engine, changed)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "kb_country", "capital")]


def test_a_second_upgrade_changes_nothing(engine):
    upgrade(engine)
    result = upgrade(engine)
    assert (result.before, result.after, result.changed) == (head(), head(), False)
    assert "up to date" in result.summary


def test_rasa_tables_in_the_same_database_are_left_alone(engine):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255))"))
        connection.execute(text("INSERT INTO events (id, sender_id) VALUES (1, 'visitor')"))
    result = upgrade(engine)
    assert result.adopted is False  # a foreign table does not make the database "pre-migration"
    assert differences(engine) == []  # and is never proposed for dropping
    assert count(engine, "events") == 1


# --- databases from before migrations ------------------------------------------------------------

def test_a_database_from_before_migrations_is_adopted_and_keeps_its_rows(engine):
    create_legacy(engine)
    load_into_database(engine, DATA_DIR)
    with engine.begin() as connection:  # today's loader makes every kb_ table; the old project had fewer
        for name in [n for n in inspect(connection).get_table_names() if added_after_baseline(n)]:
            connection.execute(text(f"DROP TABLE {name}"))
    reference = escalate(engine, "conversation-1", "rest", "Please call me", submission_key="k1").reference
    with engine.begin() as connection:  # a knowledge edit made in the staff console
        connection.execute(text("UPDATE kb_affiliation SET retired = :yes WHERE id = (SELECT min(id) FROM kb_affiliation)"),
                           {"yes": True})
    affiliations = count(engine, "kb_affiliation")

    result = upgrade(engine)

    assert (result.before, result.after, result.adopted) == (None, head(), True)
    assert "predated schema migrations" in result.summary
    assert current(engine) == head()
    assert differences(engine) == []
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT reference FROM inquiries")) == reference
        assert connection.scalar(text("SELECT count(*) FROM kb_affiliation WHERE retired = :yes"), {"yes": True}) == 1
    assert count(engine, "kb_affiliation") == affiliations
    assert count(engine, "notifications") == 1


def test_a_database_older_than_the_staff_console_gets_the_console_tables(tmp_path):
    with created(f"sqlite:///{tmp_path / 'old.db'}") as engine:
        create_legacy(engine, project_metadata()[:2])  # the knowledge base and inquiries
        escalate(engine, "conversation-1", "rest", None, submission_key="k1")
        assert upgrade(engine).adopted
        assert {"staff_accounts", "staff_sessions", "staff_audit"} <= set(inspect(engine).get_table_names())
        assert differences(engine) == []
        assert count(engine, "inquiries") == 1


def test_a_pre_migration_table_lacking_a_column_is_refused_and_nothing_changes(engine):
    """Adopting it would record a schema it does not have. The refusal rolls back the tables the
    baseline had already created (transactional DDL: PostgreSQL's, and SQLite's under BEGIN IMMEDIATE)."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE inquiries (id INTEGER PRIMARY KEY, reference VARCHAR(32))"))
        connection.execute(text("INSERT INTO inquiries (id, reference) VALUES (1, 'SC-2026-123456-0')"))
    with pytest.raises(LegacySchemaError, match="inquiries lacks .*submission_key"):
        upgrade(engine)
    assert set(inspect(engine).get_table_names()) == {"inquiries"}  # no kb_* tables, no alembic_version
    assert count(engine, "inquiries") == 1


# --- replicas starting together -------------------------------------------------------------------

def run_together(count_: int, work):
    """Runs work(i) in `count_` threads released at the same instant; returns the results in order, or
    raises the first error."""
    barrier = threading.Barrier(count_)
    results, errors = [None] * count_, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 -- reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count_)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def test_concurrent_upgrades_of_one_postgresql_database_both_succeed(pg_url):
    with created(pg_url) as engine:
        replicas = [make_engine(pg_url) for _ in range(2)]  # one connection pool each, as two servers have
        try:
            results = run_together(2, lambda i: upgrade(replicas[i]))
        finally:
            for replica in replicas:
                replica.dispose()
        # One made the schema; the other waited for the lock and found it made.
        assert sorted((r.before or "", r.after) for r in results) == [("", head()), (head(), head())]
        assert count(engine, "alembic_version") == 1
        assert differences(engine) == []


def test_an_upgrade_waits_while_another_holds_the_migration_lock(pg_url):
    with created(pg_url) as engine, engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        upgrading = threading.Thread(target=upgrade, args=(engine,))
        upgrading.start()
        time.sleep(1.5)
        assert upgrading.is_alive()
        assert "alembic_version" not in inspect(holder).get_table_names()
        holder.rollback()  # the other "replica" is done: its lock goes with its transaction
        upgrading.join(timeout=60)
        assert not upgrading.is_alive()
        assert current(engine) == head()


def test_replicas_starting_on_a_fresh_server_create_the_database_and_schema_once(pg_url):
    engines = run_together(3, lambda i: migrated_engine(pg_url))
    try:
        assert {current(engine) for engine in engines} == {head()}
        assert differences(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()


# --- the operators' commands ---------------------------------------------------------------------

def test_db_current_and_db_upgrade_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'clair.db'}")
    assert bot_main(["db", "current"]) == 1  # not at head: a deployment can check before starting
    assert "none; the head revision is" in capsys.readouterr().out
    assert bot_main(["db", "upgrade"]) == 0
    assert f"Created the database schema (revision {head()})" in capsys.readouterr().out
    assert bot_main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip() == f"{head()} (head)"


def test_db_revision_drafts_a_migration_for_a_changed_model(tmp_path, monkeypatch, capsys):
    """The developers' path: change a model, `db revision -m ...`, and the draft brings a database
    to the changed models. Written into a copy of the migrations folder, never the project's."""
    import shutil

    import bot.migrations
    import bot.migrations.schema

    folder = tmp_path / "migrations"
    shutil.copytree(bot.migrations.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(bot.migrations, "MIGRATIONS_DIR", folder)
    changed = MetaData()
    for metadata in project_metadata():
        for table in metadata.sorted_tables:
            table.to_metadata(changed)
    changed.tables["kb_country"].append_column(Column("capital", String(128), nullable=True))
    monkeypatch.setattr(bot.migrations.schema, "project_metadata", lambda: (changed,))

    base = head()
    following = f"{int(base) + 1:04d}"
    assert bot_main(["db", "revision", "-m", "capital of a country"]) == 0
    draft = folder / "versions" / f"{following}_capital_of_a_country.py"
    assert str(draft) in capsys.readouterr().out
    script = draft.read_text()
    assert f"down_revision: Union[str, Sequence[str], None] = '{base}'" in script
    assert "batch_op.add_column(sa.Column('capital', sa.String(length=128), nullable=True))" in script
    assert "import bot" not in script and "UTCDateTime" not in script  # plain database types only

    with created(f"sqlite:///{tmp_path / 'clair.db'}") as engine:
        assert upgrade(engine).after == following
        assert differences(engine, changed) == []
