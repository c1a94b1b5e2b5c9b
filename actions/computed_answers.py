"""Answers to questions the list and the editions support only by computing: the most, the
fewest, more than one, both countries, how many prefectures, comparisons, the whole list paged,
the latest edition, how many editions and the years per host country."""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List

from actions.affiliation_answers import counterpart_text, japanese_side
from actions.programme_answers import edition_where, repp_edition, year_range
from actions.question import AffiliationQuestion, ProgrammeQuestion
from knowledge.affiliation_query import AffiliationQuery
from actions.turn import Turn, joined, lines, payload, plural

GROUPING_WORDS = {"prefecture": ("prefecture", "prefectures"), "counterpart": ("counterpart", "counterparts"),
                  "country": ("country", "countries")}
AFFILIATION = ("sister-city affiliation", "sister-city affiliations")
WHOLE_LIST_PAGE_LINES = 12  # a chat bubble's worth; a country's block is never split


def grouping_word(grouping: str, count: int) -> str:
    singular, many = GROUPING_WORDS[grouping]
    return singular if count == 1 else many


def _affiliations(count: int) -> str:
    return plural(count, *AFFILIATION)


def _scope(question: AffiliationQuestion) -> str:
    query = question.query
    parts = []
    if query.countries and query.measure not in ("covers_all_countries", "only_countries"):
        parts.append(f"with {joined(list(query.countries))}")
    if query.places:
        parts.append(f"with {joined(list(query.places))}")
    if query.prefectures and question.ask != "compare":
        parts.append(f"of {joined(list(query.prefectures))}")
    return (" (" + ", ".join(parts) + ")") if parts else ""


def group_line(group, grouping: str) -> str:
    if grouping == "prefecture":
        partners = [f"{counterpart_text(a)} ({a.country})" for a in group.affiliations]
    elif grouping == "counterpart":
        partners = [japanese_side(a) for a in group.affiliations]
    else:
        partners = [f"{japanese_side(a)} – {counterpart_text(a)}" for a in group.affiliations]
    return f"{group.name} ({_affiliations(group.count)}): {'; '.join(partners)}"


def answer_affiliation_question(turn: Turn, question: AffiliationQuestion) -> None:
    handlers = {"whole_list": _whole_list, "compare": _compare, "distinct": _distinct, "list": _measured}
    handlers[question.ask](turn, question)


def _grouping(query: AffiliationQuery) -> str:
    """What an aggregate groups by: AffiliationQuery refuses an aggregate without one."""
    if query.group_by is None:
        raise ValueError(f"an aggregate needs a grouping: {query}")
    return query.group_by


def _year(question: ProgrammeQuestion) -> int:
    """The year of a question about one edition (actions/question.py always names it)."""
    if question.year is None:
        raise ValueError(f"a question about one edition needs its year: {question}")
    return question.year


def _measured(turn: Turn, question: AffiliationQuestion) -> None:
    query = question.query
    result = turn.kb.query_affiliations(query)
    groups, grouping = result.groups, _grouping(query)
    measure = f"exactly:{query.size}" if query.measure == "exactly" else query.measure  # "exactly:2": its size too
    turn.remember(results=[g.name for g in groups], grouping=grouping, measure=measure,
                  country=query.countries[0] if len(query.countries) == 1 else None)
    source = turn.source_values()
    exactly = f"exactly {_affiliations(query.size) if query.size > 1 else 'one sister-city affiliation'}"
    if not groups:
        turn.say(f"utter_aggregate_none_{query.measure}", grouping=grouping_word(grouping, 1), amount=exactly,
                 countries=joined(list(query.countries)) if query.countries else "", scope=_scope(question),
                 **source)
        return
    group_lines = lines([group_line(g, grouping) for g in groups])
    if query.measure in ("most", "fewest"):
        count = groups[0].count
        turn.say(f"utter_aggregate_{query.measure}", names=joined([g.name for g in groups]),
                 verb="has" if len(groups) == 1 else "have", grouping=grouping_word(grouping, 1),
                 amount=_affiliations(count) + (" each" if len(groups) > 1 else ""), scope=_scope(question),
                 lines=group_lines, **source)
        ranking = _ranking_after(turn, query, [g.name for g in groups])
        if ranking:
            turn.say("utter_aggregate_ranking", ranking=ranking)
    elif query.measure in ("more_than_one", "exactly"):
        turn.say(f"utter_aggregate_{query.measure}", groups=plural(len(groups), *GROUPING_WORDS[grouping]), amount=exactly,
                 verb="has" if len(groups) == 1 else "have", scope=_scope(question), lines=group_lines, **source)
    elif query.measure == "only_countries":
        turn.say("utter_aggregate_only_countries", groups=plural(len(groups), *GROUPING_WORDS[grouping]),
                 verb="has" if len(groups) == 1 else "have", countries=joined(list(query.countries)),
                 lines=group_lines, **source)
    else:
        turn.say("utter_aggregate_covers_all_countries", names=joined([g.name for g in groups]),
                 verb="has" if len(groups) == 1 else "have", countries=joined(list(query.countries)),
                 both="both " if len(query.countries) == 2 else "each of ", lines=group_lines, **source)


