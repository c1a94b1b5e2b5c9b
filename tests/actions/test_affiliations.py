"""Sister-city answers of action_answer: by prefecture, counterpart, country, combinations,
names with no affiliation, unknown and ambiguous names, aliases and typos, and counts."""
import json

import pytest

AS_OF = "as of 29th Feb 2015"


def only(messages):
    assert len(messages) == 1, messages
    return messages[0]


def lines_of(message):
    return [line[2:] for line in message["lines"].splitlines()]


def button_payload(payload):
    """'/intent{"k": "v"}' -> ("intent", {"k": "v"})."""
    assert payload.startswith("/")
    brace = payload.find("{")
    return payload[1:brace], json.loads(payload[brace:])


# --- by prefecture, counterpart, country ---------------------------------------------------------

def test_by_prefecture_fukuoka(answer, ent, kb):
    m = only(answer("Which sister cities does Fukuoka have?", "sister_cities", [ent("prefecture", "Fukuoka")])[0])
    assert m["response"] == "utter_affiliations_of_prefecture"
    assert m["prefecture"] == "Fukuoka"
    counterparts = [line.split(" (")[0].split(",")[0] for line in lines_of(m)]
    assert counterparts == ["Bangkok", "Delhi", "Hanoi", "Ipoh"]
    assert counterparts == [a.counterpart for a in kb.affiliations_of_prefecture("Fukuoka")]
    assert m["count"] == 4


def test_by_counterpart_la_trinidad(answer, ent, kb, slots_of):
    messages, events = answer("Who is La Trinidad twinned with?", "sister_cities", [ent("place", "La Trinidad")])
    m = only(messages)
    assert m["response"] == "utter_affiliations_of_place"
    assert m["place"] == "La Trinidad" and m["country"] == kb.place("La Trinidad").country  # named with its country
    # The page: Iwate / Ibaraki / Nagano -- La Trinidad, Benguet
    assert lines_of(m) == ["Iwate", "Ibaraki", "Nagano"]
    assert [a.prefecture for a in kb.affiliations_of_counterpart("La Trinidad")] == ["Iwate", "Ibaraki", "Nagano"]
    assert m["count"] == 3
    assert slots_of(events)["context_place"] == "La Trinidad"
    assert slots_of(events)["context_prefecture"] is None


def test_by_country_malaysia(answer, ent, kb):
    m = only(answer("sister cities in Malaysia", "sister_cities", [ent("country", "Malaysia")])[0])
    assert m["response"] == "utter_affiliations_of_country"
    assert m["country"] == "Malaysia"
    assert m["count"] == len(kb.affiliations_of_country("Malaysia")) == 1
    assert lines_of(m) == ["Fukuoka – Ipoh, Perak"]


def test_combination_yes_tokyo_indonesia(answer, ent, slots_of):
    messages, events = answer("Does Tokyo have a sister city in Indonesia?", "sister_cities",
                              [ent("prefecture", "Tokyo"), ent("country", "Indonesia")])
    m = only(messages)
    assert m["response"] == "utter_affiliations_of_prefecture_in_country"
    assert (m["prefecture"], m["country"], m["count"]) == ("Tokyo", "Indonesia", 1)
    assert lines_of(m) == ["Jakarta"]  # the page: "Tokyo Jakarta"
    slots = slots_of(events)
    assert (slots["context_prefecture"], slots["context_country"]) == ("Tokyo", "Indonesia")


def test_combination_no_tokyo_thailand(answer, ent, kb):
    assert kb.affiliations(prefecture="Tokyo", country="Thailand") == []
    m, own = answer("Does Tokyo have a sister city in Thailand?", "sister_cities",
                    [ent("prefecture", "Tokyo"), ent("country", "Thailand")])[0]
    assert m["response"] == "utter_no_affiliations_of_prefecture_in_country"
    assert (m["prefecture"], m["country"], m["as_of"]) == ("Tokyo", "Thailand", AS_OF)
    # ... and what Tokyo does have, from the list
    assert own["response"] == "utter_affiliations_of_prefecture" and own["prefecture"] == "Tokyo"
    assert lines_of(own) == [f"{a.counterpart} ({a.country})" for a in kb.affiliations_of_prefecture("Tokyo")]


