"""action_suggest_intents (buttons from the NLU ranking, labelled from the domain) and
action_message_too_long (the limit from MAX_MESSAGE_CHARS)."""
import json

import pytest

from actions.suggest_action import ActionSuggestIntents
from actions.too_long_action import ActionMessageTooLong


def label(domain, intent):
    return domain["responses"][f"utter_label_{intent}"][0]["text"]


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def split_payload(payload):
    if "{" not in payload:
        return payload[1:], {}
    intent, rest = payload[1:].split("{", 1)
    return intent, json.loads("{" + rest)


def test_buttons_use_the_domain_labels_with_the_message_entities(run_action, domain, ent):
    messages, events = run_action(
        ActionSuggestIntents(), text="fukuoka, could you say how the numbers look lately", intent="sister_cities",
        entities=[ent("prefecture", "Fukuoka")],
        intent_ranking=ranking(("sister_cities", 0.41), ("sister_city_count", 0.30), ("repp_edition", 0.2)))
    assert len(messages) == 1
    m = messages[0]
    assert m["response"] == "utter_did_you_mean"
    assert [b["title"] for b in m["buttons"]] == [
        label(domain, "sister_cities"), label(domain, "sister_city_count"), label(domain, "repp_edition"),
        label(domain, "human_handoff")]
    assert [split_payload(b["payload"]) for b in m["buttons"][:3]] == [
        ("sister_cities", {"prefecture": "Fukuoka"}),
        ("sister_city_count", {"prefecture": "Fukuoka"}),
        ("repp_edition", {"prefecture": "Fukuoka"}),
    ]
    assert m["buttons"][3]["payload"] == "/human_handoff"
    assert label(domain, "human_handoff") == "Talk to CLAIR staff"
    assert events == []


def test_at_most_three_suggestions_plus_talk_to_staff(run_action, domain):
    labelled = [k[len("utter_label_"):] for k in domain["responses"] if k.startswith("utter_label_")
                and k != "utter_label_human_handoff"]
    assert len(labelled) > 3
    messages, _ = run_action(ActionSuggestIntents(), text="hmm", intent=labelled[0],
                             intent_ranking=ranking(*[(name, 0.9 - i * 0.05) for i, name in enumerate(labelled)]))
    buttons = messages[0]["buttons"]
    assert len(buttons) == 4
    assert [b["title"] for b in buttons] == [label(domain, i) for i in labelled[:3]] + [
        label(domain, "human_handoff")]
    assert [b["payload"] for b in buttons[:3]] == [f"/{i}" for i in labelled[:3]]


def test_intents_without_a_label_or_too_unlikely_are_skipped(run_action, domain):
    messages, _ = run_action(ActionSuggestIntents(), text="hmm", intent="greet", intent_ranking=ranking(
        ("greet", 0.5), ("nlu_fallback", 0.3), ("jet_about", 0.1), ("repp_list", 0.01)))
    assert [b["title"] for b in messages[0]["buttons"]] == [label(domain, "jet_about"),
                                                             label(domain, "human_handoff")]


def test_no_ranking_gives_utter_default(run_action):
    messages, events = run_action(ActionSuggestIntents(), text="hmm", intent=None, intent_ranking=[])
    assert [m["response"] for m in messages] == ["utter_default"]
    assert events == []


def test_ranking_with_nothing_worth_suggesting_gives_utter_default(run_action):
    messages, _ = run_action(ActionSuggestIntents(), text="hmm", intent="greet",
                             intent_ranking=ranking(("greet", 0.9), ("goodbye", 0.1)))
    assert [m["response"] for m in messages] == ["utter_default"]


def test_suggestion_buttons_are_validated_again_by_the_answer(run_action, answer, ent):
    """A button carries the raw entity; clicking it goes through action_answer's checks."""
    value = "<script>alert(1)</script>"
    messages, _ = run_action(ActionSuggestIntents(), text="x", intent="sister_cities",
                             entities=[ent("prefecture", value)],
                             intent_ranking=ranking(("sister_cities", 0.5)))
    payload = messages[0]["buttons"][0]["payload"]
    intent, entities = split_payload(payload)
    assert entities == {"prefecture": value}  # JSON-escaped, round-trips intact
    answered, events = answer(payload, intent, [ent(k, v) for k, v in entities.items()])
    assert [m["response"] for m in answered] == ["utter_unknown_name"]
    assert events == []


@pytest.mark.parametrize("env,expected", [(None, 1000), ("280", 280)])
def test_message_too_long_gives_the_limit(run_action, render, monkeypatch, env, expected):
    if env is None:
        monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    else:
        monkeypatch.setenv("MAX_MESSAGE_CHARS", env)
    messages, events = run_action(ActionMessageTooLong(), text="x" * 5000, intent="message_too_long")
    assert len(messages) == 1
    assert messages[0]["response"] == "utter_message_too_long"
    assert messages[0]["max_chars"] == expected
    assert f"({expected} characters at most)" in render(messages[0])
    assert events == []