RANKING_STEPS = 3  # "after them": the next three counts, enough for "the second most" and a ranking


def _ranking_after(turn: Turn, query, leaders: List[str]) -> str:
    """The groups after the leaders, by count, ties together: "Indonesia (7), India (5), Thailand (4)"."""
    everyone = turn.kb.query_affiliations(replace(query, measure="all")).groups
    rest = [g for g in everyone if g.name not in leaders]
    if query.measure == "fewest":
        rest.sort(key=lambda g: g.count)
    else:
        rest.sort(key=lambda g: -g.count)
    steps: List[tuple] = []
    for group in rest:
        if not steps or steps[-1][0] != group.count:
            if len(steps) == RANKING_STEPS:
                break
            steps.append((group.count, []))
        steps[-1][1].append(group.name)
    return "; ".join(f"{joined(names)} ({_affiliations(count)}{' each' if len(names) > 1 else ''})"
                     for count, names in steps)


def _distinct(turn: Turn, question: AffiliationQuestion) -> None:
    query = question.query
    groups = turn.kb.query_affiliations(query).groups
    turn.remember(results=[g.name for g in groups], grouping=query.group_by, measure="distinct")
    turn.say("utter_aggregate_distinct", groups=plural(len(groups), *GROUPING_WORDS[_grouping(query)]),
             verb="appears" if len(groups) == 1 else "appear", scope=_scope(question),
             names=joined([g.name for g in groups]) if groups else "none",
             affiliations=_affiliations(len(turn.kb.query_affiliations(query).affiliations)),
             **turn.source_values())


def _compare(turn: Turn, question: AffiliationQuestion) -> None:
    query = question.query
    found = {g.name: g for g in turn.kb.query_affiliations(query).groups}
    counts = {name: found[name].count if name in found else 0 for name in question.compared}
    compare_lines = []
    for name in question.compared:
        if name in found:
            compare_lines.append(group_line(found[name], _grouping(query)))
        else:
            compare_lines.append(f"{name}: no {AFFILIATION[0]}")
    turn.remember(results=list(question.compared), grouping=query.group_by)
    top = max(counts.values())
    leaders = [name for name, count in counts.items() if count == top]
    values = dict(lines=lines(compare_lines), **turn.source_values())
    if len(leaders) == len(counts):
        turn.say("utter_compare_equal", amount=_affiliations(top) + " each", **values)
    else:
        runner_up = max(count for count in counts.values() if count < top)
        # "How many more does the Philippines have than Indonesia?": the difference, said with both counts
        difference = f"{_affiliations(top)} against {runner_up}, {top - runner_up} more"
        turn.say("utter_compare_more", leader=joined(leaders), verb="has" if len(leaders) == 1 else "have",
                 difference=difference, **values)


def _pages(groups) -> List[List]:
    pages: List[List] = [[]]
    size = 0
    for group in groups:
        if pages[-1] and size + group.count + 1 > WHOLE_LIST_PAGE_LINES:
            pages.append([])
            size = 0
        pages[-1].append(group)
        size += group.count + 1
    return pages


