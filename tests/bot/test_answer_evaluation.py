"""The answer-level judge, on a synthetic held-out file and replies rendered from domain.yml's own
templates (the real held-out file is read only by `make evaluate`)."""
from __future__ import annotations

import re
from textwrap import dedent

import pytest
import yaml

from bot import answer_evaluation as ev
from bot.settings import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]


def said(name: str, **values) -> dict:
    """The response `name` as the assistant sends it, placeholders filled with `values` or 'x'."""
    text = re.sub(r"\{([a-z_]+)\}", lambda m: str(values.get(m.group(1), "x")), DOMAIN[name][0]["text"])
    return {"text": text, "buttons": DOMAIN[name][0].get("buttons", [])}


def computed(text: str) -> dict:
    return {"text": text}


SYNTHETIC = dedent("""
    messages:
      - id: a-1
        family: natural
        text: Sister cities of Kagoshima?
        kind: answer
        must: [Kagoshima, [Bali, Indonesia]]
        must_not: [Osaka]
      - id: n-1
        family: not_on_page
        text: What is an ALT's salary?
        kind: not_covered
    conversations:
      - id: f-1
        family: form
        turns:
          - text: I want a sister city
            asks: organisation
          - text: What is CLAIR?
            kind: answer
            must: [CLAIR]
            not_asks: [contact_name]
          - text: yes
            reference: true
""")


@pytest.fixture
def heldout(tmp_path):
    path = tmp_path / "heldout.yml"
    path.write_text(SYNTHETIC)
    return path


def test_loads_messages_and_conversations(heldout):
    items = ev.load_heldout(heldout)
    assert [i.id for i in items] == ["a-1", "n-1", "f-1"]
    assert items[0].turns[0].must == ("Kagoshima", ("Bali", "Indonesia"))
    assert items[2].is_conversation and items[2].turns[0].asks == "organisation"
    assert items[2].turns[1].not_asks == ("contact_name",)


@pytest.mark.parametrize("broken, message", [
    ("kind: guess", "unknown kind"),
    ("asks: favourite_colour", "unknown form field"),
])
def test_malformed_items_are_refused_with_their_id(tmp_path, broken, message):
    path = tmp_path / "bad.yml"
    path.write_text(f"messages:\n  - id: bad-1\n    family: natural\n    text: hi\n    {broken}\n")
    with pytest.raises(ev.HeldoutError, match=f"bad-1.*{message}"):
        ev.load_heldout(path)


def test_yes_no_on_and_off_typed_by_a_visitor_stay_words(tmp_path):
    path = tmp_path / "words.yml"
    path.write_text("conversations:\n  - id: c\n    family: form\n    turns:\n"
                    + "".join(f"      - text: {word}\n" for word in ("yes", "No", "on", "off", "y")))
    assert [t.text for t in ev.load_heldout(path)[0].turns] == ["yes", "No", "on", "off", "y"]


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "dup.yml"
    path.write_text("messages:\n" + "  - {id: x, family: natural, text: hi}\n" * 2)
    with pytest.raises(ev.HeldoutError, match="duplicate"):
        ev.load_heldout(path)


def test_terms_match_whole_words_ignoring_case_and_quote_style():
    assert ev.contains("Kagoshima\u2019s partner is Bali", "kagoshima's")
    assert not ev.contains("Osakasayama", "Osaka")
    assert ev.contains("FY2012: Malaysia", "FY2012")


def test_a_year_is_found_inside_a_fiscal_year_label_but_not_inside_a_longer_number():
    assert ev.contains("- FY2013: Thailand", "2013")
    assert not ev.contains("20130 visitors", "2013")
    assert not ev.contains("FY2012: Malaysia", "201")


@pytest.mark.parametrize("messages, klass", [
    ([], "empty"),
    ([said("utter_default")], "fallback"),
    ([said("utter_did_you_mean")], "fallback"),
    ([said("utter_not_on_page", what="the salary"), said("utter_page_says", fact="ALTs teach.")], "honest"),
    ([said("utter_out_of_scope")], "honest"),
    ([said("utter_clarify_name")], "clarify"),
    ([said("utter_no_affiliations_of_prefecture", prefecture="Tokyo", as_of="2020")], "absence"),
    # "Osaka's sister city in Thailand?": the list has none, and then what Osaka does have
    ([said("utter_no_affiliations_of_prefecture_in_country", prefecture="Osaka", country="Thailand", as_of="2020"),
      computed("Osaka has 1 sister-city affiliation: Manila.")], "absence"),
    ([computed("Osaka has 1 sister-city affiliation: Manila."),
      said("utter_no_affiliations_of_prefecture", prefecture="Tokyo", as_of="2020")], "answer"),
    ([computed("Kagoshima has 1 sister-city affiliation: Bali, Indonesia.")], "answer"),
])
def test_replies_are_classed_by_the_response_they_are(messages, klass):
    assert ev.reply_class(messages) == klass


