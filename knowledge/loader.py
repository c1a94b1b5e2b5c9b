"""Read, validate and load the human-edited data files in knowledge/data/.

Public API:
    load_files(data_dir) -> KnowledgeData   parse + validate, no database
    check(data_dir) -> KnowledgeData        same; the name says "validate only"
    create_schema(engine)                   create the kb_ tables if missing (scratch databases;
                                            the application's come from bot.migrations)
    load_into_database(engine, data_dir)    validate, then replace the KB contents
                                            in ONE transaction
Every problem raises KnowledgeError("file: record: reason", ...).
"""
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import yaml

from .errors import KnowledgeError
from .models import Base
from .entities import AFFILIATION, EDITION, FILES, PAGE_GAPS, STAFF_ANSWER
from .parsers import parse_affiliations, parse_yaml
from .records import KnowledgeData, TextItem
from .validation import Fields, Problems

DATA_DIR = Path(__file__).resolve().parent / "data"

PathLike = Union[str, Path]


# -- YAML reading ---------------------------------------------------------------------
class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that never turns date-like scalars into dates.

    The page's "as of 29th Feb 2015" names a day that does not exist; a YAML date
    such as 2015-02-29 would make PyYAML raise. Dates stay text everywhere.
    """


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_text(problems: Problems, data_dir: Path, name: str) -> Optional[str]:
    path = data_dir / name
    if not path.is_file():
        problems.add(name, None, f"file not found in {data_dir.name}/")
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(name, None, f"cannot read file: {exc}")
        return None


def _read_yaml(problems: Problems, data_dir: Path, name: str) -> Optional[Fields]:
    text = _read_text(problems, data_dir, name)
    if text is None:
        return None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        problems.add(name, where, f"invalid YAML: {problem}")
        return None
    return Fields(problems, name, None, data)


# -- cross-file references ----------------------------------------------------------------
def _suggest(name: str, names) -> str:
    from rapidfuzz import process  # local import: only needed when reporting

    best = process.extractOne(name, list(names), score_cutoff=75)
    return f" (did you mean '{best[0]}'?)" if best else ""


def _check_references(problems: Problems, data: KnowledgeData) -> None:
    """Every name an affiliation or an edition uses must exist in places.yml; a staff answer's topic
    in page_gaps.yml."""
    countries = {c.name for c in data.countries}
    prefectures = {p.name for p in data.prefectures}
    places = {p.name: p for p in data.places}
    file = str(AFFILIATION.file)
    for a in data.affiliations:
        label = f"row {a.row} ({a.prefecture} → {a.counterpart_as_written or a.counterpart})"
        if a.prefecture not in prefectures:
            problems.add(file, label, f"unknown prefecture '{a.prefecture}'" + _suggest(a.prefecture, prefectures))
        if a.country not in countries:
            problems.add(file, label, f"unknown country '{a.country}'" + _suggest(a.country, countries))
        place = places.get(a.counterpart)
        if place is None:
            problems.add(file, label, f"unknown counterpart '{a.counterpart}' (add it to places.yml)"
                         + _suggest(a.counterpart, places))
        elif a.country in countries and place.country != a.country:
            problems.add(file, label, f"counterpart '{a.counterpart}' is in {place.country}, not {a.country}")
    file = str(EDITION.file)
    for e in data.editions:
        label = f"editions (fiscal year {e.fiscal_year})"
        for c in e.countries:
            if c not in countries:
                problems.add(file, label, f"unknown country '{c}'" + _suggest(c, countries))
        for city in e.cities:
            place = places.get(city)
            if place is None:
                problems.add(file, label, f"unknown city '{city}' (add it to places.yml)" + _suggest(city, places))
            elif place.country not in e.countries:
                problems.add(file, label, f"city '{city}' is in {place.country}, which is not a host country")
    topics = {t.key.split(".")[0] for t in data.texts if t.subject == PAGE_GAPS.subject}
    for a in data.staff_answers:
        if a.topic is not None and a.topic not in topics:
            problems.add(str(STAFF_ANSWER.file), f"staff_answers ({a.key})",
                         f"unknown page gap topic '{a.topic}'" + _suggest(a.topic, topics))


# -- public API ---------------------------------------------------------------------------
def load_files(data_dir: PathLike = DATA_DIR) -> KnowledgeData:
    """Parse and validate every data file; raise KnowledgeError listing all problems."""
    data_dir = Path(data_dir)
    problems = Problems()
    texts: List[TextItem] = []
    sections: Dict[str, Tuple[Any, ...]] = {}
    for name in FILES:
        if name.endswith(".csv"):
            text = _read_text(problems, data_dir, name)
            if text is not None:
                sections["affiliations"] = parse_affiliations(problems, name, text)
            continue
        f = _read_yaml(problems, data_dir, name)
        if f is not None and f.ok:
            file_texts, file_sections = parse_yaml(problems, f)
            texts += file_texts
            sections.update(file_sections)
    # Cross-file checks only make sense on files that parsed cleanly.
    problems.raise_if_any()

    data = KnowledgeData(tuple(texts), **sections)
    _check_references(problems, data)
    problems.raise_if_any()
    return data


def check(data_dir: PathLike = DATA_DIR) -> KnowledgeData:
    """Validate the data files without touching any database."""
    return load_files(data_dir)


def create_schema(engine) -> None:
    """Create the kb_ tables that do not exist yet (never drops anything), in a scratch database
    (tests, experiments). The application's database gets them from its migrations (bot.migrations)."""
    Base.metadata.create_all(engine)


def load_into_database(engine, data_dir: PathLike = DATA_DIR, *, create_tables: bool = True) -> KnowledgeData:
    """Validate the files, then replace the KB tables' contents in one transaction.

    Idempotent: loading the same files twice gives the same rows. If validation or
    any write fails, nothing is changed (the transaction is rolled back).
    ``create_tables`` creates missing kb_ tables first, for a scratch database; the application
    passes False, its schema being the migrations' (a table made here would be unknown to them).
    """
    from .writer import replace_contents  # keeps this module free of ORM writing code

    data = load_files(data_dir)
    if create_tables:
        create_schema(engine)
    replace_contents(engine, data)
    return data


__all__ = ["DATA_DIR", "FILES", "KnowledgeData", "KnowledgeError", "check", "create_schema",
           "load_files", "load_into_database"]
