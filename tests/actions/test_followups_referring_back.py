"""Follow-ups that refer back: "those", "either of them", "how many is that", "how long was it",
"where is it held", corrections and a change of dimension — whatever intent NLU gives them, with
the slots carried from turn to turn as the tracker would."""
import pytest


def test_which_of_those_are_in_thailand_after_the_most(chat):
    chat.say("Which prefectures have the most sister cities?", "sister_cities")
    responses, text = chat.say("which of those are in Thailand?", "followup")
    assert responses == ["utter_of_those"]
    assert "Chiba" in text and "Fukuoka" in text and "Bangkok" in text
    assert "Medan" not in text and "Delhi" not in text


def test_does_either_of_them_also_have_one_in_india(chat):
    chat.say("Which prefectures have the most sister cities?", "sister_cities")
    responses, text = chat.say("does either of them also have a partner in India?", "sister_cities")
    assert responses == ["utter_of_those"] and "Fukuoka" in text and "Delhi" in text and "Chiba" not in text


def test_none_of_them_says_so(chat):
    chat.say("Which counterparts have the most Japanese partners?", "sister_cities")
    responses, text = chat.say("are any of them in Indonesia?", "followup")
    assert responses == ["utter_of_those_none"] and "La Trinidad and Manila" in text


def test_how_many_is_that_counts_the_previous_list(chat):
    chat.say("Which Japanese prefectures have sister cities in Vietnam?", "sister_cities")
    responses, text = chat.say("how many is that?", "followup")
    assert responses == ["utter_count_previous"] and text.startswith("Vietnam: 2 sister-city affiliations")


def test_how_many_are_they_after_a_computed_list(chat):
    chat.say("Which prefectures have more than one sister city?", "sister_cities")
    responses, text = chat.say("how many are they?", "followup")
    assert responses == ["utter_of_those_count"] and text.startswith("That is 10 prefectures")


def test_how_long_was_it_after_the_2015_edition(chat):
    chat.say("Where was the 2015 program held?", "repp_edition")
    responses, text = chat.say("how long was it?", "followup")
    assert responses == ["utter_edition_length"] and "11 days" in text and "November 2015" in text


def test_how_long_for_an_edition_the_page_gives_no_length_is_honest(chat):
    chat.say("Where did the 2012 program go?", "repp_edition")
    responses, text = chat.say("how long did it last?", "sister_cities")
    assert responses == ["utter_edition_length_unknown"] and "FY2012" in text and "FY2015 (11 days" in text


def test_where_is_it_held_after_the_seminar(chat):
    chat.say("Tell me about the Local Government Exchange and Cooperation Seminar", "seminar_about")
    responses, text = chat.say("where is it held?", "repp_edition")
    assert responses == ["utter_seminar_where"] and "Japan" in text and "Tokyo" in text


