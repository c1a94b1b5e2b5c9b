"""KnowledgeBase facade: one test (at least) per query, with aliases, typos,
ambiguity and "nothing found"."""
import dataclasses

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge import KnowledgeBase, Resolution
from knowledge.results import Affiliation
from knowledge import models as m


def pairs(affiliations):
    return [(a.prefecture, a.counterpart) for a in affiliations]


# -- source --------------------------------------------------------------------------
def test_source(kb):
    source = kb.source()
    assert source.title == "CLAIR Singapore website"
    assert source.file == "000_449db7d9c6bb04f1.txt"
    assert source.as_of == "as of 29th Feb 2015"
    assert source.world_link is None


# -- affiliations ----------------------------------------------------------------------
def test_affiliations_of_prefecture(kb):
    assert pairs(kb.affiliations_of_prefecture("Fukuoka")) == [
        ("Fukuoka", "Bangkok"), ("Fukuoka", "Delhi"), ("Fukuoka", "Hanoi"), ("Fukuoka", "Ipoh")]


def test_affiliations_of_prefecture_with_typo_and_alias(kb):
    assert kb.affiliations_of_prefecture("fukuoaka") == kb.affiliations_of_prefecture("Fukuoka")
    assert pairs(kb.affiliations_of_prefecture("Tokyo Metropolis")) == [("Tokyo", "Jakarta")]


def test_affiliation_fields(kb):
    (medan,) = kb.affiliations_of_counterpart("Medan")
    assert medan == Affiliation("Chiba", None, "Medan", "North Sumatra", "Indonesia",
                                "Medan, North Sumatra", "city")
    with pytest.raises(dataclasses.FrozenInstanceError):
        medan.prefecture = "Nara"


def test_affiliations_of_counterpart_through_aliases(kb):
    assert pairs(kb.affiliations_of_counterpart("Saigon")) == [("Osaka", "Ho Chi Minh City")]
    assert pairs(kb.affiliations_of_counterpart("HCMC")) == [("Osaka", "Ho Chi Minh City")]
    assert pairs(kb.affiliations_of_counterpart("Hanoi")) == [("Fukuoka", "Hanoi")]
    assert pairs(kb.affiliations_of_counterpart("Ha Noi")) == [("Fukuoka", "Hanoi")]
    assert pairs(kb.affiliations_of_counterpart("Chiang Mai")) == [("Toyama", "Chiang Mai")]
    assert pairs(kb.affiliations_of_counterpart("Chiangmai")) == [("Toyama", "Chiang Mai")]
    assert pairs(kb.affiliations_of_counterpart("Bombay")) == [("Kanagawa", "Mumbai")]
    (pasig,) = kb.affiliations_of_counterpart("Pasig")
    assert (pasig.prefecture, pasig.source_spelling) == ("Kagawa", "Passig")
    assert kb.affiliations_of_counterpart("Passig") == [pasig]
    assert pairs(kb.affiliations_of_counterpart("Manila")) == [
        ("Kanagawa", "Manila"), ("Kyoto", "Manila"), ("Osaka", "Manila")]


def test_affiliations_of_country(kb):
    assert len(kb.affiliations_of_country("Philippines")) == 19
    assert len(kb.affiliations_of_country("the Philippines")) == 19
    assert pairs(kb.affiliations_of_country("Viet Nam")) == [("Osaka", "Ho Chi Minh City"), ("Fukuoka", "Hanoi")]
    assert pairs(kb.affiliations_of_country("Cambodia")) == [("Aichi", "Siem Reap Province")]


def test_affiliations_combined_filters(kb):
    assert pairs(kb.affiliations(prefecture="Chiba", country="Thailand")) == [("Chiba", "Bangkok")]
    assert pairs(kb.affiliations(prefecture="Fukuoka", counterpart="Bangkok")) == [("Fukuoka", "Bangkok")]
    assert pairs(kb.affiliations(country="Thailand", counterpart="Bangkok")) == [
        ("Chiba", "Bangkok"), ("Fukuoka", "Bangkok")]
    assert kb.affiliations(prefecture="Tokyo", country="India") == []
    assert len(kb.affiliations()) == 39


def test_nothing_found_is_empty_not_an_error(kb):
    assert kb.affiliations_of_country("Singapore") == []
    assert kb.affiliations_of_prefecture("Nara") == []
    assert kb.affiliations_of_counterpart("Atlantis") == []
    assert kb.affiliations(prefecture="Atlantis", country="Thailand") == []
    assert kb.affiliations_of_prefecture("") == []


