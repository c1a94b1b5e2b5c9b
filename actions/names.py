"""What a message names, resolved against the live knowledge base.

Entities from NLU are only hints: every value (typed, or injected through a `/intent{...}`
message) is resolved against the database, and the whole text is scanned as well, so a name the
NLU model has never seen (or one added to the knowledge base since training) is still found.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from knowledge.query import KnowledgeBase

KINDS = ("prefecture", "place", "country", "position")
YEAR_PATTERN = re.compile(r"(?<!\d)(?:fy\s*)?((?:19|20)\d\d)(?!\d)|\bfy\s*'?(\d\d)(?!\d)", re.IGNORECASE)
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


def names_in_message(kb: KnowledgeBase, message: Dict[str, Any]) -> MessageNames:
    text = message.get("text") or ""
    # A message starting with "/" is a button payload or an intent shortcut: only its entities
    # count (each validated below), never its raw text.
    shortcut = text.startswith("/")
    entities = [e for e in message.get("entities") or [] if isinstance(e, dict)]
    names = MessageNames(years=_years("" if shortcut else text, entities))
    scanned = [] if shortcut else kb.find_names(_without_organisations(kb, text))

    for entity in entities:
        kind, value = entity.get("entity"), entity.get("value")
        if kind not in KINDS or not isinstance(value, str) or not value.strip() or _in_whole_scope(entity, text):
            continue
        if len(value) > MAX_VALUE_CHARS:
            names.unknown.append(value[:MAX_VALUE_CHARS] + "…")
            continue
        resolution = kb.resolve(value, kind=kind)
        if resolution.status == "unknown":
            resolution = kb.resolve(value)  # NLU may have guessed the wrong kind
        if resolution.status in ("exact", "fuzzy") and resolution.kind and resolution.name:
            names.add(resolution.kind, resolution.name)
        elif resolution.status == "ambiguous":
            names.ambiguous.append(resolution)
        elif kind == "place" and (region := _region(kb, value)):
            names.add("place", region)  # "Bali": a region the page names after a city
        elif not _overlaps(entity, scanned):
            names.unknown.append(value)

    for span_matches in _group_by_span(scanned):
        targets = {(m.kind, m.name) for m in span_matches}
        if len(targets) > 1 and len({kind for kind, _ in targets}) == 1:
            names.ambiguous.append(kb.resolve(span_matches[0].matched_text))  # "Kangawa"
        else:
            for match in span_matches:
                names.add(match.kind, match.name)
    if not shortcut:
        _add_regions(kb, text, scanned, names)
    # Japan is the home side of every affiliation: "sister cities between Japan and Malaysia".
    names.found["country"] = [c for c in names.found["country"] if not _is_home_country(kb, c)]
    return names


def _is_home_country(kb: KnowledgeBase, name: str) -> bool:
    country = kb.country(name)
    return bool(country and country.home)


def _years(text: str, entities: List[Dict[str, Any]]) -> List[int]:
    sources = [text] + [str(e.get("value", "")) for e in entities if e.get("entity") == "fiscal_year"]
    years: List[int] = []
    for source in sources:
        for match in YEAR_PATTERN.finditer(source):
            year = int(match.group(1)) if match.group(1) else 2000 + int(match.group(2))  # "fy13" is FY2013
            if year not in years:
                years.append(year)
    return years


def _add_regions(kb: KnowledgeBase, text: str, scanned: List[Any], names: MessageNames) -> None:
    """ "How many affiliations involve Maharashtra?": a region the list writes after a counterpart
    ("Pune, Maharashtra") is a place to ask about, when no known name already covers those words."""
    for region in kb.region_names():
        for match in re.finditer(r"(?<!\w)" + re.escape(region) + r"(?!\w)", text, re.IGNORECASE):
            span = {"start": match.start(), "end": match.end()}
            if not _overlaps(span, scanned) and region not in names.found["place"]:
                names.add("place", region)


def _region(kb: KnowledgeBase, value: str) -> Optional[str]:
    regions = [a.counterpart_region for a in kb.affiliations_in_region(value) if a.counterpart_region]
    return regions[0] if regions else None


def _overlaps(entity: Dict[str, Any], matches: List[Any]) -> bool:
    start, end = entity.get("start"), entity.get("end")
    return start is not None and end is not None and any(m.start < end and start < m.end for m in matches)


def _group_by_span(matches: List[Any]) -> List[List[Any]]:
    spans: Dict[Tuple[int, int], List[Any]] = defaultdict(list)
    for match in matches:
        spans[(match.start, match.end)].append(match)
    return [spans[key] for key in sorted(spans)]


# "the most sister cities in ASEAN/India", "partners in the ASEAN region and India": the list's whole
# scope, not a question about India.
WHOLE_SCOPE = re.compile(r"\basean\s*(?:region|countries|nations)?\s*(?:/|\\|and|or|&|\+|,|or\s+in|and\s+in)\s*"
                         r"(?:the\s+)?india(?:n)?\b", re.IGNORECASE)


def _without_organisations(kb: KnowledgeBase, text: str) -> str:
    """Blanks out organisation names ("CLAIR Singapore" is not a question about Singapore) and the
    list's whole scope ("ASEAN or India")."""
    for organisation in kb.organisation_names():
        text = re.sub(re.escape(organisation), " " * len(organisation), text, flags=re.IGNORECASE)
    return WHOLE_SCOPE.sub(lambda m: " " * len(m.group()), text)


def _in_whole_scope(entity: Dict[str, Any], text: str) -> bool:
    start, end = entity.get("start"), entity.get("end")
    return start is not None and end is not None and any(
        m.start() <= start and end <= m.end() for m in WHOLE_SCOPE.finditer(text))
