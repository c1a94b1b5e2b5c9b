"""The query layer on the real knowledge base: each measure, ties, empty results, and the same
code path for simple lists. Expected values are counted from the page's list by hand."""
import pytest

from knowledge.affiliation_query import AffiliationQuery, run_query
from knowledge.results import Affiliation


def test_simple_filters_are_the_lists_the_facade_gives(kb):
    result = kb.query_affiliations(AffiliationQuery(prefectures=("Fukuoka",)))
    assert [a.counterpart for a in result.affiliations] == ["Bangkok", "Delhi", "Hanoi", "Ipoh"]
    assert list(result.affiliations) == kb.affiliations_of_prefecture("Fukuoka")


def test_prefectures_with_the_most_affiliations_include_every_tie(kb):
    result = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="most"))
    assert result.group_names == ["Chiba", "Fukuoka"]
    assert {g.count for g in result.groups} == {4}


def test_country_with_the_most_and_the_fewest(kb):
    most = kb.query_affiliations(AffiliationQuery(group_by="country", measure="most"))
    assert [(g.name, g.count) for g in most.groups] == [("Philippines", 19)]
    fewest = kb.query_affiliations(AffiliationQuery(group_by="country", measure="fewest"))
    assert [(g.name, g.count) for g in fewest.groups] == [("Cambodia", 1), ("Malaysia", 1)]


def test_counterparts_shared_by_most_prefectures(kb):
    result = kb.query_affiliations(AffiliationQuery(group_by="counterpart", measure="most"))
    assert result.group_names == ["La Trinidad", "Manila"]
    assert sorted(a.prefecture for a in result.groups[0].affiliations) == ["Ibaraki", "Iwate", "Nagano"]


def test_prefectures_in_two_named_countries(kb):
    result = kb.query_affiliations(AffiliationQuery(countries=("Thailand", "India"), group_by="prefecture",
                                                    measure="covers_all_countries"))
    assert result.group_names == ["Fukuoka"]
    assert {a.country for a in result.affiliations} == {"Thailand", "India"}


def test_no_prefecture_covers_an_impossible_pair(kb):
    result = kb.query_affiliations(AffiliationQuery(countries=("Cambodia", "Malaysia"), group_by="prefecture",
                                                    measure="covers_all_countries"))
    assert result.groups == () and result.affiliations == ()


def test_more_than_one_within_a_country(kb):
    result = kb.query_affiliations(AffiliationQuery(countries=("Philippines",), group_by="prefecture",
                                                    measure="more_than_one"))
    assert result.group_names == ["Chiba", "Yamagata"]


def test_exactly_one_is_every_group_with_a_single_affiliation(kb):
    everything = kb.affiliations()
    result = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="exactly"))
    singles = sorted(p for p in {a.prefecture for a in everything}
                     if sum(a.prefecture == p for a in everything) == 1)
    assert result.group_names == singles and "Kagoshima" in singles and "Chiba" not in singles
    assert all(g.count == 1 for g in result.groups)


def test_exactly_one_can_be_empty(kb):
    result = kb.query_affiliations(AffiliationQuery(countries=("Malaysia",), group_by="country",
                                                    measure="exactly"))
    assert result.group_names == ["Malaysia"]
    none = kb.query_affiliations(AffiliationQuery(countries=("Philippines",), group_by="country",
                                                  measure="exactly"))
    assert none.groups == ()


def test_distinct_groups_are_counted_from_the_list(kb):
    everything = kb.affiliations()
    prefectures = kb.query_affiliations(AffiliationQuery(group_by="prefecture")).groups
    countries = kb.query_affiliations(AffiliationQuery(group_by="country")).groups
    assert len(prefectures) == len({a.prefecture for a in everything}) == 23
    assert len(countries) == 7
    assert sum(g.count for g in countries) == len(everything) == kb.count_affiliations()


def test_a_region_filter_finds_the_counterparts_in_it(kb):
    result = kb.query_affiliations(AffiliationQuery(places=("Benguet",)))
    assert {a.counterpart for a in result.affiliations} >= {"Baguio", "La Trinidad"}


def test_filters_that_match_nothing_give_empty_results(kb):
    result = kb.query_affiliations(AffiliationQuery(prefectures=("Gifu",), countries=("Thailand",),
                                                    group_by="prefecture", measure="most"))
    assert result.affiliations == () and result.groups == ()


def test_a_measure_needs_a_grouping():
    with pytest.raises(ValueError):
        AffiliationQuery(measure="most")
    with pytest.raises(ValueError):
        AffiliationQuery(group_by="municipality")


def test_ties_are_ordered_by_name_and_larger_groups_first():
    rows = [Affiliation("B", None, "x", None, "C1", "x"), Affiliation("A", None, "y", None, "C1", "y"),
            Affiliation("C", None, "z", None, "C2", "z"), Affiliation("C", None, "w", None, "C2", "w")]
    grouped = run_query(rows, AffiliationQuery(group_by="prefecture"))
    assert grouped.group_names == ["C", "A", "B"]
    assert run_query(rows, AffiliationQuery(group_by="country", measure="most")).group_names == ["C1", "C2"]


def test_exactly_two_is_every_group_with_two(kb):
    result = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="exactly", size=2))
    assert result.groups and all(g.count == 2 for g in result.groups) and "Okayama" in result.group_names


def test_only_countries_judges_each_group_on_all_its_affiliations(kb):
    result = kb.query_affiliations(AffiliationQuery(countries=("Philippines",), group_by="prefecture",
                                                    measure="only_countries"))
    assert result.groups and all(set(g.countries) == {"Philippines"} for g in result.groups)
    assert "Chiba" not in result.group_names and "Yamagata" not in result.group_names  # Papua is Indonesian
