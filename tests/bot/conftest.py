import shutil

import pytest
from sqlalchemy import create_engine

from knowledge import DATA_DIR, KnowledgeBase, load_into_database


@pytest.fixture(scope="session")
def kb_names(tmp_path_factory):
    """(kind, name, surface) rows of the real knowledge base, as the pipeline builder takes them."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}", future=True)
    load_into_database(engine, DATA_DIR)
    return [(entry.kind, entry.name, entry.text) for entry in KnowledgeBase(engine).all_names()]


@pytest.fixture
def project_copy(tmp_path):
    """The training inputs (config, domain, data) copied to a scratch folder."""
    from bot.settings import PROJECT_ROOT

    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    return tmp_path