def test_retired_affiliations_are_excluded(kb, engine):
    with Session(engine) as session, session.begin():
        session.execute(update(m.Affiliation).where(m.Affiliation.counterpart_as_written == "Passig")
                        .values(retired=True))
    assert kb.affiliations_of_counterpart("Pasig") == []
    assert kb.count_affiliations() == 38
    assert kb.count_by_country()["Philippines"] == 18


def test_counts(kb):
    assert kb.count_affiliations() == 39
    by_country = kb.count_by_country()
    assert list(by_country.items()) == [
        ("Philippines", 19), ("Indonesia", 7), ("India", 5), ("Thailand", 4),
        ("Vietnam", 2), ("Cambodia", 1), ("Malaysia", 1)]
    by_prefecture = kb.count_by_prefecture()
    assert list(by_prefecture.items())[:2] == [("Chiba", 4), ("Fukuoka", 4)]
    assert sum(by_prefecture.values()) == 39 and "Nara" not in by_prefecture


# -- Regional Exchange Promotion Program -----------------------------------------------------
def test_exchange_program(kb):
    p = kb.exchange_program()
    assert p.organiser == "CLAIR Singapore"
    assert p.partners == ("Japan Intercultural Academy of Municipalities (JIAM)",
                          "Conference of Recognized Local International Exchange Associations in Japan")
    assert p.frequency == "annually" and p.region == "the ASEAN region or India"
    assert p.participants == "Japanese local government officials"
    assert len(p.gains) == 2 and "insights" in p.purpose


def test_editions(kb):
    editions = kb.editions()
    assert [e.fiscal_year for e in editions] == list(range(2007, 2016))
    e2012 = kb.edition(2012)
    assert e2012.countries == ("Singapore", "Indonesia") and e2012.cities == ()
    assert e2012.title == "2012 Japan – Singapore – Indonesia Regional Exchange Promotion Program"
    assert kb.edition(2014).cities == ("Kuala Lumpur", "Johor Bahru")
    assert kb.edition(1999) is None


def test_editions_in_country(kb):
    assert [e.fiscal_year for e in kb.editions_in_country("Vietnam")] == [2007, 2009, 2015]
    assert [e.fiscal_year for e in kb.editions_in_country("Viet Nam")] == [2007, 2009, 2015]
    assert [e.fiscal_year for e in kb.editions_in_country("India")] == [2008, 2010, 2011]
    assert kb.editions_in_country("Laos") == []
    assert kb.editions_in_country("Atlantis") == []


def test_editions_in_city(kb):
    assert [e.fiscal_year for e in kb.editions_in_city("Mumbai")] == [2010, 2011]
    assert [e.fiscal_year for e in kb.editions_in_city("Bengaluru")] == [2010]
    assert [e.fiscal_year for e in kb.editions_in_city("Hanoi")] == [2015]
    assert [e.fiscal_year for e in kb.editions_in_city("Saigon")] == [2015]
    assert [e.fiscal_year for e in kb.editions_in_city("KL")] == [2014]
    assert kb.editions_in_city("Bangkok") == []


def test_cancelled_and_first_edition(kb):
    (cancelled,) = kb.cancelled_editions()
    assert cancelled.fiscal_year == 2008 and cancelled.status == "cancelled"
    assert cancelled.reason == "terrorist attack in Mumbai" and cancelled.title is None
    first = kb.first_edition()
    assert first.fiscal_year == 2007 and first.countries == ("Vietnam",)
    assert first.title.startswith("Japan-Vietnam Regional Alliances Promotion Program")


def test_fy2015_details(kb):
    d = kb.fy2015_details()
    assert d.title == "2015 Japan – Vietnam Regional Exchange Promotion Program"
    assert d.days == 11 and d.period == "November 2015"
    assert [(p.name, p.location) for p in d.parts] == [
        ("Domestic Training", "Japan"), ("Overseas Training", "Vietnam")]
    assert d.cities == ("Hanoi", "Ho Chi Minh City") and d.host_text == "Ha Noi-Ho Chi Minh, Vietnam"
    assert d.participants == 20
    assert d.participants_description.startswith("Japanese local government officials, staff of regional")
    assert "chambers of commerce" in d.summary and "foster understanding" in d.aims
    assert kb.edition_details(2014) is None


