"""Read, validate and load the human-edited data files in knowledge/data/.

Public API:
    load_files(data_dir) -> KnowledgeData   parse + validate, no database
    check(data_dir) -> KnowledgeData        same; the name says "validate only"
    create_schema(engine)                   create the kb_ tables if missing
    load_into_database(engine, data_dir)    validate, then replace the KB contents
                                            in ONE transaction
Every problem raises KnowledgeError("file: record: reason", ...).
"""
import csv
import io
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import yaml

from .errors import KnowledgeError
from .models import EDITION_STATUSES, Base
from .normalize import compact
from .records import (
    AffiliationRec,
    CountryRec,
    EditionDetailRec,
    EditionPartRec,
    EditionRec,
    KnowledgeData,
    ParticipationRec,
    PlaceRec,
    PositionRec,
    PrefectureRec,
    SupportingBodyRec,
    TextItem,
)
from .validation import Fields, Problems

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACE_KINDS = ("city", "province", "village", "region", "unspecified")
AFFILIATION_COLUMNS = ("prefecture", "municipality", "counterpart", "counterpart_as_written", "country")
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"", "false", "no", "0"}

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


# -- generic pieces -------------------------------------------------------------------
# Text specs: (key, kind) with kind "str" (required), "str?" (required, may be null:
# the page lacks the fact and the file says so explicitly) or "list" (of texts).
TextSpec = Sequence[Tuple[str, str]]


def _texts(f: Fields, subject: str, spec: TextSpec, key_prefix: str = "") -> List[TextItem]:
    items = []
    for key, kind in spec:
        if kind == "list":
            items += [TextItem(subject, key_prefix + key, i, v) for i, v in enumerate(f.str_list(key))]
        else:
            value = f.str(key, nullable=(kind == "str?"))
            if value is not None or kind == "str?":
                items.append(TextItem(subject, key_prefix + key, 0, value))
    return items


def _label(section: str, index: int, raw, name_key: str) -> str:
    name = raw.get(name_key) if isinstance(raw, dict) else None
    return f"{section} #{index + 1}" + (f" ({name})" if name is not None else "")


def _check_names(problems: Problems, file: str, section: str, entries) -> None:
    """Names and aliases must be unique within one kind (by their matching key).

    ``entries`` yields (label, target, names, aliases); an alias repeating its own
    target's name (e.g. "Chiangmai" for "Chiang Mai") is harmless and allowed.
    """
    owner: Dict[str, str] = {}
    entries = list(entries)
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


# -- places.yml -----------------------------------------------------------------------
def _parse_places(problems: Problems, f: Fields):
    file = f.file
    countries = []
    for i, raw in enumerate(f.records("countries")):
        c = Fields(problems, file, _label("countries", i, raw, "name"), raw)
        name, asean, aliases = c.str("name"), c.bool("asean", default=False), c.str_list("aliases", required=False)
        c.finish()
        if name:
            countries.append(CountryRec(name, asean, aliases))
    prefectures = []
    for i, raw in enumerate(f.records("prefectures")):
        p = Fields(problems, file, _label("prefectures", i, raw, "name"), raw)
        name, aliases = p.str("name"), p.str_list("aliases", required=False)
        p.finish()
        if name:
            prefectures.append(PrefectureRec(name, aliases))
    country_names = {c.name for c in countries}
    places = []
    for i, raw in enumerate(f.records("places")):
        p = Fields(problems, file, _label("places", i, raw, "name"), raw)
        name, kind, country = p.str("name"), p.str("kind"), p.str("country")
        region = p.str("region", required=False, nullable=True)
        spelling = p.str("source_spelling", required=False, nullable=True)
        aliases = p.str_list("aliases", required=False)
        p.finish()
        if kind and kind not in PLACE_KINDS:
            p.problem("kind", f"must be one of {', '.join(PLACE_KINDS)}, got '{kind}'")
        if country and country not in country_names:
            p.problem("country", f"unknown country '{country}'")
        if name and kind in PLACE_KINDS and country in country_names:
            places.append(PlaceRec(name, kind, region, country, aliases, spelling))
    f.finish()
    for section, items in (("countries", countries), ("prefectures", prefectures), ("places", places)):
        _check_names(problems, file, section,
                     ((f"{section} ({x.name})", x.name, [x.name], x.aliases) for x in items))
    return tuple(countries), tuple(prefectures), tuple(places)


