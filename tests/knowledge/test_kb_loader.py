"""Loader: the real files load, match the source page, and bad files are refused
without touching the database."""
import re
from collections import Counter

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge import DATA_DIR, KnowledgeError, check, load_files, load_into_database
from knowledge import models as m
from knowledge import writer


@pytest.fixture(scope="module")
def data():
    return load_files(DATA_DIR)


def test_every_file_loads_and_check_agrees(data):
    assert check(DATA_DIR) == data
    subjects = {t.subject for t in data.texts}
    assert subjects == {"source", "regional_exchange", "seminar", "jet", "jetaa", "sister_city_support", "page_gaps"}


def test_affiliation_counts_match_the_source(data):
    assert len(data.affiliations) == 39
    assert Counter(a.country for a in data.affiliations) == {
        "Philippines": 19, "Indonesia": 7, "India": 5, "Thailand": 4,
        "Vietnam": 2, "Malaysia": 1, "Cambodia": 1,
    }
    assert all(a.municipality is None and not a.retired for a in data.affiliations)


def test_source_spellings_are_kept(data):
    written = {a.counterpart: a.counterpart_as_written for a in data.affiliations}
    assert written["Pasig"] == "Passig"
    assert written["Medan"] == "Medan, North Sumatra"
    assert written["Hanoi"] == "Hanoi City"
    assert written["Chiang Mai"] == "Chiangmai, Chiangmai"


def test_editions_match_the_source(data):
    years = sorted(e.fiscal_year for e in data.editions)
    assert years == list(range(2007, 2016))
    cancelled = [e for e in data.editions if e.status == "cancelled"]
    assert [e.fiscal_year for e in cancelled] == [2008]
    assert "terrorist attack" in cancelled[0].reason and "Mumbai" in cancelled[0].reason
    fy2015 = next(e for e in data.editions if e.fiscal_year == 2015)
    assert fy2015.details.participants == 20
    assert fy2015.details.days == 11 and "November" in fy2015.details.period


def test_jet_and_support_counts(data):
    assert [p.code for p in data.positions] == ["CIR", "ALT", "SEA"]
    assert [b.abbreviation for b in data.supporting_bodies] == ["MIC", "MOFA", "MEXT", "CLAIR"]
    assert [(p.fiscal_year, p.participants) for p in data.participation] == [(2011, 56)]
    forms = [t for t in data.texts if t.subject == "sister_city_support" and t.key == "forms"]
    assert len(forms) == 3


def test_places_gazetteer(data):
    assert len(data.prefectures) == 47
    asean = [c.name for c in data.countries if c.asean]
    assert len(asean) == 10 and {"India", "Japan"} <= {c.name for c in data.countries}
    # Japan is the home side of every affiliation, never a counterpart country.
    assert [c.name for c in data.countries if c.home] == ["Japan"]


def test_as_of_is_kept_as_text(data):
    as_of = [t.value for t in data.texts if t.key == "affiliation_list.as_of"]
    assert as_of == ["as of 29th Feb 2015"]


def test_an_impossible_unquoted_date_stays_text(data_copy):
    path = data_copy / "source.yml"
    path.write_text(path.read_text().replace('as_of: "as of 29th Feb 2015"', "as_of: 2015-02-29"))
    texts = load_files(data_copy).texts
    assert [t.value for t in texts if t.key == "affiliation_list.as_of"] == ["2015-02-29"]


def test_loading_twice_is_idempotent(engine, dump):
    before = dump(engine)
    load_into_database(engine, DATA_DIR)
    assert dump(engine) == before
    with Session(engine) as session:
        assert session.scalar(select(func.count(m.Affiliation.id))) == 39


# -- malformed files: refused with file + record named, database unchanged --------------
def _edit(path, old, new, count=1):
    content = path.read_text(encoding="utf-8")
    assert content.count(old) >= 1, f"test setup: {old!r} not in {path.name}"
    path.write_text(content.replace(old, new, count), encoding="utf-8")