# -- seminar, JET, support ----------------------------------------------------------------
def test_seminar(kb):
    s = kb.seminar()
    assert s.host == "CLAIR" and s.held_in == "Japan" and s.lecture_city == "Tokyo"
    assert s.brings_together == "local government officials from within and outside of Japan"
    assert len(s.aims) == 2
    assert any("Japanese culture" in x for x in s.overseas_participants)


def test_jet_programme(kb):
    jet = kb.jet_programme()
    assert jet.abbreviation == "JET"
    assert jet.implemented_by == "Japan's local governments and authorities"
    assert len(jet.aims) == 3 and len(jet.positions) == 3 and len(jet.supporting_bodies) == 4
    assert jet.jetaa.abbreviation == "JETAA"


def test_supporting_bodies(kb):
    assert [(b.abbreviation, b.name) for b in kb.supporting_bodies()] == [
        ("MIC", "Ministry of Internal Affairs and Communications"),
        ("MOFA", "Ministry of Foreign Affairs"),
        ("MEXT", "Ministry of Education, Culture, Sports, Science and Technology"),
        ("CLAIR", "CLAIR")]


def test_positions(kb):
    positions = kb.positions()
    assert [p.code for p in positions] == ["CIR", "ALT", "SEA"]
    alt = positions[1]
    assert alt.name == "Assistant Language Teacher"
    assert alt.workplace == "elementary, junior and senior high schools"


@pytest.mark.parametrize("text, code", [
    ("ALT", "ALT"), ("alt", "ALT"), ("english teacher", "ALT"), ("language teacher", "ALT"),
    ("assistant language teacher", "ALT"), ("coordinator", "CIR"),
    ("Coordinators for International Relations", "CIR"), ("sports advisor", "SEA"),
    ("sports exchange advisers", "SEA"),
])
def test_position_by_code_or_alias(kb, text, code):
    assert kb.position(text).code == code


def test_unknown_position(kb):
    assert kb.position("astronaut") is None


def test_jet_participation(kb):
    (p,) = kb.jet_participation()
    assert (p.fiscal_year, p.participants, p.origin) == (2011, 56, "the ASEAN region and India")


def test_jetaa(kb):
    jetaa = kb.jetaa()
    assert jetaa.name == "JET Alumni Association"
    assert "Japan-related activities" in jetaa.description


def test_sister_city_support(kb):
    s = kb.sister_city_support()
    assert len(s.forms) == 3 and s.forms[2].startswith("Provide advice and consultation")
    assert s.contact_details is None and "no address" in s.contact_note
    assert s.contact_statement.startswith("Please kindly contact CLAIR Singapore")


def test_country_and_place(kb):
    assert kb.country("Viet Nam").name == "Vietnam" and kb.country("Viet Nam").asean
    assert kb.country("India").asean is False
    pasig = kb.place("Passig")
    assert (pasig.name, pasig.country, pasig.source_spelling) == ("Pasig", "Philippines", "Passig")
    assert kb.place("Atlantis") is None and kb.country("Atlantis") is None


def test_empty_database_answers_none(tmp_path):
    from sqlalchemy import create_engine

    from knowledge import create_schema

    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}", future=True)
    create_schema(engine)
    empty = KnowledgeBase(engine)
    assert empty.source() is None and empty.seminar() is None and empty.jet_programme() is None
    assert empty.editions() == [] and empty.first_edition() is None and empty.count_affiliations() == 0
    assert empty.resolve("Tokyo").status == "unknown" and empty.find_names("Tokyo") == []


