"""Fixtures: a fresh SQLite database per test, loaded from the real data files (tests/conftest.py)."""
import pytest
from sqlalchemy import create_engine, inspect, text

from knowledge import KnowledgeBase


@pytest.fixture
def engine(kb_file):
    """A fresh SQLite database in tmp_path holding the real data files' content."""
    eng = create_engine(f"sqlite:///{kb_file}", future=True)
    yield eng
    eng.dispose()


@pytest.fixture
def kb(engine):
    return KnowledgeBase(engine)


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
