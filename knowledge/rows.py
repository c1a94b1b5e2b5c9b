"""Read records and texts from a data file's mappings, as their declarations say (entities.py).

Every getter of validation.Fields reports a problem instead of raising, so one run lists every
problem; a record with a problem is left out (the load fails with the list anyway).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .entities import BY_NAME, Entity, Field, TextFact
from .records import TextItem
from .validation import Fields


def shown(f: Field, value: Any) -> str:
    """A value in a message: "fiscal year 2015", "abbreviation 'MIC'"."""
    return f"{f.label.lower()} {value}" if f.kind == "int" else f"{f.label.lower()} '{value}'"


def record_label(entity: Entity, index: int, raw: Any) -> str:
    """How messages name the ``index``-th record of a section: "editions #3 (fiscal year 2013)"."""
    label = f"{entity.section} #{index + 1}"
    if not entity.key or not isinstance(raw, dict) or raw.get(entity.key[0]) is None:
        return label
    key = entity.field(entity.key[0])
    value = raw[entity.key[0]]
    return f"{label} ({key.label.lower()} {value})" if key.kind == "int" else f"{label} ({value})"


def read_record(fields: Fields, entity: Entity) -> Optional[Any]:
    """The entity's record held by ``fields``, or None when it has a problem (reported)."""
    problems = fields.problems
    before = len(problems.errors)
    values: Dict[str, Any] = {}
    nested: Dict[str, Optional[Fields]] = {}  # "schedule" -> its mapping (None: absent)
    for f in entity.fields:
        target: Optional[Fields] = fields
        *parents, leaf = (f.key or "").split(".")
        for parent in parents:
            if parent not in nested:
                nested[parent] = target.sub(parent, required=False) if target is not None else None
            target = nested[parent]
        if f.key is None or target is None or not target.ok:
            values[f.name] = f.empty
        else:
            values[f.name] = _read(target, f, leaf)
    for mapping in nested.values():
        if mapping is not None and mapping.ok:
            mapping.finish()
    fields.finish()
    for f in entity.fields:
        value = values[f.name]
        if f.choices and value is not None and value not in f.choices:
            fields.problem(f.key, f"must be one of {', '.join(f.choices)}, got '{value}'")
    if len(problems.errors) > before:
        return None
    return entity.record(**values)


def _read(target: Fields, f: Field, key: str) -> Any:
    if f.kind in ("str", "text", "ref"):
        return target.str(key, required=f.required, nullable=f.nullable)
    if f.kind == "int":
        return target.int(key, required=f.required, nullable=f.nullable, minimum=f.minimum)
    if f.kind == "bool":
        return target.bool(key, default=bool(f.default))
    if f.kind in ("list", "refs", "aliases"):
        return target.str_list(key, required=f.required)
    child = BY_NAME[str(f.ref)]
    if f.kind == "child":
        mapping = target.sub(key, required=f.required)
        return read_record(mapping, child) if mapping is not None and mapping.ok else None
    records = []  # children
    for i, raw in enumerate(target.records(key, required=f.required)):
        item = read_record(Fields(target.problems, target.file, target.record, raw, f"{target.prefix}{key}[{i}]."),
                           child)
        if item is not None:
            records.append(item)
    return tuple(records)


def read_texts(fields: Fields, fact: TextFact) -> List[TextItem]:
    """The kb_text rows of a text fact held by ``fields`` (the whole file)."""
    target = fields if fact.section is None else fields.sub(fact.section)
    if target is None or not target.ok:
        return []
    items: List[TextItem] = []
    if fact.per_topic:
        for topic in sorted(target.data):
            mapping = target.sub(str(topic))
            if mapping is not None and mapping.ok:
                items += _texts(mapping, fact, f"{topic}.")
                mapping.finish()
    else:
        items = _texts(target, fact, "")
    if target is not fields:
        target.finish()
    return items


def _texts(fields: Fields, fact: TextFact, topic: str) -> List[TextItem]:
    items = []
    key_prefix = fact.key_prefix + topic
    for f in fact.fields:
        if f.is_list:
            items += [TextItem(fact.subject, key_prefix + f.key, i, v)
                      for i, v in enumerate(fields.str_list(f.key, required=f.kind == "list"))]
            continue
        value = fields.str(f.key, nullable=f.kind == "str?")
        if f.choices and value is not None and value not in f.choices:
            fields.problem(f.key, f"unknown {f.label or f.key} '{value}' (one of {', '.join(f.choices)})")
        if value is not None or f.kind == "str?":
            items.append(TextItem(fact.subject, key_prefix + f.key, 0, value))
    return items