def test_singapore_has_none_on_the_list(answer, ent, kb):
    assert kb.country("Singapore") is not None and kb.affiliations_of_country("Singapore") == []
    m = only(answer("sister cities in Singapore", "sister_cities", [ent("country", "Singapore")])[0])
    assert m["response"] == "utter_no_affiliations_of_country"
    assert m["country"] == "Singapore"


def test_nara_has_none_on_the_list(answer, ent, kb):
    assert kb.affiliations_of_prefecture("Nara") == []
    messages, events = answer("sister cities of Nara", "sister_cities", [ent("prefecture", "Nara")])
    m = only(messages)
    assert m["response"] == "utter_no_affiliations_of_prefecture"
    assert m["prefecture"] == "Nara"


def test_unknown_name_atlantis(answer, ent, kb):
    assert kb.resolve("Atlantis").status == "unknown"
    messages, events = answer("sister cities of Atlantis", "sister_cities", [ent("place", "Atlantis")])
    m = only(messages)
    assert m["response"] == "utter_unknown_name"
    assert m["name"] == "Atlantis"
    assert events == []


def test_no_name_at_all_asks_for_one(answer):
    messages, events = answer("which sister cities are there?", "sister_cities")
    assert [m["response"] for m in messages] == ["utter_ask_prefecture_or_place"]
    assert events == []


# --- ambiguous names ----------------------------------------------------------------------------

def test_ambiguous_name_in_a_button_payload_is_clarified(answer, ent, kb):
    resolution = kb.resolve("Kangawa", kind="prefecture")
    assert resolution.status == "ambiguous"
    candidates = [c.name for c in resolution.candidates]
    assert sorted(candidates) == ["Kagawa", "Kanagawa"]

    messages, events = answer('/sister_cities{"prefecture": "Kangawa"}', "sister_cities",
                              [ent("prefecture", "Kangawa")])
    m = only(messages)
    assert m["response"] == "utter_clarify_name"
    assert [b["title"] for b in m["buttons"]] == candidates
    for button, name in zip(m["buttons"], candidates):
        assert button_payload(button["payload"]) == ("sister_cities", {"prefecture": name})
    assert events == []


def test_a_clarification_button_answers_the_chosen_name(answer, ent, kb):
    m = only(answer('/sister_cities{"prefecture": "Kangawa"}', "sister_cities",
                    [ent("prefecture", "Kangawa")])[0])
    payload = m["buttons"][0]["payload"]
    intent, entities = button_payload(payload)
    chosen = entities["prefecture"]
    m2 = only(answer(payload, intent, [ent(k, v) for k, v in entities.items()])[0])
    assert m2["response"] == "utter_affiliations_of_prefecture"
    assert m2["prefecture"] == chosen
    assert m2["count"] == len(kb.affiliations_of_prefecture(chosen))


@pytest.mark.parametrize("entities", [[("prefecture", "Kangawa")], []], ids=["entity", "text-only"])
def test_ambiguous_typed_name_is_clarified_not_guessed(answer, ent, entities):
    m = only(answer("sister cities of Kangawa", "sister_cities", [ent(k, v) for k, v in entities])[0])
    assert m["response"] == "utter_clarify_name"
    assert sorted(b["title"] for b in m["buttons"]) == ["Kagawa", "Kanagawa"]


# --- aliases and typos --------------------------------------------------------------------------

def test_typo_only_in_text(answer, kb):
    m = only(answer("sistr citys of fukuoka", "sister_cities")[0])
    assert m["response"] == "utter_affiliations_of_prefecture"
    assert m["prefecture"] == "Fukuoka"
    assert m["count"] == len(kb.affiliations_of_prefecture("Fukuoka"))


