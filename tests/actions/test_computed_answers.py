"""Computed answers through action_answer: the message's own words choose the computation, the
names come from scanning the text against the real test knowledge base, and the reply a visitor
reads is checked (rendered from domain.yml)."""
import json
import re

import pytest

from knowledge.affiliation_query import AffiliationQuery


@pytest.fixture
def reply(answer, render):
    def ask(text, intent="sister_cities", entities=None, slots=None):
        messages, events = answer(text, intent, entities, slots)
        return [m["response"] for m in messages], "\n".join(render(m) for m in messages), messages, events

    return ask


def test_most_affiliations_names_every_tied_prefecture(reply):
    responses, text, _, events = reply("Which Japanese prefectures have the most sister cities?")
    assert responses == ["utter_aggregate_most", "utter_aggregate_ranking"]
    assert text.startswith("Chiba and Fukuoka have the most sister-city affiliations of any prefecture")
    assert "4 sister-city affiliations each" in text
    assert "Ipoh" in text and "Legazpi" in text
    results = next(e["value"] for e in events if e.get("name") == "context_results")
    assert results == ["Chiba", "Fukuoka"]


def test_country_and_counterpart_with_the_most(reply):
    _, text, _, _ = reply("which country has the most sister city affiliations", intent="sister_city_count")
    assert text.startswith("Philippines has the most") and "19 sister-city affiliations" in text
    _, text, _, _ = reply("Which city has the most Japanese sister cities?")
    assert text.startswith("La Trinidad and Manila have the most") and "3 sister-city affiliations each" in text


@pytest.mark.parametrize("text", ["which prefecture has the most sister cities in asean/india?",
                                  "which prefecture has the most sister cities in ASEAN and India?",
                                  "Which prefecture has the most partners in the ASEAN region or India"])
def test_asean_and_india_together_is_the_whole_list_not_india(reply, text):
    _, said, _, _ = reply(text, entities=[{"entity": "country", "value": "India", "start": text.lower().rindex("india"),
                                          "end": text.lower().rindex("india") + 5}])
    assert said.startswith("Chiba and Fukuoka have the most") and "India)" not in said.split("\n")[0]


def test_is_this_prefecture_the_one_with_the_most_gives_every_tied_one(reply):
    _, said, _, _ = reply("Is Fukuoka the prefecture with the most partner cities on your list")
    assert said.startswith("Chiba and Fukuoka have the most")


def test_most_within_one_country_filters_first(reply):
    _, text, _, _ = reply("Which prefecture has the most partners in the Philippines?")
    assert "Chiba and Yamagata have the most" in text and "(with Philippines)" in text


def test_prefectures_in_both_countries(reply):
    responses, text, _, _ = reply("Which prefectures have sister cities in both Thailand and India?")
    assert responses == ["utter_aggregate_covers_all_countries"]
    assert text.startswith("Fukuoka has sister-city affiliations in both Thailand and India")
    assert "Delhi" in text and "Bangkok" in text and "Hanoi" not in text


def test_no_prefecture_in_both_says_so(reply):
    responses, text, _, _ = reply("any prefecture with sister cities in both Cambodia and Malaysia?")
    assert responses == ["utter_aggregate_none_covers_all_countries"]
    assert "No prefecture" in text


def test_more_than_one(reply):
    _, text, _, _ = reply("Which prefectures have more than one sister city?")
    assert text.startswith("10 prefectures have more than one sister-city affiliation")
    for name in ("Chiba", "Fukuoka", "Yamagata", "Osaka", "Saitama", "Okayama", "Hiroshima", "Kyoto", "Kochi",
                 "Kanagawa"):
        assert name in text
    assert "Tokyo" not in text


def test_how_many_prefectures_and_countries(reply):
    responses, text, _, _ = reply("How many prefectures have sister cities?", intent="sister_city_count")
    assert responses == ["utter_aggregate_distinct"] and text.startswith("23 prefectures appear")
    _, text, _, _ = reply("how many countries are on the sister city list", intent="sister_city_count")
    assert text.startswith("7 countries appear")
    _, text, _, _ = reply("How many Japanese prefectures have sister cities in the Philippines?",
                          intent="sister_city_count")
    assert text.startswith("17 prefectures (with Philippines) appear")


def test_how_many_sister_cities_of_a_prefecture_is_still_a_count(reply):
    responses, _, _, _ = reply("How many sister cities does Chiba have?", intent="sister_city_count")
    assert responses == ["utter_affiliation_count_prefecture"]


