import shutil

import pytest
from sqlalchemy import create_engine

from knowledge import KnowledgeBase


@pytest.fixture(scope="session")
def kb_names(loaded_kb_file):
    """(kind, name, surface) rows of the real knowledge base (tests/conftest.py), as the pipeline
    builder takes them."""
    engine = create_engine(f"sqlite:///{loaded_kb_file}", future=True)
    names = [(entry.kind, entry.name, entry.text) for entry in KnowledgeBase(engine).all_names()]
    engine.dispose()
    return names


@pytest.fixture
def project_copy(tmp_path):
    """The training inputs (config, domain, data) copied to a scratch folder."""
    from bot.settings import PROJECT_ROOT

    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    return tmp_path
