"""Human-quotable inquiry references, e.g. ``SC-2026-483920-8``.

The 6-digit number is random (not a counter) so references cannot be guessed by
counting; the last digit is a Luhn check digit over year+number, so a mistyped digit
(and most swapped neighbours) is caught before any database look-up. Uniqueness is the
database's job (unique constraint); the service draws again on a collision.
"""
from __future__ import annotations

import random
import re

PREFIX = "SC"
NUMBER_DIGITS = 6
_LOWEST = 10 ** (NUMBER_DIGITS - 1)  # no leading zero: people drop them when quoting
_FORMAT = re.compile(rf"^{PREFIX}-(\d{{4}})-(\d{{{NUMBER_DIGITS}}})-(\d)$")
_LOOSE = re.compile(rf"^{PREFIX}(\d{{4}})(\d{{{NUMBER_DIGITS}}})(\d)$")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces, hyphens, dashes

_system_rng = random.SystemRandom()


def luhn_digit(digits: str) -> int:
    """The Luhn check digit that makes ``digits`` + it pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # doubled: the rightmost payload digit sits next to the check digit
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return (10 - total % 10) % 10


def new_reference(year: int, rng: random.Random = _system_rng) -> str:
    number = rng.randrange(_LOWEST, 10 ** NUMBER_DIGITS)
    payload = f"{year:04d}{number}"
    return f"{PREFIX}-{year:04d}-{number}-{luhn_digit(payload)}"


def normalise_reference(text: str) -> str:
    """Canonical form of what someone typed ("sc 2026 483920 8" -> "SC-2026-483920-8");
    text that does not have the reference's shape comes back stripped and upper-cased."""
    cleaned = (text or "").strip().upper()
    match = _LOOSE.match(_SEPARATORS.sub("", cleaned))
    return f"{PREFIX}-{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else cleaned


def is_valid_reference(text: str) -> bool:
    """Well-formed (after normalising) and the check digit matches."""
    match = _FORMAT.match(normalise_reference(text))
    if not match:
        return False
    year, number, check = match.groups()
    return number[0] != "0" and luhn_digit(year + number) == int(check)