def test_compare_two_prefectures(reply):
    responses, text, _, _ = reply("Compare Fukuoka and Osaka", intent="sister_cities")
    assert responses == ["utter_compare_more"]
    assert "Fukuoka (4 sister-city affiliations)" in text and "Osaka (3 sister-city affiliations)" in text
    assert text.splitlines()[-1].startswith("Fukuoka has more")
    _, text, _, _ = reply("Does Chiba have more sister cities than Fukuoka?")
    assert "They have the same number: 4 sister-city affiliations each" in text


def test_compare_two_prefectures_in_one_country(reply):
    responses, text, _, _ = reply("Chiba or Yamagata: which has more Philippine partners?", intent="sister_cities")
    assert responses == ["utter_compare_equal"]
    assert "Quezon" in text and "Kawit" in text and "General Trias" in text and "Bangkok" not in text


def test_two_prefectures_and_a_country_answer_for_each(reply):
    _, text, _, _ = reply("do our neighbours Kagawa and Kochi have Philippine partners?", intent="sister_cities")
    assert "Pasig" in text and "Benguet" in text and "Surabaya" not in text


def test_whole_list_is_paged_and_the_button_carries_the_next_page(reply, domain, kb):
    responses, text, messages, _ = reply("list all sister cities")
    assert responses == ["utter_whole_list_page"] and "Part 1 of" in text
    assert "Indonesia (7 sister-city affiliations):" in text
    # The first page already names every country with its count.
    assert all(f"{country} {count}" in text.splitlines()[0] for country, count in kb.count_by_country().items())
    seen = [line for line in text.splitlines() if line.startswith("- ")]
    page = 1
    while messages[0]["buttons"]:
        payload = messages[0]["buttons"][0]["payload"]
        intent, entities = payload[1:payload.index("{")], json.loads(payload[payload.index("{"):])
        page += 1
        assert entities == {"list_page": str(page)}
        _, text, messages, _ = reply(payload, intent, [{"entity": "list_page", "value": entities["list_page"]}])
        assert f"Part {page} of" in text
        seen += [line for line in text.splitlines() if line.startswith("- ")]
    assert len(seen) == 39 and len(set(seen)) == 39  # every affiliation once, none lost between pages


def test_a_forged_page_number_is_clamped(reply):
    _, text, _, _ = reply("/sister_cities", "sister_cities", [{"entity": "list_page", "value": "99"}])
    page, pages = re.search(r"Part (\d+) of (\d+)", text).groups()
    assert page == pages and "Aichi – Siem Reap Province" in text  # past the end: the last page
    _, text, _, _ = reply("/sister_cities", "sister_cities", [{"entity": "list_page", "value": "<b>"}])
    assert "Part" not in text


def test_latest_and_first_edition(reply):
    responses, text, _, _ = reply("What was the most recent Regional Exchange Promotion Program?", "repp_about")
    assert responses == ["utter_latest_edition"] and "FY2015" in text and "Vietnam" in text
    _, text, _, _ = reply("when did the program start", "repp_about")
    assert "FY2007" in text


def test_how_many_editions_and_times_in_a_country(reply):
    _, text, _, _ = reply("How many times has the exchange program been held?", "repp_list")
    assert "9 programs" in text and "8 went ahead" in text and "1 was cancelled: FY2008" in text
    _, text, _, _ = reply("how many times did India host the program?", "repp_edition")
    assert text == ("The program went to India twice: FY2010 and FY2011. The FY2008 program planned there was "
                    "cancelled (terrorist attack in Mumbai).")


def test_years_per_country(reply):
    responses, text, _, _ = reply("Which years did the program go to each country?", "repp_list")
    assert responses == ["utter_editions_by_country"]
    assert "Vietnam: FY2007, FY2009, FY2015" in text and "India: FY2008 (cancelled), FY2010, FY2011" in text


def _held_per_country(kb):
    counts = {}
    for edition in kb.editions():
        for country in edition.countries:
            counts[country] = counts.get(country, 0) + (edition.status != "cancelled")
    return counts


def _visits(kb, field):
    visits = {}
    for edition in kb.editions():
        if edition.status != "cancelled":
            for place in getattr(edition, field):
                visits.setdefault(place, []).append(edition.fiscal_year)
    return {place: years for place, years in visits.items() if len(years) > 1}


@pytest.mark.parametrize("text, field", [("which city has the programme visited more than once", "cities"),
                                         ("has the mission been to any country twice?", "countries")])
