"""References: format, Luhn check digit (typos caught), normalising, randomness."""
import random
import re

import pytest

from bot.inquiries.reference import is_valid_reference, luhn_digit, new_reference, normalise_reference

FORMAT = re.compile(r"^SC-2026-[1-9]\d{5}-\d$")


def test_format_and_check_digit():
    rng = random.Random(7)
    for _ in range(200):
        ref = new_reference(2026, rng)
        assert FORMAT.match(ref), ref
        assert is_valid_reference(ref)


def test_known_check_digit():
    assert luhn_digit("7992739871") == 3  # the textbook Luhn example
    assert luhn_digit("2026483920") == 8
    assert is_valid_reference("SC-2026-483920-8")


def test_every_one_digit_typo_is_detected():
    ref = new_reference(2026, random.Random(1))
    positions = [i for i, ch in enumerate(ref) if ch.isdigit()]
    for i in positions:
        for digit in "0123456789":
            if digit != ref[i]:
                typo = ref[:i] + digit + ref[i + 1:]
                assert not is_valid_reference(typo), typo


def test_adjacent_transpositions_are_mostly_detected():
    ref = "SC-2026-483920-" + str(luhn_digit("2026483920"))
    assert not is_valid_reference("SC-2026-489320-" + ref[-1])  # 3 and 9 swapped


@pytest.mark.parametrize("typed", ["sc-2026-483920-{c}", " SC 2026 483920 {c} ", "sc2026483920{c}",
                                   "SC\u20132026\u2013483920\u2013{c}"])
def test_normalise_case_spaces_and_dashes(typed):
    check = luhn_digit("2026483920")
    assert normalise_reference(typed.format(c=check)) == f"SC-2026-483920-{check}"
    assert is_valid_reference(typed.format(c=check))


@pytest.mark.parametrize("bad", ["", "   ", "SC-2026-48392-1", "SC-2026-4839201-1", "XX-2026-483920-1",
                                 "SC-26-483920-1", "SC-2026-48392O-1", "hello", "SC-2026-083920-" +
                                 str(luhn_digit("2026083920"))])
def test_malformed_references(bad):
    assert not is_valid_reference(bad)


def test_normalise_leaves_other_text_recognisable():
    assert normalise_reference("  hello there ") == "HELLO THERE"
    assert normalise_reference(None) == ""


def test_numbers_are_random_not_sequential():
    numbers = [int(new_reference(2026).split("-")[2]) for _ in range(200)]
    assert len(set(numbers)) > 190
    steps = {b - a for a, b in zip(numbers, numbers[1:])}
    assert len(steps) > 150  # no fixed increment to count along


def test_documented_example_is_valid():
    from bot.inquiries.cli import EXAMPLE_REFERENCE

    assert EXAMPLE_REFERENCE == "SC-2026-483920-8" and is_valid_reference(EXAMPLE_REFERENCE)
    assert not is_valid_reference("SC-2026-483920-7")
