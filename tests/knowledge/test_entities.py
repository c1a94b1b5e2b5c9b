"""The entity and text-fact declarations (knowledge/entities.py) are the one home of each field:
the loader, the writer, the snapshot, the export and the query readers follow them."""
import shutil
from dataclasses import fields, replace
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from knowledge import DATA_DIR, load_files, load_into_database
from knowledge import models as m
from knowledge.documents import affiliations_csv, fact_document, record_document
from knowledge.entities import ENTITIES, PLACE, TEXT_FACTS, Entity, Field
from knowledge.parsers import parse_affiliations
from knowledge.records import attribute
from knowledge.rows import read_record, read_texts
from knowledge.snapshot import snapshot
from knowledge.validation import Fields, Problems
from knowledge.writer import key_of

TOP_LEVEL = [e for e in ENTITIES if e.file and e.parent is None]
# Columns no field declares: surrogate ids, list order, timestamps, the owner's id of nested rows.
UNDECLARED = {"id", "seq", "created_at", "updated_at"}


STAFF_ANSWERS = Path(__file__).resolve().parents[1] / "eval" / "staff_answers_fixture.yml"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The real files, with staff answers (the real file has none yet) from the matcher's fixture."""
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA_DIR, folder)
    shutil.copy(STAFF_ANSWERS, folder / "staff_answers.yml")
    return folder


@pytest.fixture(scope="module")
def data(data_dir):
    return load_files(data_dir)


@pytest.mark.parametrize("entity", [e for e in ENTITIES if e.file], ids=lambda e: e.name)
def test_every_column_of_an_entity_table_is_declared(entity):
    declared = {f.column_name for f in entity.fields if f.column_name}
    owner = {c.name for c in entity.model.__table__.columns if c.primary_key and c.foreign_keys}
    owner |= {c.name for c in entity.model.__table__.columns
              if entity.parent and any(fk.column.table.name == "kb_edition" for fk in c.foreign_keys)}
    columns = {c.name for c in entity.model.__table__.columns} - UNDECLARED - owner
    assert columns == declared


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_the_record_class_has_the_declared_fields_in_order(entity):
    names = [f.name for f in fields(entity.record)]
    assert names == [name for name, _, _ in entity.extra] + [f.name for f in entity.fields]


@pytest.mark.parametrize("entity", [e for e in TOP_LEVEL if e.section], ids=lambda e: e.name)
def test_each_record_reads_back_from_what_the_export_writes_for_it(entity, data):
    """read_record and record_document are inverse for every record of the real YAML files."""
    records = data.records(entity)
    assert records
    for record in records:
        problems = Problems()
        again = read_record(Fields(problems, "test", None, record_document(entity, record)), entity)
        assert problems.errors == []
        assert again == record


def test_the_affiliations_read_back_from_the_csv_the_export_writes(data):
    problems = Problems()
    again = parse_affiliations(problems, "affiliations.csv", affiliations_csv(data))
    assert problems.errors == [] and again == data.affiliations


@pytest.mark.parametrize("fact", TEXT_FACTS, ids=lambda f: f.name)
def test_each_text_fact_reads_back_from_what_the_export_writes(fact, data):
    def belongs(key):  # a fact without a prefix shares its subject with the prefixed ones
        rest = key[len(fact.key_prefix):]
        return key.startswith(fact.key_prefix) and (fact.per_topic or "." not in rest)

    stored = sorted((t for t in data.texts if t.subject == fact.subject and belongs(t.key)),
                    key=lambda t: (t.key, t.seq))
    assert stored
    document = fact_document(data, fact)
    wrapped = document if fact.section is None else {fact.section: document}
    problems = Problems()
    again = read_texts(Fields(problems, "test", None, wrapped), fact)
    assert problems.errors == []
    assert sorted(again, key=lambda t: (t.key, t.seq)) == stored


def test_the_database_reads_back_as_the_files_records(tmp_path, data_dir, data):
    """The writer stores, and the snapshot reads, every declared field (row numbers aside)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'kb.db'}", future=True)
    load_into_database(engine, data_dir)
    with Session(engine) as session:
        stored = snapshot(session)
    engine.dispose()
    for entity in TOP_LEVEL:
        ours = sorted(stored.records(entity), key=partial(key_of, entity))
        theirs = sorted(data.records(entity), key=partial(key_of, entity))
        if entity.extra:
            ours, theirs = ([replace(r, row=0) for r in rs] for rs in (ours, theirs))
        # The page's spelling of a counterpart is stored even where the file leaves it to the name.
        theirs = [replace(r, counterpart_as_written=r.counterpart_as_written or r.counterpart)
                  if entity.name == "affiliation" else r for r in theirs]
        if entity.name in ("country", "prefecture", "place", "jet_position"):
            ours = [replace(r, aliases=tuple(sorted(r.aliases))) for r in ours]
            theirs = [replace(r, aliases=tuple(sorted(r.aliases))) for r in theirs]
        assert ours == theirs, attribute(entity)


def test_a_declared_choice_is_checked_by_the_loader():
    """Validation comes from the declaration: a field with choices refuses anything else."""
    entity = Entity("colour_place", "Place", m.Place, "test.yml", "places", ("name",), (
        Field("name", "str", "Name"), Field("kind", "str", "Kind", choices=("red", "blue")),
    ))
    problems = Problems()
    record = read_record(Fields(problems, "test.yml", "places #1", {"name": "X", "kind": "green"}), entity)
    assert record is None
    assert problems.errors == ["test.yml: places #1: field 'kind': must be one of red, blue, got 'green'"]


def test_an_undeclared_key_in_a_record_is_reported():
    problems = Problems()
    raw = {"name": "Baguio", "kind": "city", "region": None, "country": "Philippines", "colour": "green"}
    assert read_record(Fields(problems, "places.yml", "places #1", raw), PLACE) is None
    assert problems.errors == ["places.yml: places #1: field 'colour': unknown field (misspelt?)"]


def test_query_results_take_their_values_by_name(kb):
    """A result is built by keyword from the declared fields: no value lands in its neighbour's place."""
    place = kb.place("Baguio")
    assert (place.name, place.country, place.kind) == ("Baguio", "Philippines", "city")
    japan = kb.country("Japan")
    assert japan.home is True and japan.asean is False
    cir = kb.position("CIR")
    assert cir.code == "CIR" and cir.name.startswith("Coordinator") and "CIR" not in cir.aliases