def _whole_list(turn: Turn, question: AffiliationQuestion) -> None:
    result = turn.kb.query_affiliations(question.query)
    order: Dict[str, int] = {}
    for affiliation in result.affiliations:  # the page's own order of countries
        order.setdefault(affiliation.country, len(order))
    groups = sorted(result.groups, key=lambda g: order[g.name])
    pages = _pages(groups)
    number = min(question.page, len(pages))
    page_lines = []
    for group in pages[number - 1]:
        page_lines.append(f"{group.name} ({_affiliations(group.count)}):")
        page_lines += [f"- {japanese_side(a)} – {counterpart_text(a)}" for a in group.affiliations]
    buttons = []
    if number < len(pages):
        buttons.append({"title": "More", "payload": payload("sister_cities", {"list_page": str(number + 1)})})
    turn.remember()
    countries = ", ".join(f"{g.name} {g.count}" for g in groups)  # every page says what the others hold
    turn.say("utter_whole_list_page", total=_affiliations(len(result.affiliations)), page=number, pages=len(pages),
             countries=countries,
             lines="\n".join(page_lines), buttons=buttons, **turn.source_values())


def answer_programme_question(turn: Turn, question: ProgrammeQuestion) -> None:
    editions = turn.kb.editions()
    held = [e for e in editions if e.status != "cancelled"]
    if question.ask == "edition":
        turn.intent = "repp_edition"
        repp_edition(turn)
    elif question.ask == "adjacent":
        _adjacent_edition(turn, question, sorted(editions, key=lambda e: e.fiscal_year))
    elif question.ask == "length":
        edition_length(turn, _year(question))
    elif question.ask == "participants":
        # year -1 / 0: the latest / first edition that went ahead ("how many took part in the latest one")
        year = _year(question)
        if year in (-1, 0):
            year = (max if year == -1 else min)(e.fiscal_year for e in held)
        edition_participants(turn, year)
    elif question.ask == "first_and_latest":
        first, latest = min(editions, key=lambda e: e.fiscal_year), max(held, key=lambda e: e.fiscal_year)
        turn.remember(year=latest.fiscal_year)
        turn.say("utter_first_edition", year=first.fiscal_year, where=edition_where(first), title=first.title)
        turn.say("utter_latest_edition", year=latest.fiscal_year, where=edition_where(latest), title=latest.title)
    elif question.ask == "latest":
        latest = max(held, key=lambda e: e.fiscal_year)
        turn.remember(year=latest.fiscal_year)
        turn.say("utter_latest_edition", year=latest.fiscal_year, where=edition_where(latest), title=latest.title)
    elif question.ask == "first":
        first = min(editions, key=lambda e: e.fiscal_year)
        turn.remember(year=first.fiscal_year)
        turn.say("utter_first_edition", year=first.fiscal_year, where=edition_where(first), title=first.title)
    elif question.ask == "count" and question.country:
        turn.intent = "repp_edition_count"  # the topic a follow-up ("and in Vietnam?") changes the country of
        _count_in_country(turn, question.country, editions)
    elif question.ask == "count" and question.between:
        since, until = question.between
        within = [e for e in editions if since <= e.fiscal_year <= until]
        went = [e for e in within if e.status != "cancelled"]
        turn.say("utter_edition_count_between", editions=plural(len(within), "program", "programs"),
                 held=len(went), first_year=since, last_year=until, cancelled=_cancelled(within))
    elif question.ask == "count":
        turn.say("utter_edition_count", editions=plural(len(editions), "program", "programs"),
                 held=len(held), cancelled=_cancelled(editions), **year_range(turn))
    elif question.ask == "multi_country_years":
        several = [e for e in sorted(held, key=lambda e: e.fiscal_year) if len(e.countries) > 1]
        turn.say("utter_edition_multi_country", lines=lines([f"FY{e.fiscal_year}: {joined(list(e.countries))}"
                                                              for e in several]) or "- none", **year_range(turn))
    elif question.ask == "city_count" and question.year:
        _cities_of_year(turn, question.year, editions)
    elif question.ask == "city_count":
        visited = [e for e in sorted(held, key=lambda e: e.fiscal_year) if not question.country or question.country in e.countries]
        cities = list(dict.fromkeys(city for e in visited for city in e.cities))
        turn.say("utter_edition_city_count", cities=plural(len(cities), "city", "cities"), names=joined(cities),
                 scope=f" in {question.country}" if question.country else "", **year_range(turn))
    elif question.ask in ("repeat_cities", "repeat_countries"):
        _visited_more_than_once(turn, held, cities=question.ask == "repeat_cities")
    elif question.ask == "host_countries":
        hosts = list(dict.fromkeys(c for e in sorted(held, key=lambda e: e.fiscal_year) for c in e.countries))
        turn.say("utter_edition_host_countries", countries=plural(len(hosts), "country", "countries"),
                 names=joined(hosts), **year_range(turn))
    elif question.ask in ("most_hosted", "fewest_hosted"):
        _most_hosted(turn, editions, most=question.ask == "most_hosted")
    else:
        by_country: Dict[str, List[str]] = {}
        for edition in sorted(editions, key=lambda e: e.fiscal_year):
            for country in edition.countries:
                mark = " (cancelled)" if edition.status == "cancelled" else ""
                by_country.setdefault(country, []).append(f"FY{edition.fiscal_year}{mark}")
        turn.say("utter_editions_by_country",
                 lines=lines([f"{country}: {', '.join(years)}" for country, years in by_country.items()]),
                 **year_range(turn))