def test_sorry_i_meant_osaka(chat):
    chat.say("What are Kyoto's sister cities?", "sister_cities")
    responses, text = chat.say("sorry, I meant Osaka", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture"] and "Ho Chi Minh City" in text


def test_no_indonesia_keeps_the_prefecture(chat):
    chat.say("Does Tokyo have a sister city in Thailand?", "sister_cities")
    responses, text = chat.say("no, Indonesia", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture_in_country"] and "Jakarta" in text


def test_what_about_shizuoka_after_gifu_in_thailand(chat):
    chat.say("Does Gifu have one in Thailand?", "sister_cities")
    responses, text = chat.say("what about Shizuoka?", "followup")
    assert responses == ["utter_no_affiliations_of_prefecture_in_country", "utter_affiliations_of_prefecture"]
    assert "Shizuoka and Thailand" in text and "Dagupan" in text


def test_a_long_new_question_is_not_taken_for_a_followup(chat):
    chat.say("Which prefectures have the most sister cities?", "sister_cities")
    responses, _ = chat.say("What are the three kinds of positions that the JET Programme offers to them?",
                            "jet_positions")
    assert responses == ["utter_jet_positions"]


def test_how_many_is_that_after_of_those_counts_what_was_narrowed(chat):
    chat.say("Which prefectures have the most sister cities?", "sister_cities")
    chat.say("which of those are in Thailand?", "followup")
    responses, text = chat.say("how many is that?", "followup")
    assert responses == ["utter_count_previous"]
    assert text.startswith("Chiba and Fukuoka with Thailand: 2 sister-city affiliations")


def test_how_many_is_that_with_no_context_counts_the_whole_list(chat):
    chat.slots = {"topic": "sister_cities"}
    responses, text = chat.say("how many is that?", "followup")
    assert text.startswith("The whole list: 39 sister-city affiliations")


def test_and_in_another_country_after_counting_editions(chat):
    chat.say("how many editions were held in india", "repp_edition")
    responses, text = chat.say("and in vietnam?", "followup")
    assert responses == ["utter_edition_count_country"]
    assert text == "The program went to Vietnam 3 times: FY2007, FY2009 and FY2015."


def test_which_of_those_after_one_prefectures_sister_cities_narrows_that_prefecture(chat):
    chat.say("Which sister cities does Osaka have?", "sister_cities")
    responses, text = chat.say("which of those are in the Philippines?", "sister_cities")
    assert responses == ["utter_of_those"]
    assert "Manila" in text and "Osaka" in text
    assert "Baguio" not in text and "East Java" not in text  # not the whole country's list


def test_which_of_them_after_a_country_names_a_prefecture(chat):
    chat.say("Thai sister cities", "sister_cities")
    responses, text = chat.say("which of them are with Chiba?", "followup")
    assert responses == ["utter_of_those"] and "Bangkok" in text and "Yasothon" not in text


def test_and_which_countries_after_the_most_asks_the_same_by_country(chat):
    chat.say("Which Japanese prefectures have the most sister cities?", "sister_cities")
    responses, text = chat.say("and which countries?", "followup")
    assert responses == ["utter_aggregate_most", "utter_aggregate_ranking"]
    assert text.startswith("Philippines has the most sister-city affiliations of any country")


def test_what_about_counterparts_after_more_than_one_keeps_more_than_one(chat):
    chat.say("which prefectures have more than one", "sister_cities")
    responses, text = chat.say("what about counterparts", "sister_cities")
    assert responses == ["utter_aggregate_more_than_one"]
    assert "La Trinidad" in text and "Yasothon" not in text


def test_a_question_with_its_own_aggregate_is_not_a_regrouping(chat):
    chat.say("Which prefectures have the most sister cities?", "sister_cities")
    responses, _ = chat.say("how many countries are on the list?", "sister_city_count")
    assert responses == ["utter_aggregate_distinct"]


def test_what_does_it_do_for_sister_cities_is_the_support(chat):
    responses, text = chat.say("what does it do for sister cities?", "sister_cities")
    assert responses == ["utter_support_services"] and "partner cities" in text


def _neighbour(kb, year, after):
    years = sorted({e.fiscal_year for e in kb.editions()})
    return min(y for y in years if y > year) if after else max(y for y in years if y < year)


@pytest.mark.parametrize("first, followup, after", [
    ("Where did the 2012 programme go?", "and the year before?", False),
    ("where did the programme go in fy2010", "and the year after?", True),
    ("where did the programme go in fy2010", "what about the next one?", True),
    ("what was the 2013 program", "the previous edition?", False),
])
def test_the_year_before_or_after_is_the_neighbouring_edition(chat, kb, first, followup, after):
    chat.say(first, "repp_edition")
    year = int(chat.slots["context_year"])
    responses, text = chat.say(followup, "followup")
    neighbour = kb.edition(_neighbour(kb, year, after))
    assert f"FY{neighbour.fiscal_year}" in text and all(c in text for c in neighbour.countries)
    assert chat.slots["context_year"] == str(neighbour.fiscal_year)  # "and the year before that?" goes on


def test_after_the_latest_edition_the_reply_says_none_comes_after(chat):
    chat.say("what was the 2015 programme", "repp_fy2015")
    responses, text = chat.say("and the next one?", "followup")
    assert responses == ["utter_latest_edition"] and "none after" in text


def test_what_was_it_called_after_a_country_with_one_edition(chat, kb):
    chat.say("did the program ever go to cambodia?", "repp_edition")
    (edition,) = kb.editions_in_country("Cambodia")
    responses, text = chat.say("what was it called", "repp_theme")
    assert edition.title in text


def test_how_many_prefectures_is_that_counts_the_prefectures_of_the_previous_answer(chat, kb):
    chat.say("which prefectures have sister cities in the philippines?", "sister_cities")
    responses, text = chat.say("how many prefectures is that?", "sister_city_count")
    prefectures = list(dict.fromkeys(a.prefecture for a in kb.affiliations_of_country("Philippines")))
    assert responses == ["utter_count_previous_groups"]
    assert f"{len(prefectures)} prefectures" in text and all(p in text for p in prefectures)


def test_that_prefecture_is_the_one_prefecture_of_the_previous_answer(chat, kb):
    chat.say("any sister city in malaysia?", "sister_cities")
    (only,) = {a.prefecture for a in kb.affiliations_of_country("Malaysia")}
    responses, text = chat.say("what other partners does that prefecture have", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture"]
    assert all(a.counterpart in text for a in kb.affiliations_of_prefecture(only))


def test_who_takes_part_after_the_seminar_is_the_seminar(chat):
    chat.say("tell me about the local government exchange and cooperation seminar", "seminar_about")
    responses, text = chat.say("and who takes part?", "nlu_fallback")
    assert responses == ["utter_seminar"] and "officials" in text


def test_the_sports_one_is_the_sports_position(chat, kb):
    chat.say("what jobs can you do on JET?", "jet_positions")
    sea = next(p for p in kb.positions() if "Sports" in p.name)
    responses, text = chat.say("what does the sports one do", "jet_position_detail")
    assert responses == ["utter_jet_position"] and sea.description in text


def test_a_year_the_participation_figures_do_not_cover_is_said_plainly(chat, kb):
    chat.say("how many people from asean and india got selected in fy2011", "jet_participation")
    responses, _ = chat.say("and in 2012?", "followup")
    assert 2012 not in {f.fiscal_year for f in kb.jet_participation()}
    assert responses[0] == "utter_not_on_page" and responses[1] == "utter_page_says_participation"


@pytest.mark.parametrize("year", [2014, 2015])
def test_how_many_took_part_after_an_edition_is_that_editions_participants(chat, kb, year):
    chat.say(f"what was the {year} program", "repp_edition")
    responses, text = chat.say("how many took part?", "nlu_fallback")
    details = kb.edition_details(year)
    if details is not None and details.participants:
        assert responses == ["utter_edition_participants"] and str(details.participants) in text
    else:
        assert responses == ["utter_edition_participants_unknown"] and f"FY{year}" in text


def test_which_one_is_about_teaching_after_the_positions(chat, kb):
    chat.say("Which positions are there in JET?", "jet_positions")
    alt = next(p for p in kb.positions() if "Teacher" in p.name)
    responses, text = chat.say("which one is about teaching?", "nlu_fallback")
    assert responses == ["utter_jet_position"] and alt.description in text


def test_does_it_have_any_others_is_the_prefectures_whole_list(chat, kb):
    chat.say("what's Hiroshima's sister city in India", "sister_cities")
    responses, text = chat.say("does it have any others?", "nlu_fallback")
    assert responses == ["utter_affiliations_of_prefecture"]
    assert all(a.counterpart in text for a in kb.affiliations_of_prefecture("Hiroshima"))


def test_what_cities_after_an_edition_then_the_following_year(chat, kb):
    chat.say("which country hosted the program in 2010?", "repp_edition")
    _, text = chat.say("what cities?", "sister_cities")
    assert all(c in text for c in kb.edition(2010).cities)
    _, text = chat.say("and the following year?", "followup")
    assert all(c in text for c in kb.edition(2011).cities)


def test_where_was_it_supposed_to_go_after_the_cancelled_edition(chat, kb):
    (cancelled,) = kb.cancelled_editions()
    chat.say("which year was the program cancelled", "repp_cancelled")
    _, text = chat.say("where was it supposed to go?", "nlu_fallback")
    assert all(c in text for c in cancelled.countries)
    _, text = chat.say("what happened the next year?", "followup")
    assert f"FY{cancelled.fiscal_year + 1}" in text


def test_how_about_another_year_after_a_length_asks_its_length(chat, kb):
    chat.say("what cities did the 2014 mission cover?", "repp_edition")
    chat.say("how long was it?", "followup")
    responses, text = chat.say("how about the 2015 one?", "followup")
    assert responses == ["utter_edition_length"] and str(kb.edition_details(2015).days) in text


def test_what_kind_of_help_after_the_support(chat, kb):
    chat.say("does CLAIR Singapore help with sister city affiliations?", "support_services")
    responses, text = chat.say("what kind of help exactly?", "affirm")
    assert responses == ["utter_support_services"]


def test_which_cities_in_a_country_after_its_editions_says_the_page_names_none(chat, kb):
    chat.say("When did the program go to Malaysia?", "repp_edition")
    chat.say("and Thailand?", "followup")
    responses, _ = chat.say("which cities in Thailand?", "sister_cities")
    assert set(responses) == {"utter_edition_cities_unknown"}


def test_jet_follow_ups_about_participation_and_alumni(chat, kb):
    chat.say("what ministries support JET", "jet_supporters")
    responses, text = chat.say("and how many from ASEAN and India joined in FY2011?", "followup")
    assert str(kb.jet_participation()[0].participants) in text
    responses, _ = chat.say("what do they do after they go home?", "followup")
    assert responses == ["utter_jetaa"]


def test_a_year_after_a_jet_answer_without_participation_words_is_that_edition(chat, kb):
    chat.say("What does an ALT do?", "jet_position_detail")
    responses, text = chat.say("Where was it held in 2011?", "followup")
    assert responses == ["utter_edition"] and kb.edition(2011).countries[0] in text


def test_which_of_them_has_the_most_there_counts_in_that_country_with_ties(chat, kb):
    chat.say("which prefectures have sister cities in the Philippines?", "sister_cities")
    responses, text = chat.say("which of them has the most there?", "followup")
    counts = {}
    for a in kb.affiliations():
        if a.country == "Philippines":
            counts[a.prefecture] = counts.get(a.prefecture, 0) + 1
    best = max(counts.values())
    assert responses == ["utter_aggregate_most", "utter_aggregate_ranking"] and best > 1
    assert all(p in text for p, n in counts.items() if n == best)
    assert not any(f"- {p}" in text for p, n in counts.items() if n < best)


def test_it_after_a_prefectures_answer_is_that_prefecture(chat):
    chat.say("who is osaka's partner in vietnam", "sister_cities")
    responses, text = chat.say("does it have other partners?", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture"] and "Manila" in text and "Ho Chi Minh" in text


def test_they_after_a_countrys_editions_are_those_editions(chat):
    chat.say("when did the exchange program go to malaysia", "repp_edition")
    responses, text = chat.say("which cities did they visit?", "followup")
    assert "Kuala Lumpur" in text and "Johor Bahru" in text


def test_its_theme_after_an_edition_is_that_editions(chat):
    chat.say("where did the regional exchange program go in 2007?", "repp_edition")
    responses, text = chat.say("what was its theme?", "repp_theme")
    assert responses == ["utter_edition_theme"] and "FY2007" in text and "Regional Alliances" in text


def test_which_month_after_an_edition_with_dates_gives_them(chat):
    chat.say("How many people took part in the 2015 Vietnam program?", "repp_fy2015")
    responses, text = chat.say("which month?", "followup")
    assert "November 2015" in text


def test_which_of_these_after_a_counterparts_partners_are_those_prefectures(chat):
    chat.say("is Manila twinned with any prefecture?", "sister_cities")
    responses, text = chat.say("which of these also has a partner in Indonesia?", "followup")
    assert responses == ["utter_of_those"] and "Kyoto" in text and "Osaka" in text and "Kanagawa" not in text


def test_which_of_the_supporters_is_found_by_what_it_deals_with(chat):
    chat.say("which ministries support the JET programme", "jet_supporters")
    responses, text = chat.say("which one of them deals with foreign affairs?", "followup")
    assert responses == ["utter_body_supporter"] and "Ministry of Foreign Affairs" in text


def test_who_goes_after_the_organisers_is_who_takes_part(chat):
    chat.say("who organises the regional exchange promotion program?", "repp_organisers")
    responses, text = chat.say("and who goes on these missions?", "followup")
    assert responses == ["utter_repp_participants"] and "local government officials" in text


def test_anything_elsewhere_after_one_country_is_the_rest(chat):
    chat.say("Does Yamagata have partners in the Philippines?", "sister_cities")
    responses, text = chat.say("any elsewhere?", "followup")
    assert responses == ["utter_affiliations_of_prefecture"] and "Papua" in text


def test_it_after_which_prefecture_is_that_prefecture(chat):
    chat.say("which Japanese prefecture is paired with Ipoh?", "sister_cities")
    responses, text = chat.say("how many sister cities does it have in total?", "sister_city_count")
    assert responses == ["utter_affiliation_count_prefecture"] and "Fukuoka" in text and "4" in text


def test_cities_in_a_province_are_those_the_list_gives_in_it(chat):
    responses, text = chat.say("Which cities in Benguet have partners in Japan?", "sister_cities")
    assert responses == ["utter_affiliations_of_place"] and "Baguio" in text and "La Trinidad" in text


def test_which_cities_after_a_countrys_prefectures_names_the_counterparts(chat):
    chat.say("which prefectures have sister cities in vietnam", "sister_cities")
    responses, text = chat.say("which cities exactly?", "followup")
    assert responses == ["utter_affiliations_of_country"] and "Ho Chi Minh City" in text and "Hanoi" in text


def test_list_them_after_a_count_lists_them(chat):
    chat.say("how many partners does fukuoka have", "sister_city_count")
    responses, text = chat.say("can you list them", "followup")
    assert responses == ["utter_those_listed"] and all(c in text for c in ("Bangkok", "Delhi", "Hanoi", "Ipoh"))


def test_either_of_them_after_a_countrys_list_are_its_japanese_sides(chat):
    chat.say("which prefectures have partners in vietnam?", "sister_cities")
    responses, text = chat.say("and does either of them also have one in Indonesia?", "followup")
    assert responses == ["utter_of_those"] and "Osaka" in text and "East Java" in text and "Fukuoka" not in text


def test_who_were_they_after_an_editions_length_is_who_takes_part(chat):
    chat.say("How many people took part in the 2015 Vietnam program?", "repp_fy2015")
    chat.say("how long was it?", "followup")
    responses, text = chat.say("and who were they, mostly?", "followup")
    assert "local government" in text


def test_the_other_positions_and_the_one_in_schools(chat):
    chat.say("What's a SEA in the JET program?", "jet_position_detail")
    responses, text = chat.say("and the other two positions?", "followup")
    assert responses == ["utter_jet_positions"] and "CIR" in text and "ALT" in text
    responses, text = chat.say("which of them works in schools?", "followup")
    assert responses == ["utter_jet_position"] and "ALT" in text


def test_who_shares_that_one_after_a_single_partner(chat):
    chat.say("What's Chiba's Indonesian partner?", "sister_cities")
    chat.say("no, I meant Thailand", "followup")
    responses, text = chat.say("does any other prefecture share that one?", "followup")
    assert responses == ["utter_affiliations_of_place"] and "Fukuoka" in text and "Chiba" in text


def test_the_most_there_after_a_country_is_the_most_in_that_country(chat):
    chat.say("how many sister city affiliations are there with the Philippines", "sister_city_count")
    responses, text = chat.say("which prefecture has the most there?", "sister_cities")
    assert "Chiba and Yamagata have the most" in text


def test_that_country_after_an_edition_is_its_host(chat):
    chat.say("Which country hosted the program in FY2014?", "repp_edition")
    responses, text = chat.say("does any japanese prefecture have a sister city in that country", "sister_cities")
    assert "Fukuoka" in text and "Ipoh" in text


def test_a_partner_question_after_an_edition_asks_the_list(chat):
    chat.say("which cities did the 2011 REPP visit?", "repp_edition")
    responses, text = chat.say("is pune also a sister city of some pref?", "followup")
    assert "Okayama" in text


def test_who_else_has_a_prefectures_only_partner(chat):
    chat.say("What is Hokkaido's sister city?", "sister_cities")
    responses, text = chat.say("who else has it as a partner", "followup")
    assert "Saitama" in text


def test_who_goes_on_it_after_the_organisers(chat):
    chat.say("who organises the regional exchange promotion program", "repp_organisers")
    responses, text = chat.say("and who goes on it", "followup")
    assert responses == ["utter_repp_participants"]


def test_how_long_after_the_seminar_is_not_on_the_page(chat):
    chat.say("Who hosts the Local Government Exchange and Cooperation Seminar?", "seminar_about")
    responses, text = chat.say("how long does it last, like how many weeks", "repp_edition")
    assert responses[0] == "utter_not_on_page" and "Seminar" in text


def test_a_named_question_after_the_seminar_is_not_about_the_seminar(chat):
    chat.say("Who hosts the Local Government Exchange and Cooperation Seminar?", "seminar_about")
    responses, text = chat.say("how many sister cities does Osaka have", "sister_city_count")
    assert responses == ["utter_affiliation_count_prefecture"]


def test_any_outside_a_country_after_a_prefecture(chat):
    chat.say("what are Yamagata's sister cities?", "sister_cities")
    responses, text = chat.say("does it have any outside the Philippines?", "sister_cities")
    assert responses == ["utter_affiliations_of_prefecture_outside"] and "Papua" in text and "Kawit" not in text


def test_which_ministries_support_it_after_jet(chat):
    chat.say("What does JET stand for?", "jet_about")
    responses, text = chat.say("which ministries support it?", "nlu_fallback")
    assert responses == ["utter_jet_supporters"] and "Foreign Affairs" in text


def test_who_implements_it_after_jet(chat):
    chat.say("jet program, what is it exactly", "jet_about")
    responses, text = chat.say("who implements it", "nlu_fallback")
    assert responses == ["utter_jet_supporters"] and "local governments" in text


def test_the_most_there_read_as_a_follow_up(chat):
    chat.say("how many sister city affiliations are there with the Philippines", "sister_city_count")
    responses, text = chat.say("which prefecture has the most there?", "followup")
    assert "Chiba and Yamagata have the most" in text


def test_a_short_most_question_after_a_count_stays_on_the_list(chat, kb):
    chat.say("how many japanese prefectures appear in the affiliation list?", "sister_city_count")
    responses, text = chat.say("so which country has the most", "nlu_fallback")
    assert responses[0] == "utter_aggregate_most"
    assert text.startswith("Philippines has the most")


def test_anyone_else_supporting_it_after_a_ministry_names_the_supporters(chat, kb):
    chat.say("what does MEXT stand for?", "jet_supporters")
    responses, text = chat.say("anyone else supporting it?", "nlu_fallback")
    assert responses == ["utter_jet_supporters"]


def test_who_took_part_after_an_edition_is_that_editions_participants(chat, kb):
    chat.say("how long was the 2015 vietnam program?", "repp_fy2015")
    responses, text = chat.say("who took part?", "repp_participants")
    assert responses == ["utter_edition_participants"]
    assert str(kb.edition_details(2015).participants) in text


def test_which_cities_of_a_years_program_asked_as_its_theme_is_the_edition(chat, kb):
    edition = next(e for e in kb.editions() if e.fiscal_year == 2014)
    responses, text = chat.say("the 2014 malaysia program - which cities did it cover", "repp_theme")
    assert all(city in text for city in edition.cities)
