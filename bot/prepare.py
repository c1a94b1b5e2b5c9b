"""Gets everything the assistant runs on ready: the knowledge base in the database, the spaCy
pipeline built from its names, and a trained model (reused while its inputs are unchanged)."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from bot.database import ensure_database, held_lock, make_engine
from bot.migrations import upgrade
from bot.settings import Settings
from bot.staff import prepare_staff
from knowledge.loader import load_into_database
from knowledge.models import Meta
from knowledge.query import KnowledgeBase

FILES_HASH_KEY = "files_sha256"
# Progress lines: the commands show them (bot/cli.py), a library caller's logging decides.
log = logging.getLogger(__name__)


def files_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def database_engine(settings: Settings) -> Engine:
    return make_engine(settings.database_url)


def prepare_knowledge(settings: Settings) -> Engine:
    """Brings the database's schema to the latest migration (our tables only: kb_*, inquiries and
    the staff console's), then loads the data files when the database has no knowledge base yet or
    the files changed since the last load (edits made in the database are kept otherwise)."""
    engine = database_engine(settings)
    migration = upgrade(engine)  # locked: replicas starting together take turns
    if migration.changed:
        log.info(migration.summary)
    # Replicas starting together: one loads, the others then find the files' hash recorded.
    with held_lock(engine, "clair knowledge load"):
        reminder = prepare_staff(engine, settings)  # never reload over unexported console edits
        if reminder:
            log.info(reminder)
        wanted = files_hash(settings.knowledge_dir)
        with Session(engine) as session:
            loaded = session.scalar(select(Meta.value).where(Meta.key == FILES_HASH_KEY))
        if loaded != wanted:
            log.info("Loading the knowledge base from knowledge/data...")
            load_into_database(engine, settings.knowledge_dir, create_tables=False)
            with Session(engine) as session, session.begin():
                session.merge(Meta(key=FILES_HASH_KEY, value=wanted))
    return engine


def prepare_model(settings: Settings, engine: Engine) -> Path:
    # Imported here: spaCy and Rasa's training cost 700 MB, which the migration step does not need.
    from bot.rasa_integration.spacy_pipeline import ORGANISATION, build_pipeline
    from bot.training import train_if_needed

    kb = KnowledgeBase(engine)
    names = [(entry.kind, entry.name, entry.text) for entry in kb.all_names()]
    # Organisations are matched too (and then dropped by config.yml's `dimensions`), so that
    # the ruler reads "CLAIR Singapore" as one name rather than the country Singapore.
    names += [(ORGANISATION, name, name) for name in kb.organisation_names()]
    if build_pipeline(names, settings.spacy_model_dir):
        log.info("Built the spaCy pipeline from the knowledge base's names.")
    return train_if_needed(names, settings.models_dir)


def prepare_databases(settings: Settings) -> Engine:
    """The databases, our schema and the knowledge base: everything but the model. A deployment's
    migration step (`python -m bot db prepare`) runs this once before the servers start."""
    for url in (settings.database_url, settings.tracker_store_url):
        if ensure_database(url):  # PostgreSQL (production profile); SQLite makes its own files
            log.info(f"Created the database {make_url(url).database}.")
    return prepare_knowledge(settings)


def prepare(settings: Settings) -> Path:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return prepare_model(settings, prepare_databases(settings))
