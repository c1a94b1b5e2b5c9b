"""What a message names, resolved against the live knowledge base.

Entities from NLU are only hints: every value (typed, or injected through a `/intent{...}`
message) is resolved against the database, and the whole text is scanned as well, so a name the
NLU model has never seen (or one added to the knowledge base since training) is still found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from knowledge.query import KnowledgeBase

KINDS = ("prefecture", "place", "country", "position")
YEAR_PATTERN = re.compile(r"(?<!\d)(?:fy\s*)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
MAX_VALUE_CHARS = 100  # longer "names" are not names; never look them up


@dataclass
class MessageNames:
    found: Dict[str, List[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    years: List[int] = field(default_factory=list)
    ambiguous: List[Any] = field(default_factory=list)  # Resolution objects with candidates
    unknown: List[str] = field(default_factory=list)

    def first(self, kind: str) -> Optional[str]:
        return self.found[kind][0] if self.found[kind] else None

    def add(self, kind: str, name: str) -> None:
        if name not in self.found[kind]:
            self.found[kind].append(name)

    @property
    def anything(self) -> bool:
        return any(self.found.values()) or bool(self.years)


def _years(text: str, entities: List[Dict[str, Any]]) -> List[int]:
    sources = [text] + [str(e.get("value", "")) for e in entities if e.get("entity") == "fiscal_year"]
    years: List[int] = []
    for source in sources:
        for match in YEAR_PATTERN.finditer(source):
            year = int(match.group(1))
            if year not in years:
                years.append(year)
    return years


def names_in_message(kb: KnowledgeBase, message: Dict[str, Any]) -> MessageNames:
    text = (message.get("text") or "")
    entities = [e for e in message.get("entities") or [] if isinstance(e, dict)]
    names = MessageNames(years=_years(text, entities))

    for entity in entities:
        kind, value = entity.get("entity"), entity.get("value")
        if kind not in KINDS or not isinstance(value, str) or not value.strip():
            continue
        if len(value) > MAX_VALUE_CHARS:
            names.unknown.append(value[:MAX_VALUE_CHARS] + "…")
            continue
        resolution = kb.resolve(value, kind=kind)
        if resolution.status == "unknown":
            resolution = kb.resolve(value)  # NLU may have guessed the wrong kind
        if resolution.status in ("exact", "fuzzy"):
            names.add(resolution.kind, resolution.name)
        elif resolution.status == "ambiguous":
            names.ambiguous.append(resolution)
        else:
            names.unknown.append(value)

    # Text starting with "/" is a button payload or an intent shortcut, not words to scan.
    if not text.startswith("/"):
        for match in kb.find_names(text):
            names.add(match.kind, match.name)
    if names.anything:
        names.unknown = [u for u in names.unknown if not _covered(u, names)]
    return names


def _covered(value: str, names: MessageNames) -> bool:
    lowered = value.lower()
    return any(lowered in n.lower() or n.lower() in lowered for ns in names.found.values() for n in ns)
