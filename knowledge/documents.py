"""KnowledgeData as the data files' content, from the declarations: each YAML file as plain dicts
and lists (its text facts and its sections' records), and affiliations.csv as text."""
from __future__ import annotations

import csv
import io
from typing import Any, Dict, List, Optional

from .entities import AFFILIATION, BY_NAME, FILES, SECTIONS, TEXT_FACTS, Entity, TextFact
from .parsers import COLUMNS
from .records import KnowledgeData

_LIST_KINDS = ("list", "refs", "aliases")


def record_document(entity: Entity, record: Any) -> Dict[str, Any]:
    """One record as its file writes it (nested paths as nested mappings)."""
    out: Dict[str, Any] = {}
    for f in entity.fields:
        value = getattr(record, f.name)
        if f.key is None or (f.if_set and (value is None or value is False or value == ())):
            continue
        if f.kind in _LIST_KINDS:
            value = list(value)
        elif f.kind == "children":
            value = [record_document(BY_NAME[str(f.ref)], r) for r in value]
        elif f.kind == "child" and value is not None:
            value = record_document(BY_NAME[str(f.ref)], value)
        *parents, leaf = f.key.split(".")
        target = out
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return out


def _text_values(data: KnowledgeData, subject: str) -> Dict[str, List[Optional[str]]]:
    values: Dict[str, List[Optional[str]]] = {}
    for t in sorted((t for t in data.texts if t.subject == subject), key=lambda t: (t.key, t.seq)):
        values.setdefault(t.key, []).append(t.value)
    return values


def _fact_mapping(fact: TextFact, values: Dict[str, List[Optional[str]]], prefix: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for f in fact.fields:
        found = values.get(prefix + f.key)
        if f.kind == "list":
            out[f.key] = [v for v in found or () if v is not None]
        elif f.kind == "list?" and found:  # an optional list is written only when it has entries
            out[f.key] = [v for v in found if v is not None]
        elif found is not None:
            out[f.key] = found[0]
        elif f.kind == "str?":
            out[f.key] = None
    return out


def fact_document(data: KnowledgeData, fact: TextFact) -> Dict[str, Any]:
    """A text fact's mapping (per topic when the fact repeats by topic)."""
    values = _text_values(data, fact.subject)
    if not fact.per_topic:
        return _fact_mapping(fact, values, fact.key_prefix)
    topics = sorted({key[len(fact.key_prefix):].split(".")[0] for key in values if key.startswith(fact.key_prefix)})
    return {topic: _fact_mapping(fact, values, f"{fact.key_prefix}{topic}.") for topic in topics}


def documents(data: KnowledgeData) -> Dict[str, Dict[str, Any]]:
    """The YAML files' content as plain dicts and lists."""
    out: Dict[str, Dict[str, Any]] = {name: {} for name in FILES if name.endswith(".yml")}
    for fact in TEXT_FACTS:
        document = out[fact.file]
        if fact.section is None:
            document.update(fact_document(data, fact))
        else:
            document[fact.section] = fact_document(data, fact)
    for entity in SECTIONS:
        out[str(entity.file)][str(entity.section)] = [record_document(entity, r) for r in data.records(entity)]
    return out


def affiliations_csv(data: KnowledgeData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.key for f in COLUMNS])
    for a in data.affiliations:
        document = record_document(AFFILIATION, a)
        writer.writerow(["true" if document.get(str(f.key)) is True else document.get(str(f.key)) or ""
                         for f in COLUMNS])
    return out.getvalue()


__all__ = ["affiliations_csv", "documents", "fact_document", "record_document"]
