"""`python -m bot kb export`: the database written back to the data files. A round trip load -> export
-> load gives the same database; console edits survive it; the files keep their comments and only
what changed changes; and a restart never silently reloads files over unexported console edits."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from bot.prepare import prepare_knowledge
from bot.settings import PROJECT_ROOT
from bot.staff.kb import registry as kb
from bot.staff.kb.export_state import ConsoleEditsAtRisk, export_state
from knowledge import DATA_DIR, load_into_database
from knowledge import models as m
from knowledge.export import comparable, export, render
from knowledge.snapshot import snapshot

FILES = ("affiliations.csv", "jet.yml", "places.yml", "regional_exchange.yml", "seminar.yml", "source.yml",
         "sister_city_support.yml", "page_gaps.yml", "staff_answers.yml")


def dump(engine):
    """Every row of every kb_ table except timestamps and kb_meta (as tests/knowledge compares loads)."""
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            if not table.startswith("kb_") or table == "kb_meta":
                continue
            columns = [c["name"] for c in inspect(conn).get_columns(table) if c["name"] not in ("created_at", "updated_at")]
            out[table] = sorted(tuple(r) for r in conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}")))
    return out


def fresh(tmp_path, name):
    return create_engine(f"sqlite:///{tmp_path / name}", future=True)


def content(engine):
    with Session(engine) as session:
        return comparable(snapshot(session))


def test_the_round_trip_load_export_load_gives_the_same_database(tmp_path):
    first = fresh(tmp_path, "first.db")
    load_into_database(first, DATA_DIR)
    out = tmp_path / "exported"
    result = export(first, out)
    assert sorted(result.written) == sorted(FILES)
    second = fresh(tmp_path, "second.db")
    load_into_database(second, out)
    assert dump(second) == dump(first)


def test_exporting_an_unchanged_database_changes_no_file(engine, data_copy):
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    result = export(engine, data_copy)
    assert result.written == () and sorted(result.unchanged) == sorted(FILES)
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    # Rendered onto the original files, every byte is the same (comments, quoting, folding).
    with Session(engine) as session:
        assert render(snapshot(session), DATA_DIR) == {name: (DATA_DIR / name).read_text() for name in FILES}


def edit_everything(engine, actor=None):
    kb.places.save(engine, actor, None, {"name": "Bogor", "kind": "city", "region": "West Java",
                                                "country": "Indonesia", "source_spelling": ""})
    kb.affiliations.save(engine, actor, None, {"prefecture": "Nara", "counterpart": "Bogor",
                                                      "counterpart_as_written": "Bogor, West Java"})
    with Session(engine) as session:
        medan = session.scalar(select(m.Affiliation.id).join(m.Place, m.Affiliation.place_id == m.Place.id)
                               .where(m.Place.name == "Medan"))
    kb.affiliations.set_retired(engine, actor, medan, True)
    kb.editions.save(engine, actor, None, {"fiscal_year": "2016", "status": "held", "title": "2016 Japan – Indonesia",
                                           "host_text": "Indonesia (Bogor)", "countries": ["Indonesia"],
                                           "cities": ["Bogor"]})
    kb.editions.save(engine, actor, 2013, {"fiscal_year": "2013", "status": "held", "title": "A new title",
                                           "host_text": "Thailand", "countries": ["Thailand"], "cities": []})
    kb.editions.remove(engine, actor, 2009)
    kb.positions.save(engine, actor, None, {"code": "SPA", "name": "Sports Programme Assistant",
                                                   "description": "help run sports exchanges"})
    kb.aliases.save(engine, actor, None, {"kind": "position", "target": "SEA", "alias": "sports coach"})
    kb.aliases.save(engine, actor, None, {"kind": "country", "target": "Vietnam", "alias": "Việt Nam"})
    kb.aliases.save(engine, actor, None, {"kind": "prefecture", "target": "Tokyo", "alias": "Tōkyō-to"})


def test_console_edits_survive_export_and_reload(engine, data_copy, tmp_path):
    edit_everything(engine)
    export(engine, data_copy)
    reloaded = fresh(tmp_path, "reloaded.db")
    load_into_database(reloaded, data_copy)
    assert content(reloaded) == content(engine)
    # And the next export of the reloaded database is a no-op: files and database agree.
    assert export(reloaded, data_copy).written == ()


def test_the_diff_shows_only_what_changed(engine, data_copy):
    edit_everything(engine)
    result = export(engine, data_copy)
    assert sorted(result.written) == ["affiliations.csv", "jet.yml", "places.yml", "regional_exchange.yml"]
    diff = subprocess.run(["diff", "-u", str(DATA_DIR), str(data_copy), "-r"], capture_output=True, text=True).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert "+Nara,,Bogor,\"Bogor, West Java\",Indonesia," in changed
    assert "-Chiba,,Medan,\"Medan, North Sumatra\",Indonesia," in changed
    assert "+Chiba,,Medan,\"Medan, North Sumatra\",Indonesia,true" in changed
    assert "+  - {name: Bogor, kind: city, region: West Java, country: Indonesia, aliases: []}" in changed
    assert "-    title: \"2013 Japan – Thailand Regional Exchange Promotion Program\"" in changed
    assert "+      - sports coach" in changed
    assert any("Việt Nam" in line for line in changed) and any("Tōkyō-to" in line for line in changed)
    assert len(changed) < 40, diff  # nothing else moved
    places = (data_copy / "places.yml").read_text()
    assert "# Gazetteer: every name the assistant must recognise" in places  # comments kept
    assert places.index("name: Bogor") < places.index("  # Thailand")  # with the other Indonesian places


def cli(settings, *args, stdin=None):
    env = {**os.environ, "DATABASE_URL": settings.database_url, "KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "CLAIR_VAR_DIR": str(settings.var_dir), "TRACKER_STORE_URL": settings.tracker_store_url}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


def test_kb_export_command_writes_the_files_and_a_restart_keeps_the_edits(settings, engine, data_copy):
    from bot.prepare import FILES_HASH_KEY, files_hash

    prepare_knowledge(settings)  # as `make run` does: records the files' hash
    edit_everything(engine)
    assert export_state(engine).pending == 10
    done = cli(settings, "kb", "export")
    assert done.returncode == 0, done.stderr
    assert "Wrote affiliations.csv, jet.yml, places.yml, regional_exchange.yml" in done.stdout
    assert export_state(engine).pending == 0
    with Session(engine) as session:
        version = session.scalar(select(m.Meta.value).where(m.Meta.key == "version"))
        assert session.scalar(select(m.Meta.value).where(m.Meta.key == FILES_HASH_KEY)) == files_hash(data_copy)
    edited = content(engine)
    prepare_knowledge(settings)  # a restart: the files match, nothing is reloaded
    with Session(engine) as session:
        assert session.scalar(select(m.Meta.value).where(m.Meta.key == "version")) == version
    assert content(engine) == edited
    again = cli(settings, "kb", "export")
    assert again.returncode == 0 and "already match" in again.stdout


def test_a_restart_refuses_to_load_changed_files_over_unexported_console_edits(settings, engine, data_copy):
    prepare_knowledge(settings)
    kb.aliases.save(engine, None, None, {"kind": "country", "target": "India", "alias": "Bharat"})
    prepare_knowledge(settings)  # files unchanged: the edit is kept (a reminder is printed)
    assert any(a.alias == "Bharat" for a in kb.aliases.list(engine, kind="country"))

    csv_file = data_copy / "affiliations.csv"
    csv_file.write_text(csv_file.read_text().replace("Kochi,,Surabaya", "Kochi,Kochi City,Surabaya"))
    with pytest.raises(ConsoleEditsAtRisk) as stop:
        prepare_knowledge(settings)
    assert "python -m bot kb export" in str(stop.value) and "kb load" in str(stop.value)
    assert any(a.alias == "Bharat" for a in kb.aliases.list(engine, kind="country"))  # nothing was lost

    # Choosing to discard them: an explicit load, after which a restart works again.
    load_into_database(engine, data_copy)
    prepare_knowledge(settings)
    assert not any(a.alias == "Bharat" for a in kb.aliases.list(engine, kind="country"))


def test_export_refuses_an_empty_database_and_writes_nothing(settings, tmp_path):
    empty = replace(settings, database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    before = {name: (settings.knowledge_dir / name).read_bytes() for name in FILES}
    done = cli(empty, "kb", "export")
    assert done.returncode == 1 and "no knowledge base" in done.stderr
    assert {name: (settings.knowledge_dir / name).read_bytes() for name in FILES} == before


def test_export_to_another_directory_leaves_the_pending_state(settings, engine, tmp_path):
    kb.aliases.save(engine, None, None, {"kind": "country", "target": "India", "alias": "Bharat"})
    done = cli(settings, "kb", "export", "--data-dir", str(tmp_path / "review"))
    assert done.returncode == 0, done.stderr
    assert "Bharat" in (tmp_path / "review" / "places.yml").read_text()
    assert export_state(engine).pending == 1  # knowledge/data itself does not have it yet