@pytest.mark.parametrize("text, expected", [
    ("fukuoka twins?", "utter_affiliations_of_prefecture"),
    ("Benguet", "utter_affiliations_of_place"),
    ("what about Fukuoka?", "utter_affiliations_of_prefecture"),
    ("Which prefecture has the most sister cities?", "utter_aggregate_most"),
    ("what is the salary of a CIR", "utter_not_on_page"),
])
def test_an_unsure_message_is_first_read_for_what_it_names_and_asks(run_action, database_url, text, expected):
    messages, _ = run_action(ActionSuggestIntents(), text=text, intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.4), ("greet", 0.3)))
    assert messages[0]["response"] == expected


def test_off_topic_still_says_what_the_page_covers(run_action, database_url):
    messages, _ = run_action(ActionSuggestIntents(), text="can you book me a taxi", intent="out_of_scope",
                             intent_ranking=ranking(("out_of_scope", 0.9)))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


@pytest.mark.parametrize("text, guess, expected", [
    ("hey, what exactly is the Regional Exchange Promotion Program?", "repp_about", "utter_repp_about"),
    ("wait, who runs the regional exchange promotion program?", "repp_organisers", "utter_repp_organisers"),
])
def test_an_unsure_first_guess_is_taken_when_the_message_names_its_subject(run_action, database_url, text, guess,
                                                                          expected):
    messages, _ = run_action(ActionSuggestIntents(), text=text, intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.5), (guess, 0.35), ("jet_about", 0.2)))
    assert [m["response"] for m in messages][:1] == [expected]


def test_an_unsure_guess_the_message_does_not_name_still_gets_suggestions(run_action, database_url):
    messages, _ = run_action(ActionSuggestIntents(), text="tell me about it", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.5), ("jet_about", 0.35)))
    assert [m["response"] for m in messages] == ["utter_did_you_mean"]


def test_the_program_without_saying_which_is_asked_back(run_action, database_url, domain):
    messages, _ = run_action(ActionSuggestIntents(), text="tell me about the program", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.5), ("jet_about", 0.3)))
    assert [m["response"] for m in messages] == ["utter_ask_which_programme"]
    payloads = [b["payload"] for b in domain["responses"]["utter_ask_which_programme"][0]["buttons"]]
    assert payloads == ["/repp_about", "/jet_about"]


def test_an_unsure_message_pointing_back_is_a_follow_up(run_action, database_url):
    slots = {"topic": "sister_cities", "context_prefecture": "Aichi"}
    messages, _ = run_action(ActionSuggestIntents(), text="what country is that in?", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.45), ("sister_cities", 0.1)), slots=slots)
    assert [m["response"] for m in messages] == ["utter_affiliations_of_prefecture"]


def test_our_in_the_form_is_the_visitors_own_local_government(run_action, database_url):
    slots = {"organisation": "Surabaya City Government", "requested_slot": "partner_preference"}
    messages, _ = run_action(ActionSuggestIntents(), text="which prefecture are we already twinned with?",
                             intent="nlu_fallback", intent_ranking=ranking(("nlu_fallback", 0.45),
                                                                           ("sister_cities", 0.3)), slots=slots)
    assert messages[0]["response"] == "utter_affiliations_of_place" and messages[0]["place"] == "Surabaya"


def test_an_unsure_guess_on_the_conversations_subject_is_taken(run_action, database_url):
    messages, _ = run_action(ActionSuggestIntents(), text="which ministries support it?", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.45), ("jet_supporters", 0.3)),
                             slots={"topic": "jet_about"})
    assert [m["response"] for m in messages][:1] == ["utter_jet_supporters"]


def test_an_unsure_programme_guess_is_taken_when_the_message_says_program_and_not_jet(run_action, database_url):
    messages, _ = run_action(ActionSuggestIntents(), text="when did vietnam host the program?", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.45), ("repp_edition", 0.37)))
    assert messages[0]["response"] != "utter_did_you_mean" and "2009" in str(messages[0])


def test_an_unsure_long_message_naming_a_place_and_a_partner_is_a_list_question(run_action, database_url):
    text = ("Good afternoon. The city council of Dagupan, Pangasinan is reviewing all of our international links, "
            "and I have been asked to confirm which Japanese partner Dagupan has on your list.")
    messages, _ = run_action(ActionSuggestIntents(), text=text, intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.45), ("sister_cities", 0.2)))
    assert messages[0]["response"] == "utter_affiliations_of_place" and messages[0]["place"] == "Dagupan"


def test_an_unsure_question_about_a_body_gets_its_part_and_says_no_more_is_given(run_action):
    messages, _ = run_action(ActionSuggestIntents(),
                             text="how many members does the Conference of Recognized Local International Exchange "
                                  "Associations have", intent="nlu_fallback",
                             intent_ranking=ranking(("nlu_fallback", 0.45), ("sister_city_count", 0.3)))
    assert [m["response"] for m in messages] == ["utter_not_on_page_body", "utter_body_repp_partner"]
