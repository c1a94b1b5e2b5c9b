"""A name written into the database after the action's facade exists is answered at once:
nothing is recreated (same facade, same engine), no retraining, no reload."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions import knowledge_access
from knowledge import models as m
from knowledge.normalize import compact


def add_cebu(engine):
    """Aichi – Cebu (Philippines), plus the alias "Sugbo", via the ORM."""
    with Session(engine, future=True) as session, session.begin():
        philippines = session.scalar(select(m.Country).where(m.Country.name == "Philippines"))
        aichi = session.scalar(select(m.Prefecture).where(m.Prefecture.name == "Aichi"))
        cebu = m.Place(name="Cebu", kind="city", region=None, country=philippines)
        session.add(cebu)
        session.flush()
        last = session.scalar(select(m.Affiliation.seq).order_by(m.Affiliation.seq.desc()).limit(1)) or 0
        session.add(m.Affiliation(seq=last + 1, prefecture_id=aichi.id, municipality=None, place_id=cebu.id,
                                  counterpart_as_written="Cebu", retired=False))
        session.add(m.Alias(kind="place", target="Cebu", alias="Sugbo",
                            norm=compact("Sugbo")))


def test_a_name_added_to_the_database_is_answered_without_recreating_anything(answer, ent, engine, kb):
    before = answer("Who is Cebu twinned with?", "sister_cities", [ent("place", "Cebu")])[0]
    assert [x["response"] for x in before] == ["utter_unknown_name"]
    facade = knowledge_access.knowledge_base()
    engine_before = facade._engine

    add_cebu(engine)

    # Entity value, and text only (the NLU model has never seen the name).
    for entities in ([ent("place", "Cebu")], []):
        messages, _ = answer("Who is Cebu twinned with?", "sister_cities", entities)
        assert len(messages) == 1
        msg = messages[0]
        assert msg["response"] == "utter_affiliations_of_place"
        assert msg["place"] == "Cebu"
        assert msg["lines"] == "- Aichi"
        assert msg["count"] == 1

    # The new alias, in the text only.
    msg = answer("who is Sugbo twinned with", "sister_cities")[0][0]
    assert (msg["response"], msg["place"]) == ("utter_affiliations_of_place", "Cebu")

    # The new row counts everywhere.
    msg = answer("Which sister cities does Aichi have?", "sister_cities", [ent("prefecture", "Aichi")])[0][0]
    assert msg["count"] == len(kb.affiliations_of_prefecture("Aichi")) == 2
    assert msg["lines"].splitlines() == ["- Siem Reap Province (Cambodia)", "- Cebu (Philippines)"]
    msg = answer("how many affiliations are there in total", "sister_city_count")[0][0]
    assert msg["count"] == kb.count_affiliations() == 40
    assert "- Philippines: 20" in msg["lines"].splitlines()

    # Nothing was recreated.
    assert knowledge_access.knowledge_base() is facade
    assert facade._engine is engine_before
    assert knowledge_access.knowledge_base.cache_info().misses == 1


def test_a_retired_affiliation_is_no_longer_answered(answer, ent, engine):
    with Session(engine, future=True) as session, session.begin():
        row = session.scalar(
            select(m.Affiliation).join(m.Place, m.Affiliation.place_id == m.Place.id).where(m.Place.name == "Ipoh"))
        row.retired = True
    msg = answer("sister cities in Malaysia", "sister_cities", [ent("country", "Malaysia")])[0][0]
    assert (msg["response"], msg["country"]) == ("utter_no_affiliations_of_country", "Malaysia")
    msg = answer("how many affiliations are there in total", "sister_city_count")[0][0]
    assert msg["count"] == 38
    assert "- Malaysia: 1" not in msg["lines"]