def test_places_visited_by_more_than_one_program_that_went_ahead(reply, kb, text, field):
    responses, said, _, _ = reply(text, "repp_list")
    repeated = _visits(kb, field)
    assert responses == ["utter_edition_repeated"] and repeated
    for place, years in repeated.items():
        assert f"- {place}: " in said and all(f"FY{y}" in said for y in years)
    assert said.count("\n- ") == len(repeated)
    assert "FY2008" not in said  # the cancelled program visited nothing


def test_a_jet_question_about_more_than_once_is_no_edition_count(reply):
    responses, _, _, _ = reply("can I join the JET program more than once?", "jet_about")
    assert "utter_edition_repeated" not in responses


@pytest.mark.parametrize("text, most", [("which countries host the program most often", True),
                                        ("Which country has hosted the exchange mission the most times?", True),
                                        ("which country hosted the exchange program the least", False)])
def test_the_host_countries_are_counted_with_ties_and_cancelled_programs_shown_not_counted(reply, kb, text, most):
    responses, said, _, _ = reply(text, "repp_list")
    counts = _held_per_country(kb)
    best = (max if most else min)(counts.values())
    winners = {c for c, n in counts.items() if n == best}
    assert responses == ["utter_edition_most_hosted" if most else "utter_edition_fewest_hosted"]
    assert all(f"- {country}: " in said for country in winners)
    assert not any(f"- {country}: " in said for country in set(counts) - winners)
    if most:
        assert said.count("\n- ") == len(winners) and "Vietnam: FY2007, FY2009, FY2015" in said
    else:
        assert "India" not in said  # held twice (its FY2008 program was cancelled): not among the fewest


@pytest.mark.parametrize("text, intent", [("Tell me about the 2010 edition", "repp_about"),
                                          ("Where is the 2014 programme?", "repp_list"),
                                          ("who organised the 2013 one", "repp_organisers")])
def test_an_edition_asked_with_a_generic_verb_gets_that_edition(reply, text, intent):
    year = re.search(r"20\d\d", text).group()
    responses, said, _, _ = reply(text, intent)
    assert responses == ["utter_edition"] and said.startswith(f"FY{year}: the program went to")


def test_a_year_asked_under_the_fy2015_intent_is_that_year(reply):
    responses, said, _, _ = reply("Tell me about the 2010 edition", "repp_fy2015")
    assert responses == ["utter_edition"] and said.startswith("FY2010")
    responses, _, _, _ = reply("details of the 2015 program", "repp_fy2015")
    assert responses == ["utter_fy2015_details"]


def test_how_many_prefectures_are_on_the_list_whatever_the_intent(reply):
    responses, said, _, _ = reply("How many prefectures are on the list?", "repp_list")
    assert responses == ["utter_aggregate_distinct"] and said.startswith("23 prefectures")


def test_a_name_asked_about_the_list_is_a_question_about_that_name(reply):
    responses, said, _, _ = reply("Is Malaysia on the sister city list?", "list_as_of")
    assert responses == ["utter_affiliations_of_country"] and "Ipoh" in said


def test_participants_of_an_edition_are_given_where_the_page_has_them_and_honestly_missing_elsewhere(reply):
    responses, said, _, _ = reply("How many participants were in the 2015 program?", "repp_edition")
    assert responses == ["utter_edition_participants"] and said.startswith("The FY2015 program had 20 participants")
    responses, said, _, _ = reply("How many people took part in the 2012 program?", "repp_edition")
    assert responses == ["utter_edition_participants_unknown"]
    assert "FY2012" in said and "FY2015 (20 participants)" in said and "Singapore" not in said


def test_length_of_an_edition_asked_directly(reply):
    responses, said, _, _ = reply("how long was the 2010 program?", "repp_edition")
    assert responses == ["utter_edition_length_unknown"] and "FY2015 (11 days" in said


@pytest.mark.parametrize("text, start", [("What countries are on the sister city list?", "7 countries appear"),
                                          ("Which prefectures have sister cities?", "23 prefectures appear")])
def test_which_groups_are_on_the_list(reply, text, start):
    responses, said, _, _ = reply(text)
    assert responses == ["utter_aggregate_distinct"] and said.startswith(start)


def test_everything_about_sister_cities_is_the_whole_list(reply):
    responses, _, _, _ = reply("Tell me everything about sister cities")
    assert responses == ["utter_whole_list_page"]