# -- name resolution ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, name, status", [
    ("Fukuoka", "prefecture", "Fukuoka", "exact"),
    ("  FUKUOKA!! ", "prefecture", "Fukuoka", "exact"),
    ("Hokkaidō", "prefecture", "Hokkaido", "exact"),
    ("Osaka Prefecture", "prefecture", "Osaka", "exact"),
    ("fukuoaka", "prefecture", "Fukuoka", "fuzzy"),
    ("Chaing Mai", "place", "Chiang Mai", "fuzzy"),
    ("Chiang-Mai", "place", "Chiang Mai", "exact"),
    ("Bengaluru", "place", "Bangalore", "exact"),
    ("Saigon", "place", "Ho Chi Minh City", "exact"),
    ("HCMC", "place", "Ho Chi Minh City", "exact"),
    ("Ho Chi Minh", "place", "Ho Chi Minh City", "exact"),
    ("Pasig", "place", "Pasig", "exact"),
    ("Passig", "place", "Pasig", "exact"),
    ("Hanoi City", "place", "Hanoi", "exact"),
    ("Ha Noi", "place", "Hanoi", "exact"),
    ("Madras", "place", "Chennai", "exact"),
    ("New Delhi", "place", "Delhi", "exact"),
    ("Kuala Lumpur", "place", "Kuala Lumpur", "exact"),
    ("Viet Nam", "country", "Vietnam", "exact"),
    ("Phillipines", "country", "Philippines", "fuzzy"),
    ("Thialand", "country", "Thailand", "fuzzy"),
    ("Nara", "prefecture", "Nara", "exact"),
    ("Bangkok", "place", "Bangkok", "exact"),
    ("english teacher", "position", "ALT", "exact"),
])
def test_resolve(kb, text, kind, name, status):
    res = kb.resolve(text)
    assert (res.status, res.kind, res.name) == (status, kind, name)
    assert kb.resolve(text, kind=kind).name == name


def test_resolve_unknown(kb):
    assert kb.resolve("Atlantis") == Resolution("unknown", "Atlantis")
    assert kb.resolve("").status == "unknown"
    assert kb.resolve("Bangkok", kind="prefecture").status == "unknown"


def test_resolve_ambiguous_typo(kb):
    res = kb.resolve("Kangawa")  # one letter from Kanagawa, one from Kagawa
    assert res.status == "ambiguous" and res.name is None
    assert [(c.name, c.kind) for c in res.candidates] == [("Kanagawa", "prefecture"), ("Kagawa", "prefecture")]
    assert kb.affiliations_of_prefecture("Kangawa") == []
    assert kb.resolve("Kagawa").status == "exact"  # an exact name always wins


def test_resolve_same_name_in_two_kinds_is_ambiguous(kb, engine):
    with Session(engine) as session, session.begin():
        # A counterpart that shares a prefecture's name (hypothetical, for the resolver).
        india = session.scalar(select(m.Country).where(m.Country.name == "India"))
        session.add(m.Place(name="Kyoto", kind="city", country=india))
    res = kb.resolve("Kyoto")
    assert res.status == "ambiguous"
    assert [(c.name, c.kind, c.score) for c in res.candidates] == [
        ("Kyoto", "prefecture", 100.0), ("Kyoto", "place", 100.0)]
    assert kb.resolve("Kyoto", kind="prefecture").status == "exact"
    assert len(kb.affiliations_of_prefecture("Kyoto")) == 2  # queries pass their kind


# -- find_names -------------------------------------------------------------------------------
def found(kb, text):
    return [(x.kind, x.name) for x in kb.find_names(text)]


def test_find_names_typos_in_a_message(kb):
    assert found(kb, "sistr citys of fukuoka") == [("prefecture", "Fukuoka")]
    assert found(kb, "sister cities of fukuoaka?") == [("prefecture", "Fukuoka")]
    assert found(kb, "fukouka") == [("prefecture", "Fukuoka")]  # two letters swapped in seven
    assert found(kb, "the partner of kagoshma") == [("prefecture", "Kagoshima")]


def test_find_names_takes_no_everyday_word_for_a_name(kb):
    assert found(kb, "the program was organised by the ministries, an exchange of officials and villages") == []


def test_find_names_several_kinds(kb):
    assert found(kb, "does tokyo have a sister city in indonesia") == [
        ("prefecture", "Tokyo"), ("country", "Indonesia")]
    matches = kb.find_names("Which prefecture is linked to Ho Chi Minh City, HCMC or Saigon?")
    assert [(x.name, x.matched_text) for x in matches] == [
        ("Ho Chi Minh City", "Ho Chi Minh City"), ("Ho Chi Minh City", "HCMC"), ("Ho Chi Minh City", "Saigon")]
    assert matches[0].start == 30 and matches[0].end == 46


def test_find_names_longest_match_and_aliases(kb):
    assert found(kb, "I want to be an assistant language teacher in Chiang-Mai") == [
        ("position", "ALT"), ("place", "Chiang Mai")]
    assert found(kb, "programmes in the Philippines and Viet Nam") == [
        ("country", "Philippines"), ("country", "Vietnam")]


def test_find_names_ignores_ordinary_words(kb):
    assert kb.find_names("what is the exchange program about and who can join") == []
    assert kb.find_names("Tell me about Atlantis please") == []
    assert kb.find_names("") == []