def _adjacent_edition(turn: Turn, question: ProgrammeQuestion, editions) -> None:
    """The edition right after (or before) the one named by its year, its country or its cancellation."""
    if question.year is not None:
        anchors = [e for e in editions if e.fiscal_year == question.year]
    elif question.cancelled:
        anchors = [e for e in editions if e.status == "cancelled" and (not question.country or question.country in e.countries)]
    else:
        anchors = [e for e in editions if question.country in e.countries]
    if not anchors:
        if question.year is not None or question.country is None:
            repp_edition(turn)
        else:
            _count_in_country(turn, question.country, editions)
        return
    anchor = anchors[-1] if question.after else anchors[0]  # "after Vietnam": after its last visit
    index = editions.index(anchor) + (1 if question.after else -1)
    relation = "after" if question.after else "before"
    if not 0 <= index < len(editions):
        turn.say("utter_edition_adjacent_none", anchor=anchor.fiscal_year, anchor_where=_where(anchor),
                 end="latest" if question.after else "first", relation=relation, **year_range(turn))
        return
    found = editions[index]
    turn.intent = "repp_edition"
    turn.remember(year=found.fiscal_year)
    turn.say("utter_edition_adjacent", relation=relation, anchor=anchor.fiscal_year, anchor_where=_where(anchor),
             year=found.fiscal_year, where=_where(found), title=found.title)


def _where(edition) -> str:
    cancelled = f", cancelled ({edition.reason})" if edition.status == "cancelled" else ""
    return edition_where(edition) + cancelled


def _most_hosted(turn: Turn, editions, most: bool) -> None:
    """The host countries with the most (or fewest) programs that went ahead, ties together; a
    cancelled program is shown beside its country's years, never counted as held."""
    held: Dict[str, List[int]] = {}
    cancelled: Dict[str, List[int]] = {}
    for edition in sorted(editions, key=lambda e: e.fiscal_year):
        for country in edition.countries:
            (cancelled if edition.status == "cancelled" else held).setdefault(country, []).append(edition.fiscal_year)
            held.setdefault(country, [])
    counts = {country: len(years) for country, years in held.items()}
    best = (max if most else min)(counts.values())
    winners = [country for country, count in counts.items() if count == best]

    def years_of(country: str) -> str:
        years = [f"FY{y}" for y in held[country]]
        years += [f"FY{y} (cancelled)" for y in cancelled.get(country, [])]
        return f"{country}: {', '.join(years)}"

    turn.remember(country=winners[0] if len(winners) == 1 else None)
    turn.say("utter_edition_most_hosted" if most else "utter_edition_fewest_hosted",
             countries=joined(winners), times=_times(best), lines=lines([years_of(c) for c in winners]),
             **year_range(turn))