# -- regional_exchange.yml --------------------------------------------------------------
REPP_TEXTS: TextSpec = (
    ("name", "str"), ("organiser", "str"), ("partners", "list"), ("frequency", "str"),
    ("region", "str"), ("description", "str"), ("purpose", "str"), ("participants", "str"),
    ("mission", "str"), ("gains", "list"), ("list_title", "str"),
)


def _parse_details(d: Optional[Fields]) -> Optional[EditionDetailRec]:
    if d is None or not d.ok:
        return None
    context, summary, aims = (d.str(k, required=False, nullable=True) for k in ("context", "summary", "aims"))
    text = days = period = count = description = None
    parts = []
    s = d.sub("schedule", required=False)
    if s is not None and s.ok:
        text = s.str("text", required=False, nullable=True)
        days = s.int("days", required=False, nullable=True, minimum=1)
        period = s.str("period", required=False, nullable=True)
        for i, raw in enumerate(s.records("parts", required=False)):
            part = Fields(d.problems, d.file, d.record, raw, f"{s.prefix}parts[{i}].")
            name, location = part.str("name"), part.str("location", required=False, nullable=True)
            part.finish()
            if name:
                parts.append(EditionPartRec(name, location))
        s.finish()
    p = d.sub("participants", required=False)
    if p is not None and p.ok:
        count = p.int("count", minimum=0)
        description = p.str("description", required=False, nullable=True)
        p.finish()
    d.finish()
    return EditionDetailRec(context, summary, aims, text, days, period, tuple(parts), count, description)


def _parse_editions(problems: Problems, f: Fields) -> Tuple[EditionRec, ...]:
    editions, first_index = [], {}
    for i, raw in enumerate(f.records("editions")):
        year_text = raw.get("fiscal_year") if isinstance(raw, dict) else None
        label = f"editions #{i + 1}" + (f" (fiscal year {year_text})" if year_text is not None else "")
        e = Fields(problems, f.file, label, raw)
        before = len(problems.errors)
        year = e.int("fiscal_year", minimum=1900)
        countries = e.str_list("countries")
        cities = e.str_list("cities", required=False)
        host_text = e.str("host_text", required=False, nullable=True)
        title = e.str("title", required=False, nullable=True)
        status = e.str("status")
        reason = e.str("reason", required=False, nullable=True)
        note = e.str("source_note", required=False, nullable=True)
        details = _parse_details(e.sub("details", required=False))
        e.finish()
        if e.ok and not countries and "countries" in e.data:
            e.problem("countries", "needs at least one host country")
        if status is not None and status not in EDITION_STATUSES:
            e.problem("status", f"must be one of {', '.join(EDITION_STATUSES)}, got '{status}'")
        if status == "cancelled" and not reason:
            e.problem("reason", "required when status is cancelled")
        if status == "held" and reason:
            e.problem("reason", "only allowed when status is cancelled")
        if year is not None:
            if year in first_index:
                e.problem("fiscal_year", f"duplicate fiscal year {year} (also editions #{first_index[year] + 1})")
            first_index.setdefault(year, i)
        if len(problems.errors) == before:
            editions.append(EditionRec(year, countries, cities, host_text, title, status, reason, note, details))
    return tuple(editions)


# -- jet.yml --------------------------------------------------------------------------
JET_TEXTS: TextSpec = (
    ("name", "str"), ("abbreviation", "str"), ("description", "str"), ("implemented_by", "str"),
    ("aims", "list"), ("participation_note", "str"), ("more_details_text", "str"),
    ("more_details_link", "str?"),
)
JETAA_TEXTS: TextSpec = (("name", "str"), ("abbreviation", "str"), ("description", "str"))