BAD_CASES = {
    "missing required field": (
        "places.yml", "{name: Bangkok, kind: city, region: null, country: Thailand, aliases: []}",
        "{name: Bangkok, kind: city, region: null, aliases: []}",
        ["places.yml", "places #9 (Bangkok)", "field 'country': missing required field"]),
    "unknown country reference": (
        "affiliations.csv", "Chiba,,Bangkok,Bangkok,Thailand,", "Chiba,,Bangkok,Bangkok,Thailnd,",
        ["affiliations.csv: row 10 (Chiba → Bangkok): unknown country 'Thailnd'", "did you mean 'Thailand'"]),
    "unknown counterpart": (
        "affiliations.csv", "Kagawa,,Pasig,Passig,", "Kagawa,,Pasigg,Passig,",
        ["affiliations.csv: row 36 (Kagawa → Passig): unknown counterpart 'Pasigg'"]),
    "unknown prefecture": (
        "affiliations.csv", "Tokyo,,Jakarta", "Tokio,,Jakarta",
        ["affiliations.csv: row 4 (Tokio → Jakarta): unknown prefecture 'Tokio'"]),
    "duplicate alias": (
        "places.yml", "aliases: [Ha Noi, Hanoi City]", "aliases: [Ha Noi, Hanoi City, Saigon]",
        ["places.yml", "places (Hanoi)", "duplicate alias 'Saigon' (already used by Ho Chi Minh City)"]),
    "bad YAML syntax": (
        "jet.yml", "aims:\n", "aims: [unclosed\n",
        ["jet.yml: line", "invalid YAML"]),
    "cancelled without reason": (
        "regional_exchange.yml", "    reason: terrorist attack in Mumbai\n", "",
        ["regional_exchange.yml: editions #8 (fiscal year 2008)", "field 'reason': required when status is cancelled"]),
    "reason on a held edition": (
        "regional_exchange.yml", "    host_text: Thailand\n", "    host_text: Thailand\n    reason: rain\n",
        ["regional_exchange.yml: editions #3 (fiscal year 2013)", "only allowed when status is cancelled"]),
    "duplicate fiscal year": (
        "regional_exchange.yml", "fiscal_year: 2013", "fiscal_year: 2014",
        ["regional_exchange.yml: editions #3 (fiscal year 2014)", "duplicate fiscal year 2014"]),
    "wrong type": (
        "regional_exchange.yml", "count: 20", "count: twenty",
        ["regional_exchange.yml: editions #1 (fiscal year 2015)",
         "field 'details.participants.count': expected an integer, got str 'twenty'"]),
    "bad status": (
        "regional_exchange.yml", "status: cancelled", "status: postponed",
        ["editions #8 (fiscal year 2008)", "must be one of held, cancelled, got 'postponed'"]),
    "unknown edition city": (
        "regional_exchange.yml", "cities: [Mumbai, Pune, Chennai]", "cities: [Mumbai, Pune, Goa]",
        ["regional_exchange.yml: editions (fiscal year 2011): unknown city 'Goa'"]),
    "misspelt field name": (
        "seminar.yml", "brings_together:", "brings_togther:",
        ["seminar.yml: field 'brings_togther': unknown field", "field 'brings_together': missing required field"]),
    "bad place kind": (
        "places.yml", "{name: Mas Village, kind: village", "{name: Mas Village, kind: hamlet",
        ["places.yml: places #6 (Mas Village): field 'kind': must be one of"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_malformed_file_is_refused_and_database_kept(case, engine, data_copy, dump):
    file, old, new, expected = BAD_CASES[case]
    _edit(data_copy / file, old, new)
    before = dump(engine)
    with pytest.raises(KnowledgeError) as info:
        load_into_database(engine, data_copy)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"
    assert dump(engine) == before
    with pytest.raises(KnowledgeError):
        check(data_copy)


def test_missing_file_is_refused(engine, data_copy, dump):
    (data_copy / "seminar.yml").unlink()
    before = dump(engine)
    with pytest.raises(KnowledgeError, match=r"seminar\.yml: file not found"):
        load_into_database(engine, data_copy)
    assert dump(engine) == before


def test_every_problem_is_reported_at_once(data_copy):
    _edit(data_copy / "affiliations.csv", "Thailand,", "Thailnd,", count=4)
    with pytest.raises(KnowledgeError) as info:
        load_files(data_copy)
    assert len(info.value.errors) == 4
    assert all(re.match(r"affiliations\.csv: row \d+ \(", e) for e in info.value.errors)


def test_a_failed_write_rolls_back_everything(engine, monkeypatch, dump):
    """The replace runs in ONE transaction: a failure after the deletes keeps the old rows."""
    with Session(engine) as session, session.begin():
        session.execute(update(m.Affiliation).where(m.Affiliation.seq == 0).values(retired=True))
    before = dump(engine)

    def broken_insert(session, data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_insert", broken_insert)
    with pytest.raises(RuntimeError):
        load_into_database(engine, DATA_DIR)
    assert dump(engine) == before


def test_page_gaps_load_by_topic_and_an_unknown_related_line_is_refused(data_copy, kb):
    gaps = {g.topic: g for g in kb.page_gaps()}
    assert "salary" in gaps and gaps["salary"].related == "jet_position" and "salary" in gaps["salary"].cues
    path = data_copy / "page_gaps.yml"
    path.write_text(path.read_text().replace("related: jet_position", "related: jet_salaries", 1))
    with pytest.raises(KnowledgeError, match="unknown related line 'jet_salaries'"):
        check(data_copy)
