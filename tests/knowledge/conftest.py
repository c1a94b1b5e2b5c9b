"""Fixtures: a fresh SQLite database per test, loaded from the real data files."""
import shutil

import pytest
from sqlalchemy import create_engine, inspect, text

from knowledge import DATA_DIR, KnowledgeBase, load_into_database


@pytest.fixture(scope="session")
def loaded_database(tmp_path_factory):
    """The real data files loaded once; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("kb") / "template.sqlite3"
    eng = create_engine(f"sqlite:///{path}", future=True)
    load_into_database(eng, DATA_DIR)
    eng.dispose()
    return path


@pytest.fixture
def engine(tmp_path, loaded_database):
    """A fresh SQLite database in tmp_path holding the real data files' content."""
    path = tmp_path / "kb.sqlite3"
    shutil.copyfile(loaded_database, path)
    eng = create_engine(f"sqlite:///{path}", future=True)
    yield eng
    eng.dispose()


@pytest.fixture
def kb(engine):
    return KnowledgeBase(engine)


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the real data directory, for building malformed cases."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def dump():
    """Returns a function that dumps a database (see _dump)."""
    return _dump


def _dump(engine):
    """Every row of every kb_ table (minus timestamps and the version counter),
    to compare database contents before and after a load."""
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            if not table.startswith("kb_") or table == "kb_meta":
                continue
            columns = [c["name"] for c in inspect(conn).get_columns(table)
                       if c["name"] not in ("created_at", "updated_at")]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}")).all()
            out[table] = sorted(tuple(r) for r in rows)
    return out