def test_how_many_editions_between_two_years_counts_those_within(reply, kb):
    responses, text, _, _ = reply("how many editions actually took place between fy2007 and fy2012", "repp_edition")
    within = [e for e in kb.editions() if 2007 <= e.fiscal_year <= 2012]
    went = [e for e in within if e.status != "cancelled"]
    assert responses == ["utter_edition_count_between"]
    assert f"{len(within)} programs" in text and f"{len(went)} went ahead" in text and "1 was cancelled: FY2008" in text
    _, text, _, _ = reply("how many editions took place between fy2012 and fy2015", "repp_edition")
    assert "4 went ahead and none was cancelled" in text


def test_participants_of_the_latest_edition_asked_without_its_year(reply, kb):
    latest = max(e.fiscal_year for e in kb.editions() if e.status != "cancelled")
    details = kb.edition_details(latest)
    _, text, _, _ = reply("and how many took part in the latest one?", "repp_participants",
                          slots={"topic": "repp_edition", "context_year": "2009"})
    assert f"FY{latest}" in text and str(details.participants) in text


def test_the_first_one_after_an_edition_answer_is_the_first_edition(reply, kb):
    first = min(kb.editions(), key=lambda e: e.fiscal_year)
    _, text, _, _ = reply("what was the first one called", "repp_theme", slots={"topic": "repp_edition"})
    assert f"FY{first.fiscal_year}" in text and first.title in text


def test_how_many_prefectures_have_just_one_partner(reply, kb):
    singles = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="exactly")).groups
    responses, text, _, _ = reply("how many prefectures have just one partner")
    assert responses == ["utter_aggregate_exactly"]
    assert text.startswith(f"{len(singles)} prefectures have exactly one") and all(g.name in text for g in singles)
    assert "Chiba" not in text


def test_how_many_countries_hosted_counts_those_that_went_ahead(reply, kb):
    responses, text, _, _ = reply("How many different countries have hosted the Regional Exchange Promotion Program "
                                  "since FY2007?", intent="repp_list")
    hosts = {c for e in kb.editions() if e.status != "cancelled" for c in e.countries}
    assert responses == ["utter_edition_host_countries"] and f"{len(hosts)} countries" in text
    assert all(country in text for country in hosts)


def test_is_a_prefecture_one_with_partners_in_both_countries(reply):
    _, text, _, _ = reply("is kochi one of the prefectures that has partners in both indonesia and the philippines? "
                          "if so what are they")
    assert "Kochi" in text and "Surabaya" in text and "Benguet" in text and "Chiba" not in text


@pytest.mark.parametrize("text", ["How many prefectures have exactly two partners?", "which prefs have exactly 2 sister citys"])
def test_prefectures_with_exactly_two(reply, kb, text):
    pairs = kb.query_affiliations(AffiliationQuery(group_by="prefecture", measure="exactly", size=2)).groups
    responses, said, _, _ = reply(text)
    assert responses == ["utter_aggregate_exactly"] and len(pairs) >= 2
    assert said.startswith(f"{len(pairs)} prefectures have exactly 2 sister-city affiliations")
    assert all(g.name in said for g in pairs) and "Chiba" not in said


@pytest.mark.parametrize("text", ["more sister-city links: India or Thailand?",
                                  "Which country has more affiliations with Japan, India or Thailand?"])
def test_which_of_two_countries_has_more(reply, text):
    responses, said, _, _ = reply(text)
    assert responses == ["utter_compare_more"]
    assert "India" in said and "Thailand" in said and "5" in said and "4" in said


def test_how_many_editions_have_actually_taken_place(reply, kb):
    held = [e for e in kb.editions() if e.status == "held"]
    _, said, _, _ = reply("How many editions of the Regional Exchange Promotion Program have actually taken place "
                          "since FY2007?", intent="repp_list")
    assert str(len(held)) in said


def test_prefectures_that_only_have_partners_in_one_country(reply, kb):
    everything = kb.affiliations()
    only = sorted(p for p in {a.prefecture for a in everything}
                  if {a.country for a in everything if a.prefecture == p} == {"Philippines"})
    responses, said, _, _ = reply("How many prefectures only have Philippine partners?")
    assert responses == ["utter_aggregate_only_countries"] and len(only) >= 2
    assert said.startswith(f"{len(only)} prefectures have sister-city affiliations only with Philippines")
    assert all(p in said for p in only) and "Chiba" not in said  # Chiba has Thai and Indonesian partners too


