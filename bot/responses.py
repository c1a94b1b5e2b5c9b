"""Matches what the assistant said against the domain's responses, so conversation tests and the
answer-level evaluation name the response they expect instead of copying its wording."""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT


@lru_cache(maxsize=None)
def _domain_responses() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]


@lru_cache(maxsize=None)
def _patterns(name: str) -> list:
    patterns = []
    for variant in _domain_responses()[name]:
        parts = re.split(r"\{[a-z_]+\}", variant["text"])
        patterns.append(re.compile("(?s)^" + "(.+?)".join(re.escape(p) for p in parts) + "$"))
    return patterns


def names_of(text: str) -> set[str]:
    """Every domain response whose template `text` is an instance of."""
    return {name for name in _domain_responses() if any(p.match(text) for p in _patterns(name))}


def find(messages: list, name: str):
    """The first message that is the response `name`, or None."""
    for message in messages:
        text = message.get("text", "")
        if any(p.match(text) for p in _patterns(name)):
            return message
    return None


def values(messages: list, name: str) -> tuple:
    """The values filled into the response `name` (in template order)."""
    message = find(messages, name)
    assert message is not None, f"expected {name} in {[m.get('text') for m in messages]}"
    for pattern in _patterns(name):
        match = pattern.match(message["text"])
        if match:
            return match.groups()
    raise AssertionError(name)
