"""Preparing the knowledge base: first load, reload on change only, and rebuild after an upgrade."""
from dataclasses import replace

from sqlalchemy import create_engine, text

from bot.prepare import prepare_knowledge
from bot.settings import load_settings
from knowledge import KnowledgeBase


def settings_for(tmp_path):
    return replace(load_settings(), var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'clair.db'}")


def test_first_run_loads_and_a_second_keeps_database_edits(tmp_path, capsys):
    settings = settings_for(tmp_path)
    engine = prepare_knowledge(settings)
    assert KnowledgeBase(engine).count_affiliations() == 39
    with engine.begin() as connection:
        connection.execute(text("UPDATE kb_affiliation SET retired = 1 WHERE id = (SELECT min(id) FROM kb_affiliation)"))
    capsys.readouterr()
    prepare_knowledge(settings)
    assert "Loading the knowledge base" not in capsys.readouterr().out
    assert KnowledgeBase(create_engine(settings.database_url, future=True)).count_affiliations() == 38


def test_an_outdated_knowledge_schema_is_rebuilt_and_inquiries_are_kept(tmp_path, capsys):
    settings = settings_for(tmp_path)
    engine = prepare_knowledge(settings)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO inquiries (reference, kind, status, conversation_id, channel, "
                                "submission_key, created_at, updated_at) VALUES ('SC-2026-123456-0', 'escalation', "
                                "'new', 'c', 'rest', 'k', '2026-11-28 00:00:00', '2026-11-28 00:00:00')"))
        connection.execute(text("ALTER TABLE kb_country DROP COLUMN home"))  # as an older version made it
    prepare_knowledge(settings)
    assert "older version" in capsys.readouterr().out
    engine = create_engine(settings.database_url, future=True)
    assert KnowledgeBase(engine).country("Japan").home is True
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM inquiries")).scalar() == 1
