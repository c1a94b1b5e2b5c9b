"""Names are read and indexed once and kept while the knowledge base is unchanged (every answer
looks them up), yet any change is seen at once: a load, a console-style edit that bumps the
version, or rows added or removed by hand."""
import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from knowledge import KnowledgeBase
from knowledge import models as m
from knowledge.writer import bump_version


@pytest.fixture
def reads(monkeypatch):
    """Counts the times the names are read from the database."""
    counted = []
    original = KnowledgeBase._entries

    def counting(session):
        counted.append(1)
        return original(session)

    monkeypatch.setattr(KnowledgeBase, "_entries", staticmethod(counting))
    return counted


def found(kb, text):
    return [(x.kind, x.name) for x in kb.find_names(text)]


def test_names_are_read_once_for_many_lookups(kb, reads):
    for _ in range(3):
        assert found(kb, "sister cities of Fukuoka") == [("prefecture", "Fukuoka")]
        assert kb.resolve("Fukuoka").name == "Fukuoka"
    assert len(reads) == 1


def test_an_edit_that_bumps_the_version_is_seen_at_once(kb, engine, reads):
    assert found(kb, "sister cities of Fukuoka") == [("prefecture", "Fukuoka")]
    with Session(engine) as session, session.begin():  # as the staff console edits: rename in place
        session.execute(update(m.Prefecture).where(m.Prefecture.name == "Fukuoka").values(name="Fukuoka-ken"))
        bump_version(session)
    assert found(kb, "sister cities of Fukuoka-ken") == [("prefecture", "Fukuoka-ken")]
    assert len(reads) == 2


def test_rows_removed_by_hand_are_seen_at_once(kb, engine):
    assert kb.resolve("Saigon").name == "Ho Chi Minh City"
    with Session(engine) as session, session.begin():
        session.execute(delete(m.Alias).where(m.Alias.alias == "Saigon"))
    assert kb.resolve("Saigon").name != "Ho Chi Minh City"


def test_a_reload_is_seen_at_once(kb, engine, data_copy, reads):
    from knowledge import load_into_database

    assert kb.resolve("Fukuoka").name == "Fukuoka"
    load_into_database(engine, data_copy)
    assert kb.resolve("Fukuoka").name == "Fukuoka"
    assert len(reads) == 2


def test_organisation_names_follow_edits(kb, engine):
    assert "CLAIR Singapore" in kb.organisation_names()
    assert kb.organisation_names() == kb.organisation_names()
    with Session(engine) as session, session.begin():
        session.execute(update(m.SupportingBody).where(m.SupportingBody.name == "Ministry of Foreign Affairs")
                        .values(name="Foreign Ministry"))
        bump_version(session)
    names = kb.organisation_names()
    assert "Foreign Ministry" in names and "Ministry of Foreign Affairs" not in names


def test_a_returned_list_cannot_change_the_cache(kb):
    names = kb.organisation_names()
    names.clear()
    assert "CLAIR Singapore" in kb.organisation_names()


def test_region_names_follow_edits(kb, engine):
    assert {"Maharashtra", "Benguet"} <= set(kb.region_names())
    with Session(engine) as session, session.begin():
        session.execute(update(m.Place).where(m.Place.region == "Maharashtra").values(region="Maha Rashtra"))
        bump_version(session)
    assert "Maha Rashtra" in kb.region_names() and "Maharashtra" not in kb.region_names()
