"""E-mail addresses and phone numbers masked in the Unanswered list; years, fiscal years and counts
are not phone numbers."""
from __future__ import annotations

import pytest

from bot.staff.unanswered.masking import mask


@pytest.mark.parametrize("text, shown", [
    ("mail me at kim.lee+jet@example.org please", "mail me at [e-mail] please"),
    ("ueda-s@city.takamatsu.lg.jp, tel +81 87-839-2111", "[e-mail], tel [phone]"),
    ("call (65) 6123 4567 or 91234567", "call [phone] or [phone]"),
    ("my number is +65-9123-4567.", "my number is [phone]."),
])
def test_contact_details_are_masked(text, shown):
    assert mask(text) == shown


@pytest.mark.parametrize("text", ["what happened in FY2015?", "the 2010 program", "are there 39 affiliations",
                                  "between 2007 and 2012", "JET since 1987, ALT 2023-24"])
def test_years_and_counts_are_kept(text):
    assert mask(text) == text