def _parse_jet(problems: Problems, f: Fields):
    file = f.file
    texts = _texts(f, "jet", JET_TEXTS)
    jetaa = f.sub("jetaa")
    if jetaa is not None and jetaa.ok:
        texts += _texts(jetaa, "jetaa", JETAA_TEXTS)
        jetaa.finish()
    bodies = []
    for i, raw in enumerate(f.records("supporting_bodies")):
        b = Fields(problems, file, _label("supporting_bodies", i, raw, "abbreviation"), raw)
        name, abbreviation = b.str("name"), b.str("abbreviation")
        b.finish()
        if name and abbreviation:
            if any(x.abbreviation == abbreviation for x in bodies):
                b.problem("abbreviation", f"duplicate abbreviation '{abbreviation}'")
            else:
                bodies.append(SupportingBodyRec(name, abbreviation))
    positions = []
    for i, raw in enumerate(f.records("positions")):
        p = Fields(problems, file, _label("positions", i, raw, "code"), raw)
        code, name, description = p.str("code"), p.str("name"), p.str("description")
        workplace = p.str("workplace", required=False, nullable=True)
        aliases = p.str_list("aliases", required=False)
        p.finish()
        if code and name and description:
            positions.append(PositionRec(code, name, description, workplace, aliases))
    _check_names(problems, file, "positions",
                 ((f"positions ({x.code})", x.code, [x.code, x.name], x.aliases) for x in positions))
    participation, years = [], set()
    for i, raw in enumerate(f.records("participation")):
        p = Fields(problems, file, _label("participation", i, raw, "fiscal_year"), raw)
        year, count = p.int("fiscal_year", minimum=1900), p.int("participants", minimum=0)
        origin, text = p.str("origin"), p.str("text", required=False, nullable=True)
        p.finish()
        if year in years:
            p.problem("fiscal_year", f"duplicate fiscal year {year}")
        elif None not in (year, count, origin):
            years.add(year)
            participation.append(ParticipationRec(year, count, origin, text))
    f.finish()
    return texts, tuple(bodies), tuple(positions), tuple(participation)


# -- the other YAML files (text only) -----------------------------------------------------
SOURCE_TEXTS: TextSpec = (("title", "str"), ("file", "str"))
SOURCE_LIST_TEXTS: TextSpec = (
    ("title", "str"), ("intro", "str"), ("as_of", "str"), ("columns", "str"),
    ("world_link_text", "str"), ("world_link", "str?"),
)
SEMINAR_TEXTS: TextSpec = (
    ("name", "str"), ("host", "str"), ("held_in", "str"), ("description", "str"),
    ("brings_together", "str"), ("aims", "list"), ("activities", "list"),
    ("overseas_participants", "list"), ("lecture_city", "str"), ("more_details_text", "str"),
    ("more_details_link", "str?"),
)
SUPPORT_TEXTS: TextSpec = (
    ("title", "str"), ("provider", "str"), ("intro", "str"), ("forms", "list"),
    ("contact_statement", "str"), ("contact_details", "str?"), ("contact_note", "str"),
)


def _parse_source(f: Fields) -> List[TextItem]:
    texts = _texts(f, "source", SOURCE_TEXTS)
    sub = f.sub("affiliation_list")
    if sub is not None and sub.ok:
        texts += _texts(sub, "source", SOURCE_LIST_TEXTS, key_prefix="affiliation_list.")
        sub.finish()
    f.finish()
    return texts


def _parse_text_file(f: Fields, subject: str, spec: TextSpec) -> List[TextItem]:
    texts = _texts(f, subject, spec)
    f.finish()
    return texts


# -- affiliations.csv -------------------------------------------------------------------
def _parse_affiliations(problems: Problems, file: str, text: str) -> Tuple[AffiliationRec, ...]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in AFFILIATION_COLUMNS if c not in header]
    if missing:
        problems.add(file, "row 1 (header)", f"missing column(s): {', '.join(missing)}")
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
        for column in ("prefecture", "counterpart", "country"):
            if not cells.get(column):
                problems.add(file, label, f"missing required field '{column}'")
        retired = cells.get("retired", "").lower()
        if retired not in TRUE_WORDS | FALSE_WORDS:
            problems.add(file, label, f"field 'retired': expected true or false, got '{cells['retired']}'")
        if len(problems.errors) == before:
            rows.append(AffiliationRec(
                row_no, cells["prefecture"], cells.get("municipality") or None, cells["counterpart"],
                cells.get("counterpart_as_written") or None, cells["country"], retired in TRUE_WORDS,
            ))
    seen = {}
    for a in rows:
        key = (a.prefecture, a.municipality, a.counterpart)
        if key in seen:
            problems.add(file, f"row {a.row} ({a.prefecture} → {a.counterpart})", f"duplicate of row {seen[key]}")
        seen.setdefault(key, a.row)
    return tuple(rows)


# -- cross-file references ----------------------------------------------------------------
def _suggest(name: str, names) -> str:
    from rapidfuzz import process  # local import: only needed when reporting

    best = process.extractOne(name, list(names), score_cutoff=75)
    return f" (did you mean '{best[0]}'?)" if best else ""