def test_the_only_prefecture_with_a_partner_somewhere_is_no_only_question(reply):
    responses, _, _, _ = reply("Which is the only prefecture with a partner in Cambodia?")
    assert responses != ["utter_aggregate_only_countries"]


def test_years_the_programme_went_to_more_than_one_country(reply, kb):
    several = [e.fiscal_year for e in kb.editions() if e.status == "held" and len(e.countries) > 1]
    responses, said, _, _ = reply("In which years did the program visit more than one country?", intent="repp_list")
    assert responses == ["utter_edition_multi_country"] and several
    assert all(f"FY{year}" in said for year in several) and "FY2010" not in said


def test_the_first_and_the_latest_edition_together(reply):
    responses, said, _, _ = reply("I'd like to know the first edition of the program in your list and the most recent "
                                  "one - where did each go?", intent="repp_first")
    assert responses == ["utter_first_edition", "utter_latest_edition"] and "FY2007" in said and "FY2015" in said


def _counts_by(kb, key):
    counts = {}
    for a in kb.affiliations():
        counts[getattr(a, key)] = counts.get(getattr(a, key), 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def test_the_most_is_followed_by_the_ranking_after_it(reply, kb):
    """ "After the Philippines, which country has the most?", "rank the countries": the next counts."""
    ranked = _counts_by(kb, "country")
    _, text, messages, _ = reply("Can you rank the countries by number of sister city affiliations, highest first?")
    ranking = next(m for m in messages if m["response"] == "utter_aggregate_ranking")
    second_name, second_count = ranked[1]
    assert ranked[0][0] not in ranking["ranking"]
    assert ranking["ranking"].startswith(f"{second_name} ({second_count} sister-city affiliations)")
    assert ranked[2][0] in ranking["ranking"]


def test_a_country_count_names_its_pairs_and_the_lists_total(reply, kb):
    _, text, _, _ = reply("cambodia's affiliations with japan - how many and who?", intent="sister_city_count")
    pairs = [a for a in kb.affiliations() if a.country == "Cambodia"]
    assert f"{len(pairs)} sister-city affiliation" in text and f"of {len(kb.affiliations())} on the list" in text
    assert all(a.prefecture in text for a in pairs)


def test_only_a_single_sister_city_is_a_group_size_of_one(reply, kb):
    singles = [name for name, count in _counts_by(kb, "prefecture") if count == 1]
    responses, text, _, _ = reply("how many prefectures on the list only have a single sister city")
    assert responses == ["utter_aggregate_exactly"]
    assert f"{len(singles)} prefectures" in text and all(p in text for p in singles)


@pytest.mark.parametrize("text, intent, expected, anchor", [
    ("who hosted the year before Malaysia?", "repp_edition", "FY2013: Thailand", "FY2014"),
    ("What came right after the cancelled India edition?", "repp_cancelled", "FY2009: Vietnam and Cambodia", "FY2008"),
    ("And which country was host the year following the 2011 India program?", "repp_edition",
     "FY2012: Singapore and Indonesia", "FY2011"),
])
def test_the_edition_next_to_another(reply, text, intent, expected, anchor):
    responses, said, _, _ = reply(text, intent=intent)
    assert responses == ["utter_edition_adjacent"]
    assert expected in said and f"FY{anchor[2:]}" in said


def test_no_edition_after_the_latest(reply, kb):
    latest = max(e.fiscal_year for e in kb.editions())
    responses, said, _, _ = reply(f"which program came after the {latest} one?", intent="repp_edition")
    assert responses == ["utter_edition_adjacent_none"] and "latest" in said



def test_the_partners_of_the_places_an_edition_visited(reply, kb):
    edition = next(e for e in kb.editions() if e.fiscal_year == 2015)
    responses, text, _, _ = reply("The FY2015 program visited Hanoi and HCMC. Which prefectures are they twinned with?",
                                  intent="repp_edition")
    assert responses[0] == "utter_edition_places_partners"
    for city in edition.cities:
        partners = {a.prefecture for a in kb.affiliations_of_counterpart(kb.resolve(city, kind="place").name)}
        assert partners and all(p in text for p in partners)


def test_an_edition_whose_places_have_no_partner_says_so(reply, kb):
    def listed(city):
        resolution = kb.resolve(city, kind="place")
        return resolution.status in ("exact", "fuzzy") and kb.affiliations_of_counterpart(resolution.name)

    edition = next(e for e in kb.editions() if e.cities and not any(listed(c) for c in e.cities))
    responses, text, _, _ = reply(f"do any of the cities visited in {edition.fiscal_year} have sister ties with japan?",
                                  intent="sister_cities")
    assert responses == ["utter_edition_places_none"]


def test_how_many_cities_the_programs_visited_in_a_country(reply, kb):
    cities = {c for e in kb.editions() if e.status != "cancelled" and "India" in e.countries for c in e.cities}
    responses, text, _, _ = reply("How many different Indian cities have the India missions visited?", intent="repp_edition")
    assert responses == ["utter_edition_city_count"]
    assert f"{len(cities)} cities in India" in text and all(c in text for c in cities)


def test_editions_held_in_two_countries_at_once(reply, kb):
    several = [e for e in kb.editions() if e.status != "cancelled" and len(e.countries) > 1]
    responses, text, _, _ = reply("Which editions were held in two countries at once?", intent="repp_list")
    assert responses == ["utter_edition_multi_country"]
    assert all(f"FY{e.fiscal_year}" in text for e in several)


def test_how_many_more_one_country_has_than_another_gives_the_difference(reply, kb):
    counts = dict(_counts_by(kb, "country"))
    responses, text, _, _ = reply("How many more affiliations does the Philippines have than Indonesia?")
    assert responses == ["utter_compare_more"]
    difference = counts["Philippines"] - counts["Indonesia"]
    assert f"{counts['Philippines']} sister-city affiliations against {counts['Indonesia']}, {difference} more" in text


def test_after_a_country_the_most_ranks_the_others(reply, kb):
    ranked = _counts_by(kb, "country")
    top = ranked[0][0]
    _, text, messages, _ = reply(f"After the {top}, which country has the most affiliations with Japan?",
                                 intent="sister_city_count")
    ranking = next(m for m in messages if m["response"] == "utter_aggregate_ranking")["ranking"]
    assert ranking.startswith(f"{ranked[1][0]} ({ranked[1][1]} sister-city affiliations)")


def test_countries_visited_more_than_once_are_repeats_not_multi_country_years(reply, kb):
    responses, text, _, _ = reply("which countries did the regional exchange program visit more than once?",
                                  intent="repp_list")
    assert responses == ["utter_edition_repeated"] and "India" in text


def test_after_two_prefectures_the_next_most_are_ranked(reply, kb):
    ranked = _counts_by(kb, "prefecture")
    top = ranked[0][1]
    leaders = [p for p, n in ranked if n == top]
    assert len(leaders) == 2
    _, text, messages, _ = reply(f"after {leaders[0].lower()} and {leaders[1].lower()} who has the next most sister cities")
    ranking = next(m for m in messages if m["response"] == "utter_aggregate_ranking")["ranking"]
    second = max(n for p, n in ranked if n < top)
    assert all(p in ranking for p, n in ranked if n == second)


def test_more_than_one_of_a_single_prefecture_is_its_own_list(reply, kb):
    found = kb.affiliations_of_prefecture("Hokkaido")
    _, text, _, _ = reply("hokkaido got more than one sister city?")
    assert all(a.counterpart in text for a in found) and "No prefecture" not in text


def test_host_years_of_two_countries(reply, kb):
    responses, text, _, _ = reply("what years did Singapore and Malaysia host", intent="repp_edition")
    years = {e.fiscal_year for e in kb.editions() if {"Singapore", "Malaysia"} & set(e.countries)}
    assert responses == ["utter_editions_in_country", "utter_editions_in_country"]
    assert all(f"FY{y}" in text for y in years)


def test_how_many_editions_were_actually_held_between_two_years(reply, kb):
    held = [e for e in kb.editions() if e.status != "cancelled"]
    responses, text, _, _ = reply("How many REPP editions were actually held from FY2007 to FY2015?", intent="repp_list")
    assert responses == ["utter_edition_count_between"] and str(len(held)) in text


def test_how_many_cities_one_edition_visited_is_a_count(reply, kb):
    responses, text, _, _ = reply("how many cities were on the 2011 india itinerary", "repp_edition")
    assert responses == ["utter_edition_year_city_count"]
    assert text == "The FY2011 program visited 3 cities in India: Mumbai, Pune and Chennai."
    responses, _, _, _ = reply("how many cities did the 2008 program visit?", "repp_edition")
    assert responses != ["utter_edition_year_city_count"]  # cancelled, no cities: that edition's own reply