def test_all_names(kb):
    names = kb.all_names()
    assert names == kb.all_names()  # deterministic
    texts = {(n.kind, n.name, n.text) for n in names}
    assert ("place", "Ho Chi Minh City", "Saigon") in texts
    assert ("place", "Chiang Mai", "Chiangmai") in texts
    assert ("prefecture", "Nara", "Nara") in texts
    assert ("position", "ALT", "Assistant Language Teacher") in texts
    assert ("country", "Vietnam", "Viet Nam") in texts


def test_names_added_to_the_database_are_found_at_once(kb, engine):
    assert kb.resolve("Cebu").status == "unknown"
    with Session(engine) as session, session.begin():
        philippines = session.scalar(select(m.Country).where(m.Country.name == "Philippines"))
        cebu = m.Place(name="Cebu", kind="city", country=philippines)
        session.add(cebu)
        session.add(m.Alias(kind="place", target="Cebu", alias="Cebu City", norm="cebucity"))
        session.flush()
        nara = session.scalar(select(m.Prefecture).where(m.Prefecture.name == "Nara"))
        session.add(m.Affiliation(seq=99, prefecture_id=nara.id, place_id=cebu.id,
                                  counterpart_as_written="Cebu City"))
    assert kb.resolve("Cebu City").name == "Cebu"
    assert found(kb, "sister cities of cebu city") == [("place", "Cebu")]
    assert pairs(kb.affiliations_of_prefecture("Nara")) == [("Nara", "Cebu")]
    assert kb.count_affiliations() == 40


def test_version_is_bumped_by_every_load(kb, engine):
    from knowledge import load_into_database

    before = kb.version()
    load_into_database(engine)
    assert kb.version() == before + 1


# -- regions and fiscal years ------------------------------------------------------------------
def test_counterpart_falls_back_to_the_region_the_page_gives(kb):
    assert pairs(kb.affiliations_of_counterpart("Bali")) == [("Shimane", "Mas Village")]
    assert pairs(kb.affiliations_of_counterpart("Maharashtra")) == [
        ("Kanagawa", "Mumbai"), ("Okayama", "Pimpri Chinchwad"), ("Okayama", "Pune")]
    assert kb.affiliations_of_counterpart("Yangon") == []


def test_affiliations_in_region(kb):
    assert pairs(kb.affiliations_in_region("Benguet")) == [
        ("Hokkaido", "Baguio"), ("Iwate", "La Trinidad"), ("Ibaraki", "La Trinidad"),
        ("Saitama", "Baguio"), ("Nagano", "La Trinidad"), ("Kochi", "Benguet Province")]
    assert pairs(kb.affiliations_in_region("east java")) == [("Osaka", "East Java"), ("Kochi", "Surabaya")]
    assert kb.affiliations_in_region("") == []


@pytest.mark.parametrize("text, year", [
    (2015, 2015), ("2015", 2015), ("FY2011", 2011), ("fy 2008", 2008), ("fiscal year 2013", 2013),
    ("next year", None), ("", None), (None, None), (True, None),
])
def test_parse_fiscal_year(text, year):
    from knowledge.query import parse_fiscal_year

    assert parse_fiscal_year(text) == year


def test_edition_accepts_fiscal_year_text(kb):
    assert kb.edition("FY2008").status == "cancelled"
    assert kb.edition("soon") is None


def test_find_names_reads_short_codes_only_in_capitals(kb):
    assert found(kb, "what does an SEA do") == [("position", "SEA")]
    assert found(kb, "which ones are by the sea") == []
    assert ("position", "ALT") in found(kb, "what does an ALT do")


def test_page_gaps_are_kept_between_answers_and_reread_after_an_edit(engine, kb):
    from knowledge.writer import bump_version

    first = kb.page_gaps()
    assert kb.page_gaps() == first  # served from the cache
    with Session(engine, future=True) as session, session.begin():
        session.execute(update(m.SourceText).where(m.SourceText.subject == "page_gaps",
                                                   m.SourceText.key == "visas.what").values(value="visas (edited)"))
        bump_version(session)  # what every console edit and load does
    assert {g.topic: g.what for g in kb.page_gaps()}["visas"] == "visas (edited)"


def test_a_places_short_code_is_found_in_any_case(kb):
    assert ("place", "Ho Chi Minh City") in found(kb, "hcmc sister city?")
    assert ("place", "Ho Chi Minh City") in found(kb, "HCMC's partner")