@pytest.mark.parametrize("entities", [[("place", "saigon")], []], ids=["entity", "text-only"])
def test_alias_saigon(answer, ent, kb, entities):
    m = only(answer("who is saigon twinned with", "sister_cities", [ent(k, v) for k, v in entities])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert m["place"] == "Ho Chi Minh City"
    assert lines_of(m) == [a.prefecture for a in kb.affiliations_of_counterpart("Ho Chi Minh City")] == ["Osaka"]


@pytest.mark.parametrize("entities", [[("place", "Chiang Mai")], [("place", "Chiangmai")], []],
                         ids=["entity", "page-spelling", "text-only"])
def test_chiang_mai(answer, ent, entities):
    m = only(answer("Chiang Mai sister city", "sister_cities", [ent(k, v) for k, v in entities])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert m["place"] == "Chiang Mai"
    assert lines_of(m) == ["Toyama"]  # the page: "Toyama Chiangmai, Chiangmai"


@pytest.mark.parametrize("text,entities", [("Pasig", [("place", "Pasig")]), ("Passig", [("place", "Passig")]),
                                           ("who is Pasig twinned with", [])],
                         ids=["entity", "page-typo", "text-only"])
def test_pasig(answer, ent, text, entities):
    m = only(answer(text, "sister_cities", [ent(k, v) for k, v in entities])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert m["place"] == "Pasig"
    assert lines_of(m) == ["Kagawa"]  # the page: "Kagawa Passig"


@pytest.mark.parametrize("entities", [[("country", "Viet Nam")], []], ids=["entity", "text-only"])
def test_viet_nam(answer, ent, kb, entities):
    m = only(answer("sister city relations with Viet Nam", "sister_cities", [ent(k, v) for k, v in entities])[0])
    assert m["response"] == "utter_affiliations_of_country"
    assert m["country"] == "Vietnam"
    assert m["count"] == len(kb.affiliations_of_country("Vietnam")) == 2
    assert lines_of(m) == ["Osaka – Ho Chi Minh City", "Fukuoka – Hanoi"]


def test_entity_of_the_wrong_kind_is_resolved_as_what_it_is(answer, ent):
    # NLU tagged a counterpart city as a prefecture: Bangkok is a place.
    m = only(answer("sister cities of Bangkok", "sister_cities", [ent("prefecture", "Bangkok")])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert m["place"] == "Bangkok"
    assert lines_of(m) == ["Chiba", "Fukuoka"]


def test_every_name_and_alias_is_answered_from_the_text_alone(answer, kb):
    """Every prefecture/place/country name or alias, typed with no NLU entity, is answered as itself
    (except the home country, Japan, which is never a counterpart: see the Japan tests below)."""
    response_of = {"prefecture": "utter_affiliations_of_prefecture", "place": "utter_affiliations_of_place",
                   "country": "utter_affiliations_of_country"}
    none_of = {"prefecture": "utter_no_affiliations_of_prefecture", "place": "utter_no_affiliations_of_place",
               "country": "utter_no_affiliations_of_country"}
    failures = []
    for entry in kb.all_names():
        if entry.kind not in response_of or (entry.kind == "country" and kb.country(entry.name).home):
            continue
        m = only(answer(f"sister cities of {entry.text}", "sister_cities")[0])
        if m["response"] not in (response_of[entry.kind], none_of[entry.kind]) or m.get(entry.kind) != entry.name:
            failures.append((entry.text, m["response"], m.get(entry.kind)))
    assert failures == []


# --- counts -------------------------------------------------------------------------------------

def test_count_total_with_lines_per_country(answer, kb):
    messages, events = answer("how many affiliations are there in total", "sister_city_count")
    m = only(messages)
    assert m["response"] == "utter_affiliation_count_total"
    assert m["count"] == kb.count_affiliations() == 39
    # The page's blocks: Indonesia 7, Thailand 4, India 5, Vietnam 2, Philippines 19, Malaysia 1, Cambodia 1
    expected = {"Philippines": 19, "Indonesia": 7, "India": 5, "Thailand": 4, "Vietnam": 2, "Cambodia": 1,
                "Malaysia": 1}
    assert kb.count_by_country() == expected
    assert lines_of(m) == [f"{country}: {n}" for country, n in kb.count_by_country().items()]
    assert sum(int(line.split(": ")[1]) for line in lines_of(m)) == 39
    assert m["as_of"] == AS_OF


def test_count_per_country_philippines(answer, ent, slots_of):
    messages, events = answer("number of twin cities in the Philippines", "sister_city_count",
                              [ent("country", "the Philippines")])
    m = only(messages)
    assert m["response"] == "utter_affiliation_count_country"
    assert (m["country"], m["count"]) == ("Philippines", 19)
    assert slots_of(events)["topic"] == "sister_city_count"
    assert slots_of(events)["context_country"] == "Philippines"


def test_count_per_country_for_every_country(answer, ent, kb):
    for country in [c for c in ("Brunei", "Cambodia", "India", "Indonesia", "Laos", "Malaysia", "Myanmar",
                                "Philippines", "Singapore", "Thailand", "Vietnam")]:
        m = only(answer(f"how many affiliations with {country}", "sister_city_count", [ent("country", country)])[0])
        assert m["response"] == "utter_affiliation_count_country"
        assert (m["country"], m["count"]) == (country, kb.count_by_country().get(country, 0))


def test_count_per_prefecture(answer, ent, kb):
    by_prefecture = kb.count_by_prefecture()
    assert by_prefecture["Chiba"] == 4 and by_prefecture["Fukuoka"] == 4
    for prefecture, count in by_prefecture.items():
        m = only(answer(f"how many sister cities does {prefecture} have", "sister_city_count",
                        [ent("prefecture", prefecture)])[0])
        assert m["response"] == "utter_affiliation_count_prefecture"
        assert (m["prefecture"], m["count"]) == (prefecture, count)


def test_count_per_place(answer, ent):
    m = only(answer("how many sister cities does Manila have", "sister_city_count", [ent("place", "Manila")])[0])
    assert m["response"] == "utter_affiliation_count_place"
    assert (m["place"], m["count"]) == ("Manila", 3)  # Kanagawa, Kyoto, Osaka -- Manila, Luzon


def test_how_many_prefectures_per_place_counts_and_names_them(answer, ent):
    m = only(answer("how many prefectures have affiliations with Manila", "sister_city_count",
                    [ent("place", "Manila")])[0])
    assert m["response"] == "utter_aggregate_distinct"
    assert m["groups"] == "3 prefectures" and m["names"] == "Kanagawa, Kyoto and Osaka"


def test_count_for_a_prefecture_with_none(answer, ent):
    m = only(answer("how many sister cities does Nara have", "sister_city_count", [ent("prefecture", "Nara")])[0])
    assert m["response"] == "utter_no_affiliations_of_prefecture" and m["prefecture"] == "Nara"


def test_a_count_names_what_it_counts(answer, ent):
    m = only(answer("bangkok has how many japanese partners", "sister_city_count", [ent("place", "Bangkok")])[0])
    assert (m["count"], m["names"]) == (2, "Chiba and Fukuoka")
    m = only(answer("how many sister cities does Hiroshima have", "sister_city_count", [ent("prefecture", "Hiroshima")])[0])
    assert (m["count"], m["names"]) == (2, "Hyderabad, Andhra Pradesh and Tacloban, Leyte")


# --- "Japan" and "CLAIR Singapore" are not the foreign side of an affiliation ---------------------

def test_japan_as_country_in_a_count_question_gives_the_total(answer, ent):
    m = only(answer("how many sister cities are there between japan and asean", "sister_city_count",
                    [ent("country", "japan")])[0])
    assert m["response"] == "utter_affiliation_count_total"
    assert m["count"] == 39


def test_japan_in_the_text_does_not_hide_the_counterpart_country(answer):
    m = only(answer("Which sister cities does Japan have in Malaysia?", "sister_cities")[0])
    assert m["response"] == "utter_affiliations_of_country"
    assert (m["country"], m["count"]) == ("Malaysia", 1)


def test_clair_singapore_is_not_the_country_singapore(answer):
    m = only(answer("How many sister cities are on CLAIR Singapore's list?", "sister_city_count")[0])
    assert m["response"] == "utter_affiliation_count_total"
    assert m["count"] == 39


def test_region_from_the_page_is_answered(answer, ent, kb):
    expected = [a.prefecture for a in kb.affiliations_of_counterpart("Bali")]
    assert expected == ["Shimane"]
    m = only(answer("Bali sister city", "sister_cities", [ent("place", "Bali")])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert [line.split(" – ")[0] for line in lines_of(m)] == expected


def test_japan_in_the_text_does_not_override_a_tagged_place(answer, ent, kb):
    m = only(answer("How many cities in Japan are twinned with Manila?", "sister_city_count",
                    [ent("place", "Manila")])[0])
    assert m["response"] == "utter_aggregate_distinct"  # Japanese local governments, counted
    assert m["groups"] == f"{len(kb.affiliations_of_counterpart('Manila'))} prefectures"
    assert m["scope"] == " (with Manila)"


def test_a_region_names_each_counterpart_in_it_as_the_list_gives_it(answer, ent):
    m = only(answer("Who is twinned with Maharashtra?", "sister_cities", [ent("place", "Maharashtra")])[0])
    assert m["response"] == "utter_affiliations_of_place"
    assert lines_of(m) == ["Kanagawa – Mumbai, Maharashtra", "Okayama – Pimpri Chinchwad, Maharashtra",
                           "Okayama – Pune, Maharashtra"]
    m = only(answer("Bali", "sister_cities", [ent("place", "Bali")])[0])
    assert lines_of(m) == ["Shimane – Mas Village, Bali"]


@pytest.mark.parametrize("text,name", [("Does Yangon have a Japanese sister city", "Yangon"),
                                       ("does Davao city have a japanese sister city", "Davao"),
                                       ("What's the sister city of Cebu in Japan?", "Cebu"),
                                       ("Da Nang japanese partner city?", "Da Nang"),
                                       ("which japanese city is twinned with sydney", "Sydney")])
def test_a_place_the_list_does_not_know_is_said_to_be_unknown(answer, text, name):
    m = only(answer(text, "sister_cities", [])[0])
    assert m["response"] == "utter_unknown_name" and m["name"] == name


def test_a_question_naming_nothing_still_asks_which(answer):
    m = only(answer("does it have a sister city?", "sister_cities", [])[0])
    assert m["response"] == "utter_ask_prefecture_or_place"


def test_two_places_are_each_answered(answer):
    messages, _ = answer("Kawit and Quezon - which prefectures are they partnered with?", "sister_cities", [])
    assert [m["response"] for m in messages] == ["utter_affiliations_of_place"] * 2
    assert [m["place"] for m in messages] == ["Kawit", "Quezon"]


def test_a_region_the_list_writes_after_a_city_is_asked_about_by_its_words(answer):
    m = only(answer("How many affiliations involve Maharashtra?", "sister_city_count", [])[0])
    assert m["response"] == "utter_affiliation_count_place" and (m["place"], m["count"]) == ("Maharashtra", 3)


def test_besides_one_partner_lists_the_prefectures_others(answer, render, kb):
    others = [a.counterpart for a in kb.affiliations_of_prefecture("Okayama")]
    assert len(others) > 1
    messages, _ = answer("Besides Pune, does Okayama have another partner in India?", "sister_cities", None, None)
    text = "\n".join(render(m) for m in messages)
    assert messages[0]["response"] == "utter_affiliation_pair_yes"
    assert all(name in text for name in others)


def test_a_single_affiliation_is_said_to_be_the_only_one(answer, render, kb):
    assert len(kb.affiliations_of_country("Cambodia")) == 1
    messages, _ = answer("are there any sister cities in cambodia", "sister_cities", None, None)
    assert "only 1 sister-city affiliation" in render(messages[0])
