"""Grouping unanswered messages by wording, measured on 79 real-looking messages (typos included) in 12
known groups:
purity (the share of messages in a group whose main question is theirs) and inverse purity (the
share of each question's messages kept together), printed and held to thresholds."""
from __future__ import annotations

from collections import Counter

from bot.staff.unanswered.grouping import group_indices, normalise
from tests.staff.unanswered_messages import GROUPS, labelled


def measure():
    data = labelled()
    labels = [label for label, _ in data]
    groups = group_indices([text for _, text in data])
    purity = sum(Counter(labels[i] for i in g).most_common(1)[0][1] for g in groups) / len(data)
    inverse = sum(max(sum(1 for i in g if labels[i] == label) for g in groups) for label in GROUPS) / len(data)
    return len(data), groups, purity, inverse


def test_the_fixture_is_big_enough():
    assert len(labelled()) >= 60 and len(GROUPS) >= 10


def test_the_same_question_asked_many_ways_is_one_group(capsys):
    total, groups, purity, inverse = measure()
    with capsys.disabled():
        print(f"\ngrouping: {total} messages in {len(GROUPS)} known groups -> {len(groups)} groups found, "
              f"purity {purity:.3f}, inverse purity {inverse:.3f}")
    assert purity >= 0.95
    assert inverse >= 0.95
    assert len(GROUPS) <= len(groups) <= len(GROUPS) + 2


def test_every_message_is_in_exactly_one_group():
    _, groups, _, _ = measure()
    members = sorted(i for g in groups for i in g)
    assert members == list(range(len(labelled())))


def test_stop_words_and_plurals_do_not_matter_but_the_words_that_carry_the_question_do():
    assert normalise("How much do the ALTs earn?") == normalise("ALT earn much")
    assert group_indices(["ALT salary?", "what is the salary of ALTs", "weather in Singapore"]) == [[0, 1], [2]]


def test_contact_details_do_not_split_or_join_groups():
    assert normalise("my email is a.b@example.org, when is the next program") == \
        normalise("my email is x@y.co, when is the next program? +65 6123 4567") == "email next program"


def test_typos_are_folded_into_the_word_they_misspell_but_different_words_stay_apart():
    from bot.staff.unanswered.grouping import fold_typos

    assert fold_typos(["alt salary", "salary alt", "alt salery", "office adress", "office address", "address"]) == \
        ["alt salary", "salary alt", "alt salary", "office address", "office address", "address"]
    assert fold_typos(["opening hours", "hours", "house rent", "visa", "visit"]) == \
        ["opening hours", "hours", "house rent", "visa", "visit"]
