"""Per-file parsers: turn one data file's content into validated records.

What a file holds comes from the declarations (entities.py: its sections' entities and its text
facts; rows.py reads them). What is written here are the rules a declaration cannot say: names
unique within a kind, one record per key, an edition's status and reason. Checks that need
several files (e.g. affiliation -> place) live in loader.py.
"""
import csv
import io
from typing import Any, Dict, List, Set, Tuple

from .entities import AFFILIATION, BY_NAME, SECTIONS, TEXT_FACTS, Entity
from .normalize import compact
from .records import TextItem, attribute
from .rows import read_record, read_texts, record_label, shown
from .validation import Fields, Problems

TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"", "false", "no", "0"}


# -- YAML files ---------------------------------------------------------------------------------------
def parse_yaml(problems: Problems, f: Fields) -> Tuple[List[TextItem], Dict[str, Tuple[Any, ...]]]:
    """The texts and the records of every section one YAML file holds (by KnowledgeData attribute)."""
    texts: List[TextItem] = []
    for fact in TEXT_FACTS:
        if fact.file == f.file:
            texts += read_texts(f, fact)
    sections: Dict[str, Tuple[Any, ...]] = {}
    known: Dict[str, Set[str]] = {}  # entity -> key values read so far in this file
    for entity in SECTIONS:
        if entity.file == f.file:
            records = _parse_section(problems, f, entity, known)
            known[entity.name] = {getattr(r, entity.key[0]) for r in records}
            sections[attribute(entity)] = records
    f.finish()
    return texts, sections


def _parse_section(problems: Problems, f: Fields, entity: Entity, known: Dict[str, Set[str]]) -> Tuple[Any, ...]:
    records: List[Any] = []
    first_index: Dict[Any, int] = {}
    key = entity.field(entity.key[0])
    for i, raw in enumerate(f.records(str(entity.section))):
        fields = Fields(problems, f.file, record_label(entity, i, raw), raw)
        record = read_record(fields, entity)
        if record is None or not _follows_rules(fields, entity, record, known):
            continue
        value = getattr(record, key.name)
        if value in first_index and entity.alias_kind is None:  # names are checked with their aliases
            fields.problem(key.name, f"duplicate {shown(key, value)} (also {entity.section} #{first_index[value] + 1})")
            continue
        first_index.setdefault(value, i)
        records.append(record)
    if entity.alias_kind is not None:
        _check_names(problems, f.file, str(entity.section), entity, records)
    return tuple(records)


def _follows_rules(fields: Fields, entity: Entity, record: Any, known: Dict[str, Set[str]]) -> bool:
    ok = True
    for f in entity.fields:  # a reference to an entity of the same file: read before this one
        if f.kind == "ref" and BY_NAME[str(f.ref)].file == entity.file:
            value = getattr(record, f.name)
            if value not in known.get(str(f.ref), ()):
                fields.problem(f.key, f"unknown {f.label.lower()} '{value}'")
                ok = False
    rule = RULES.get(entity.name)
    return rule(fields, record) and ok if rule else ok


def _edition_rules(e: Fields, edition: Any) -> bool:
    before = len(e.problems.errors)
    if not edition.countries and "countries" in e.data:
        e.problem("countries", "needs at least one host country")
    if edition.status == "cancelled" and not edition.reason:
        e.problem("reason", "required when status is cancelled")
    if edition.status == "held" and edition.reason:
        e.problem("reason", "only allowed when status is cancelled")
    return len(e.problems.errors) == before


RULES = {"edition": _edition_rules}


def _check_names(problems: Problems, file: str, section: str, entity: Entity, records: List[Any]) -> None:
    """Names and aliases must be unique within one kind (by their matching key).

    An alias repeating its own target's name (e.g. "Chiangmai" for "Chiang Mai") is harmless and allowed.
    """
    entries = []
    for r in records:
        target = getattr(r, entity.key[0])
        names = [getattr(r, n) for n in entity.names or entity.key]
        entries.append((f"{section} ({target})", target, names, r.aliases))
    owner: Dict[str, str] = {}
    for label, target, names, _ in entries:
        for name in names:
            key = compact(name)
            if owner.get(key, target) != target:
                problems.add(file, label, f"duplicate name '{name}' (already used by {owner[key]})")
            owner.setdefault(key, target)
    for label, target, _, aliases in entries:
        for alias in aliases:
            key = compact(alias)
            if not key:
                problems.add(file, label, f"alias '{alias}' has no letters or digits")
            elif owner.get(key, target) != target:
                problems.add(file, label, f"duplicate alias '{alias}' (already used by {owner[key]})")
            owner.setdefault(key, target)


# -- affiliations.csv -------------------------------------------------------------------------------------
# The CSV's columns are the affiliation's fields; a yes/no column (retired) may be left out.
COLUMNS = tuple(f for f in AFFILIATION.fields if f.key is not None)


def parse_affiliations(problems: Problems, file: str, text: str) -> Tuple[Any, ...]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [f.key for f in COLUMNS if f.kind != "bool" and f.key not in header]
    if missing:
        problems.add(file, "row 1 (header)", f"missing column(s): {', '.join(str(m) for m in missing)}")
        return ()
    rows = []
    # Row numbers are spreadsheet rows: the header is row 1, the first record row 2.
    for row_no, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()) and None not in row:
            continue  # blank line
        label = f"row {row_no} ({cells.get('prefecture') or '?'} → " \
                f"{cells.get('counterpart_as_written') or cells.get('counterpart') or '?'})"
        before = len(problems.errors)
        if None in row:
            problems.add(file, label, f"more cells than the {len(header)} columns of the header")
        values: Dict[str, Any] = {"row": row_no}
        for f in COLUMNS:
            cell = cells.get(str(f.key), "")
            if f.kind == "bool":
                if cell.lower() not in TRUE_WORDS | FALSE_WORDS:
                    problems.add(file, label, f"field '{f.key}': expected true or false, got '{cell}'")
                values[f.name] = cell.lower() in TRUE_WORDS
            elif not cell and f.required:
                problems.add(file, label, f"missing required field '{f.key}'")
            else:
                values[f.name] = cell or f.empty
        if len(problems.errors) == before:
            rows.append(AFFILIATION.record(**values))
    seen: Dict[Tuple[Any, ...], int] = {}
    for a in rows:
        key = tuple(getattr(a, k) for k in AFFILIATION.key)
        if key in seen:
            problems.add(file, f"row {a.row} ({a.prefecture} → {a.counterpart})", f"duplicate of row {seen[key]}")
        seen.setdefault(key, a.row)
    return tuple(rows)
