"""The query layer over the list of sister-city affiliations.

A question about the list becomes one `AffiliationQuery`: which affiliations (filters), grouped by
what (prefecture, counterpart or country), and which measure of the groups is asked (all of them,
the largest, those with more than one or exactly one, those covering every named country). The simple questions
("Fukuoka's sister cities") and the computed ones ("which prefecture has the most") run through the
same `run_query`, so their answers cannot disagree.

The list is small (a few dozen rows): it is read once per query through the facade and computed
here in Python, which keeps every measure in one readable place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from .normalize import compact
from .results import Affiliation

GROUP_KEYS: Dict[str, Callable[[Affiliation], str]] = {
    "prefecture": lambda a: a.prefecture,
    "counterpart": lambda a: a.counterpart,
    "country": lambda a: a.country,
}
MEASURES = ("all", "most", "fewest", "more_than_one", "exactly", "covers_all_countries", "only_countries")


@dataclass(frozen=True)
class AffiliationQuery:
    """Filters combine with AND between kinds and OR within a kind, except that with
    `measure="covers_all_countries"` the countries are a set every group must cover."""

    prefectures: Tuple[str, ...] = ()
    places: Tuple[str, ...] = ()  # a counterpart, or a region the page gives after its comma
    countries: Tuple[str, ...] = ()
    group_by: Optional[str] = None  # one of GROUP_KEYS; None: the affiliations themselves
    measure: str = "all"
    size: int = 1  # with measure="exactly": how many affiliations each group has

    def __post_init__(self) -> None:
        if self.group_by is not None and self.group_by not in GROUP_KEYS:
            raise ValueError(f"unknown grouping {self.group_by!r}")
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}")
        if self.measure != "all" and self.group_by is None:
            raise ValueError(f"measure {self.measure!r} needs a grouping")


@dataclass(frozen=True)
class Group:
    name: str
    affiliations: Tuple[Affiliation, ...]

    @property
    def count(self) -> int:
        return len(self.affiliations)

    @property
    def countries(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(a.country for a in self.affiliations))


@dataclass(frozen=True)
class QueryResult:
    query: AffiliationQuery
    affiliations: Tuple[Affiliation, ...]  # every affiliation the filters kept, in the list's order
    groups: Tuple[Group, ...] = field(default=())  # the groups the measure kept, largest first

    @property
    def group_names(self) -> List[str]:
        return [g.name for g in self.groups]


def _matches_place(affiliation: Affiliation, places: Tuple[str, ...]) -> bool:
    keys = {compact(p) for p in places}
    return (compact(affiliation.counterpart) in keys
            or bool(affiliation.counterpart_region and compact(affiliation.counterpart_region) in keys))


def _kept(affiliation: Affiliation, query: AffiliationQuery, countries_filter: bool) -> bool:
    if query.prefectures and affiliation.prefecture not in query.prefectures:
        return False
    if query.places and not _matches_place(affiliation, query.places):
        return False
    return not (countries_filter and query.countries and affiliation.country not in query.countries)


def _group(affiliations: List[Affiliation], by: str) -> List[Group]:
    key = GROUP_KEYS[by]
    grouped: Dict[str, List[Affiliation]] = {}
    for affiliation in affiliations:
        grouped.setdefault(key(affiliation), []).append(affiliation)
    groups = [Group(name, tuple(rows)) for name, rows in grouped.items()]
    return sorted(groups, key=lambda g: (-g.count, g.name))


def _measured(groups: List[Group], query: AffiliationQuery) -> List[Group]:
    if not groups:
        return []
    if query.measure == "most":
        top = groups[0].count
        return [g for g in groups if g.count == top]  # ties are all shown
    if query.measure == "fewest":
        low = min(g.count for g in groups)
        return sorted((g for g in groups if g.count == low), key=lambda g: g.name)
    if query.measure == "more_than_one":
        return [g for g in groups if g.count > 1]
    if query.measure == "exactly":
        return sorted((g for g in groups if g.count == query.size), key=lambda g: g.name)
    if query.measure == "covers_all_countries":
        wanted = set(query.countries)
        return [g for g in groups if wanted <= set(g.countries)]
    if query.measure == "only_countries":
        return [g for g in groups if set(g.countries) <= set(query.countries)]
    return groups


def run_query(affiliations: List[Affiliation], query: AffiliationQuery) -> QueryResult:
    """`affiliations`: the whole active list (KnowledgeBase.affiliations())."""
    covering = query.measure == "covers_all_countries"
    # "only in the Philippines" judges each group on all its affiliations, not just those there.
    rows = [a for a in affiliations if _kept(a, query, countries_filter=query.measure not in
                                              ("covers_all_countries", "only_countries"))]
    if covering:
        # Keep only the rows in the named countries, but judge coverage per group.
        groups = _measured(_group(rows, query.group_by), query) if query.group_by else []
        kept = [a for g in groups for a in g.affiliations if a.country in query.countries]
        groups = [Group(g.name, tuple(a for a in g.affiliations if a.country in query.countries)) for g in groups]
        return QueryResult(query, tuple(kept), tuple(groups))
    groups = _measured(_group(rows, query.group_by), query) if query.group_by else []
    return QueryResult(query, tuple(rows), tuple(groups))