ANSWER = ev.Turn("Sister cities of Kagoshima?", "answer", must=("Kagoshima", ("Bali", "Indonesia")), must_not=("Osaka",))


def test_an_answer_with_the_facts_is_correct():
    assert ev.judge(ANSWER, [computed("Kagoshima: Bali (Indonesia).")]) == ev.Verdict(True, False, "")


def test_an_answer_about_something_else_is_confidently_wrong():
    verdict = ev.judge(ANSWER, [computed("Osaka: Bangkok (Thailand).")])
    assert not verdict.correct and verdict.confidently_wrong
    assert "missing" in verdict.why and "Osaka" in verdict.why


def test_a_fallback_to_an_answerable_question_is_wrong_but_not_confident():
    verdict = ev.judge(ANSWER, [said("utter_default")])
    assert (verdict.correct, verdict.confidently_wrong) == (False, False)


def test_no_reply_is_wrong():
    assert not ev.judge(ANSWER, []).correct


UNCOVERED = ev.Turn("What is an ALT's salary?", "not_covered", must=("salary",))


def test_an_honest_reply_to_an_uncovered_question_is_correct():
    reply = [said("utter_not_on_page", what="the salary of a JET participant"), said("utter_page_says", fact="ALTs teach.")]
    assert ev.judge(UNCOVERED, reply).correct


def test_answering_an_uncovered_question_is_confidently_wrong():
    verdict = ev.judge(UNCOVERED, [computed("ALTs teach foreign languages; a salary is paid.")])
    assert verdict.confidently_wrong and not verdict.correct


def test_a_question_back_is_correct_for_an_ambiguous_message():
    turn = ev.Turn("Fukuoka?", "clarify")
    assert ev.judge(turn, [said("utter_clarify_name")]).correct
    assert not ev.judge(turn, [said("utter_default")]).correct


def test_form_turns_check_what_is_asked_and_the_reference():
    asks = ev.Turn("I want a sister city", asks="organisation")
    assert ev.judge(asks, [said("utter_inquiry_intro"), said("utter_ask_organisation")]).correct
    assert not ev.judge(asks, [said("utter_ask_contact_name")]).correct

    swallowed = ev.Turn("What is CLAIR?", "answer", must=("CLAIR",), not_asks=("contact_name",))
    verdict = ev.judge(swallowed, [said("utter_ask_contact_name")])
    assert verdict.confidently_wrong and "asked for" in verdict.why

    done = ev.Turn("yes", reference=True)
    assert ev.judge(done, [said("utter_inquiry_submitted", reference="CLAIR-2026-0001")]).correct
    assert not ev.judge(done, [said("utter_inquiry_not_sent")]).correct


def test_figures_per_family_and_targets(heldout):
    items = ev.load_heldout(heldout)
    good = {
        "a-1": [[computed("Kagoshima: Bali, Indonesia.")]],
        "n-1": [[said("utter_not_on_page", what="salaries")]],
        "f-1": [[said("utter_ask_organisation")], [computed("CLAIR is the Council of Local Authorities."), said("utter_ask_organisation")],
                [said("utter_inquiry_submitted", reference="R-1")]],
    }
    results = [ev.ItemResult(i, good[i.id], [ev.judge(t, r) for t, r in zip(i.turns, good[i.id])]) for i in items]
    summary = ev.summarise(results)
    assert summary.overall.correct_share == 1.0 and ev.targets_met(summary)
    assert ev.failures(results) == []

    bad = dict(good, **{"a-1": [[computed("Osaka: Bangkok.")]]})
    results = [ev.ItemResult(i, bad[i.id], [ev.judge(t, r) for t, r in zip(i.turns, bad[i.id])]) for i in items]
    summary = ev.summarise(results)
    assert summary.families["natural"].correct_share == 0.0
    assert summary.overall.confidently_wrong == 1 and not ev.targets_met(summary)
    assert "| natural | 1 | 0.0% | 100.0% |" in ev.table(summary)
    assert [f["id"] for f in ev.failures(results)] == ["a-1"]


def test_the_held_out_file_make_evaluate_scores_has_the_size_the_issue_asks():
    """At least 400 messages and 80 conversations, with the families in proportion (counts only:
    the file's content is held out)."""
    from collections import Counter

    from bot.evaluation import ANSWERS_HELDOUT

    items = ev.load_heldout(ANSWERS_HELDOUT)
    messages = [i for i in items if not i.is_conversation]
    conversations = [i for i in items if i.is_conversation]
    families = Counter(i.family for i in items)
    assert len(messages) >= 400 and len(conversations) >= 80
    assert families["aggregate"] >= 60 and families["not_on_page"] >= 60
    assert families["form"] >= 40 and families["followup"] >= 40


def test_every_development_set_loads():
    from bot.evaluation import ANSWERS_DEV

    assert all(ev.load_heldout(source) for source in ANSWERS_DEV)
