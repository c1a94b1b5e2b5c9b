"""Fixtures several test folders share; a fixture only one folder uses stays in that folder's conftest.

The real knowledge base is loaded once per session (a full load takes a while, and used to be
repeated by each folder) and every test gets its own copy, so no test sees another's writes.
"""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from knowledge import DATA_DIR, load_into_database


@pytest.fixture(scope="session")
def loaded_kb_file(tmp_path_factory) -> Path:
    """The real data files loaded once into a SQLite file whose schema is the migrations' (as the
    application's is). Never written to: tests take a copy (kb_file) or build a template from one."""
    from bot.migrations import upgrade

    path = tmp_path_factory.mktemp("kb") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}", future=True)
    upgrade(engine)
    load_into_database(engine, DATA_DIR, create_tables=False)
    engine.dispose()
    return path


@pytest.fixture
def kb_file(tmp_path, loaded_kb_file) -> Path:
    """This test's own copy of the loaded knowledge base, in tmp_path."""
    path = tmp_path / "kb.sqlite3"
    shutil.copyfile(loaded_kb_file, path)
    return path


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the real data directory (for malformed files, or exports to write into)."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