def _visited_more_than_once(turn: Turn, held, cities: bool) -> None:
    """The cities (or countries) of more than one program that went ahead, with their years; a
    program whose cities the page does not name counts for its country only."""
    visits: Dict[str, List[int]] = {}
    for edition in sorted(held, key=lambda e: e.fiscal_year):
        for place in (edition.cities if cities else edition.countries):
            visits.setdefault(place, []).append(edition.fiscal_year)
    repeated = {place: years for place, years in visits.items() if len(years) > 1}
    kind = "cities" if cities else "countries"
    if not repeated:
        turn.say("utter_edition_none_repeated", kind=kind, **year_range(turn))
        return
    turn.say("utter_edition_repeated", kind=kind,
             lines=lines([f"{place}: {_times(len(years))} ({', '.join(f'FY{y}' for y in years)})"
                          for place, years in repeated.items()]), **year_range(turn))


def _times(count: int) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _count_in_country(turn: Turn, country: str, editions) -> None:
    there = [e for e in editions if country in e.countries]
    held = [e for e in there if e.status != "cancelled"]
    cancelled = [e for e in there if e.status == "cancelled"]
    turn.remember(country=country)
    if not there:
        turn.say("utter_no_editions_in_country", name=country, **year_range(turn))
        return
    times = _times(len(held))
    years = joined([f"FY{e.fiscal_year}" for e in held]) if held else "none"
    if cancelled:
        turn.say("utter_edition_count_country_cancelled", country=country, times=times, years=years,
                 cancelled=joined([f"FY{e.fiscal_year}" for e in cancelled]), reason=cancelled[0].reason)
    else:
        turn.say("utter_edition_count_country", country=country, times=times, years=years)


def _detailed_editions(turn: Turn, field: str) -> list:
    details = (turn.kb.edition_details(e.fiscal_year) for e in turn.kb.editions())
    return [d for d in details if d is not None and getattr(d, field)]


def edition_length(turn: Turn, year: int) -> None:
    """How long one edition lasted: the page gives it for some editions only, and says so."""
    turn.intent = "repp_edition_length"  # "how about the 2015 one?" asks the length again
    turn.remember(year=year)
    details = turn.kb.edition_details(year)
    if details is not None and details.days:
        turn.say("utter_edition_length", year=year, days=details.days, period=details.period)
        return
    turn.say("utter_edition_length_unknown", year=year,
             known=joined([f"FY{d.fiscal_year} ({d.days} days, {d.period})"
                           for d in _detailed_editions(turn, "days")]) or "none")


def edition_participants(turn: Turn, year: int) -> None:
    """How many took part in one edition: given for some editions only, and says so."""
    turn.intent = "repp_edition_participants"
    turn.remember(year=year)
    details = turn.kb.edition_details(year)
    if details is not None and details.participants:
        turn.say("utter_edition_participants", year=year, participants=details.participants,
                 description=details.participants_description)
        return
    turn.say("utter_edition_participants_unknown", year=year,
             known=joined([f"FY{d.fiscal_year} ({d.participants} participants)"
                           for d in _detailed_editions(turn, "participants")]) or "none")


def _cancelled(editions) -> str:
    """How many of ``editions`` were cancelled, and which: "1 was cancelled: FY2008 (...)" (a visitor
    asking "how many were cancelled?" reads the number)."""
    cancelled = [e for e in editions if e.status == "cancelled"]
    if not cancelled:
        return "none was cancelled"
    verb = "was" if len(cancelled) == 1 else "were"
    return f"{len(cancelled)} {verb} cancelled: " + joined([f"FY{e.fiscal_year} ({e.reason})" for e in cancelled])


def _cities_of_year(turn: Turn, year: int, editions) -> None:
    """How many cities one edition visited, and which (the count a visitor asked for, first)."""
    edition = next((e for e in editions if e.fiscal_year == year), None)
    if edition is None or not edition.cities:
        repp_edition(turn, [year])  # no such edition, or no cities on the page: that edition's own reply
        return
    turn.intent = "repp_edition"
    turn.remember(year=year)
    turn.say("utter_edition_year_city_count", year=year, cities=plural(len(edition.cities), "city", "cities"),
             names=joined(list(edition.cities)), where=joined(list(edition.countries)))