def _check_references(problems: Problems, data: KnowledgeData) -> None:
    countries = {c.name for c in data.countries}
    prefectures = {p.name for p in data.prefectures}
    places = {p.name: p for p in data.places}
    for a in data.affiliations:
        label = f"row {a.row} ({a.prefecture} → {a.counterpart_as_written or a.counterpart})"
        if a.prefecture not in prefectures:
            problems.add(FILES["affiliations"], label, f"unknown prefecture '{a.prefecture}'" + _suggest(a.prefecture, prefectures))
        if a.country not in countries:
            problems.add(FILES["affiliations"], label, f"unknown country '{a.country}'" + _suggest(a.country, countries))
        place = places.get(a.counterpart)
        if place is None:
            problems.add(FILES["affiliations"], label, f"unknown counterpart '{a.counterpart}' (add it to places.yml)" + _suggest(a.counterpart, places))
        elif a.country in countries and place.country != a.country:
            problems.add(FILES["affiliations"], label, f"counterpart '{a.counterpart}' is in {place.country}, not {a.country}")
    for e in data.editions:
        label = f"editions (fiscal year {e.fiscal_year})"
        for c in e.countries:
            if c not in countries:
                problems.add(FILES["regional_exchange"], label, f"unknown country '{c}'" + _suggest(c, countries))
        for city in e.cities:
            place = places.get(city)
            if place is None:
                problems.add(FILES["regional_exchange"], label, f"unknown city '{city}' (add it to places.yml)" + _suggest(city, places))
            elif place.country not in e.countries:
                problems.add(FILES["regional_exchange"], label, f"city '{city}' is in {place.country}, which is not a host country")


# -- public API ---------------------------------------------------------------------------
FILES = {
    "source": "source.yml",
    "places": "places.yml",
    "affiliations": "affiliations.csv",
    "regional_exchange": "regional_exchange.yml",
    "seminar": "seminar.yml",
    "jet": "jet.yml",
    "sister_city_support": "sister_city_support.yml",
}


def load_files(data_dir: PathLike = DATA_DIR) -> KnowledgeData:
    """Parse and validate every data file; raise KnowledgeError listing all problems."""
    data_dir = Path(data_dir)
    problems = Problems()
    texts: List[TextItem] = []
    countries = prefectures = places = editions = bodies = positions = participation = ()
    affiliations: Tuple[AffiliationRec, ...] = ()

    f = _read_yaml(problems, data_dir, FILES["source"])
    if f is not None and f.ok:
        texts += _parse_source(f)
    f = _read_yaml(problems, data_dir, FILES["places"])
    if f is not None and f.ok:
        countries, prefectures, places = _parse_places(problems, f)
    f = _read_yaml(problems, data_dir, FILES["regional_exchange"])
    if f is not None and f.ok:
        texts += _texts(f, "regional_exchange", REPP_TEXTS)
        editions = _parse_editions(problems, f)
        f.finish()
    f = _read_yaml(problems, data_dir, FILES["seminar"])
    if f is not None and f.ok:
        texts += _parse_text_file(f, "seminar", SEMINAR_TEXTS)
    f = _read_yaml(problems, data_dir, FILES["jet"])
    if f is not None and f.ok:
        jet_texts, bodies, positions, participation = _parse_jet(problems, f)
        texts += jet_texts
    f = _read_yaml(problems, data_dir, FILES["sister_city_support"])
    if f is not None and f.ok:
        texts += _parse_text_file(f, "sister_city_support", SUPPORT_TEXTS)
    text = _read_text(problems, data_dir, FILES["affiliations"])
    if text is not None:
        affiliations = _parse_affiliations(problems, FILES["affiliations"], text)
    # Cross-file checks only make sense on files that parsed cleanly.
    problems.raise_if_any()

    data = KnowledgeData(tuple(texts), countries, prefectures, places, affiliations,
                         editions, bodies, positions, participation)
    _check_references(problems, data)
    problems.raise_if_any()
    return data


def check(data_dir: PathLike = DATA_DIR) -> KnowledgeData:
    """Validate the data files without touching any database."""
    return load_files(data_dir)


def create_schema(engine) -> None:
    """Create the kb_ tables that do not exist yet (never drops anything)."""
    Base.metadata.create_all(engine)


def load_into_database(engine, data_dir: PathLike = DATA_DIR) -> KnowledgeData:
    """Validate the files, then replace the KB tables' contents in one transaction.

    Idempotent: loading the same files twice gives the same rows. If validation or
    any write fails, nothing is changed (the transaction is rolled back).
    """
    from .writer import replace_contents  # keeps this module free of ORM writing code

    data = load_files(data_dir)
    create_schema(engine)
    replace_contents(engine, data)
    return data


__all__ = ["DATA_DIR", "FILES", "KnowledgeData", "KnowledgeError", "check", "create_schema",
           "load_files", "load_into_database"]
