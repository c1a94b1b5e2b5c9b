"""Preparing the database: the schema from the migrations, the knowledge base loaded on first run and
reloaded on change only, and a database from before migrations adopted with everything in it."""
import logging
import threading
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bot.inquiries.service import escalate
from bot.migrations import current, head
from bot.migrations.schema import project_metadata
from bot.prepare import FILES_HASH_KEY, files_hash, prepare_knowledge
from bot.settings import load_settings
from knowledge import KnowledgeBase, load_into_database
from knowledge.models import Meta
from tests.bot.scratch_postgres import scratch_database_url


def settings_for(tmp_path, database_url=None):
    return replace(load_settings(), var_dir=tmp_path,
                   database_url=database_url or f"sqlite:///{tmp_path / 'clair.db'}")


@pytest.fixture
def pg_url():
    with scratch_database_url("clair_prepare_test", create=True) as url:
        yield url


def progress(caplog) -> str:
    """What prepare said (its progress lines are logged; the commands show them), since last asked."""
    said = "\n".join(caplog.messages)
    caplog.clear()
    return said


def test_first_run_migrates_and_loads_and_a_second_keeps_database_edits(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot")
    settings = settings_for(tmp_path)
    engine = prepare_knowledge(settings)
    out = progress(caplog)
    assert f"Created the database schema (revision {head()})" in out and "Loading the knowledge base" in out
    assert current(engine) == head()
    assert KnowledgeBase(engine).count_affiliations() == 39
    with engine.begin() as connection:
        connection.execute(text("UPDATE kb_affiliation SET retired = 1 WHERE id = (SELECT min(id) FROM kb_affiliation)"))
    prepare_knowledge(settings)
    out = progress(caplog)
    assert "Loading the knowledge base" not in out and "schema" not in out  # nothing to do, nothing said
    assert KnowledgeBase(create_engine(settings.database_url, future=True)).count_affiliations() == 38


LATER_TABLES = ("kb_staff_answer",)  # and staff answers (0003)


def test_a_database_from_before_migrations_keeps_its_inquiries_and_console_edits(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot")
    settings = settings_for(tmp_path)
    # What the previous version of prepare left behind: tables from create_all, the knowledge base
    # loaded with its files' hash, an inquiry, and a knowledge edit made in the staff console.
    engine = create_engine(settings.database_url, future=True)
    for metadata in project_metadata():  # the tables of then: the feedback loop's came with migration 0002
        metadata.create_all(engine, tables=[t for t in metadata.sorted_tables if not t.name.startswith("feedback_")])
    load_into_database(engine, settings.knowledge_dir)
    with engine.begin() as connection:  # today's loader makes every kb_ table; staff answers came with 0003
        for name in LATER_TABLES:
            connection.execute(text(f"DROP TABLE {name}"))
    with Session(engine) as session, session.begin():
        session.merge(Meta(key=FILES_HASH_KEY, value=files_hash(settings.knowledge_dir)))
    reference = escalate(engine, "conversation-1", "rest", "Please call me", submission_key="k1").reference
    with engine.begin() as connection:
        connection.execute(text("UPDATE kb_affiliation SET retired = 1 WHERE id = (SELECT min(id) FROM kb_affiliation)"))
    engine.dispose()

    engine = prepare_knowledge(settings)

    out = progress(caplog)
    assert "predated schema migrations" in out
    assert "Loading the knowledge base" not in out  # same files: the console edit is not loaded over
    assert current(engine) == head()
    assert KnowledgeBase(engine).count_affiliations() == 38
    with engine.connect() as connection:
        assert connection.execute(text("SELECT reference FROM inquiries")).scalars().all() == [reference]


def test_replicas_preparing_one_postgresql_database_at_once_migrate_and_load_it_once(tmp_path, pg_url, caplog):
    caplog.set_level(logging.INFO, logger="bot")
    settings = settings_for(tmp_path, pg_url)
    barrier, errors, engines = threading.Barrier(2), [], []

    def start_replica():
        try:
            barrier.wait(timeout=30)
            engines.append(prepare_knowledge(settings))
        except BaseException as error:  # noqa: BLE001 -- reported below
            errors.append(error)

    replicas = [threading.Thread(target=start_replica) for _ in range(2)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=120)
    try:
        assert errors == []
        out = progress(caplog)
        assert out.count("Created the database schema") == 1
        assert out.count("Loading the knowledge base") == 1  # the second found the files' hash recorded
        assert KnowledgeBase(engines[0]).count_affiliations() == 39
    finally:
        for engine in engines:
            engine.dispose()
