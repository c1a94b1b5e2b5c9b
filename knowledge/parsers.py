"""Per-file parsers: turn one data file's content into validated records.

Each parser reads fields through validation.Fields, which records problems as
"file: record: reason" instead of raising, so a single run reports every problem.
Checks that need several files (e.g. affiliation -> place) live in loader.py.
"""
import csv
import io
from typing import Dict, List, Optional, Sequence, Tuple

from .models import EDITION_STATUSES
from .normalize import compact
from .records import (
    AffiliationRec,
    CountryRec,
    EditionDetailRec,
    EditionPartRec,
    EditionRec,
    ParticipationRec,
    PlaceRec,
    PositionRec,
    PrefectureRec,
    SupportingBodyRec,
    TextItem,
)
from .validation import Fields, Problems

PLACE_KINDS = ("city", "province", "village", "region", "unspecified")
AFFILIATION_COLUMNS = ("prefecture", "municipality", "counterpart", "counterpart_as_written", "country")
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"", "false", "no", "0"}


# -- generic pieces -------------------------------------------------------------------
# Text specs: (key, kind) with kind "str" (required), "str?" (required, may be null:
# the page lacks the fact and the file says so explicitly) or "list" (of texts).
TextSpec = Sequence[Tuple[str, str]]


def read_texts(f: Fields, subject: str, spec: TextSpec, key_prefix: str = "") -> List[TextItem]:
    items = []
    for key, kind in spec:
        if kind in ("list", "list?"):
            items += [TextItem(subject, key_prefix + key, i, v)
                      for i, v in enumerate(f.str_list(key, required=kind == "list"))]
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
def parse_places(problems: Problems, f: Fields):
    file = f.file
    countries = []
    for i, raw in enumerate(f.records("countries")):
        c = Fields(problems, file, _label("countries", i, raw, "name"), raw)
        name, asean, aliases = c.str("name"), c.bool("asean", default=False), c.str_list("aliases", required=False)
        home = c.bool("home", default=False)
        c.finish()
        if name:
            countries.append(CountryRec(name, asean, aliases, home))
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


def parse_editions(problems: Problems, f: Fields) -> Tuple[EditionRec, ...]:
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


def parse_regional_exchange(problems: Problems, f: Fields):
    texts = read_texts(f, "regional_exchange", REPP_TEXTS)
    editions = parse_editions(problems, f)
    f.finish()
    return texts, editions


# -- jet.yml --------------------------------------------------------------------------
JET_TEXTS: TextSpec = (
    ("name", "str"), ("abbreviation", "str"), ("description", "str"), ("implemented_by", "str"),
    ("aims", "list"), ("participation_note", "str"), ("more_details_text", "str"),
    ("more_details_link", "str?"),
)
JETAA_TEXTS: TextSpec = (("name", "str"), ("abbreviation", "str"), ("description", "str"))


def parse_jet(problems: Problems, f: Fields):
    file = f.file
    texts = read_texts(f, "jet", JET_TEXTS)
    jetaa = f.sub("jetaa")
    if jetaa is not None and jetaa.ok:
        texts += read_texts(jetaa, "jetaa", JETAA_TEXTS)
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


# page_gaps.yml: one section per topic the page does not cover; its texts are stored as
# "<topic>.what", "<topic>.cues", "<topic>.needs" (optional), "<topic>.related" under the subject "page_gaps".
GAP_TEXTS: TextSpec = (("what", "str"), ("cues", "list"), ("needs", "list?"), ("related", "str"))
GAP_RELATED = ("jet_position", "jet_about", "jet_participation", "repp_latest", "repp_participants", "seminar",
               "support", "contact", "affiliation_list", "affiliation_world", "scope")


def parse_page_gaps(f: Fields) -> List[TextItem]:
    texts: List[TextItem] = []
    topics = f.sub("topics")
    if topics is not None and topics.ok:
        for topic in sorted(topics.data):
            section = topics.sub(str(topic))
            if section is None or not section.ok:
                continue
            items = read_texts(section, "page_gaps", GAP_TEXTS, key_prefix=f"{topic}.")
            related = next((t.value for t in items if t.key == f"{topic}.related"), None)
            if related is not None and related not in GAP_RELATED:
                section.problem("related", f"unknown related line '{related}' (one of {', '.join(GAP_RELATED)})")
            section.finish()
            texts += items
        topics.finish()
    f.finish()
    return texts


def parse_source(f: Fields) -> List[TextItem]:
    texts = read_texts(f, "source", SOURCE_TEXTS)
    sub = f.sub("affiliation_list")
    if sub is not None and sub.ok:
        texts += read_texts(sub, "source", SOURCE_LIST_TEXTS, key_prefix="affiliation_list.")
        sub.finish()
    f.finish()
    return texts


def parse_text_file(f: Fields, subject: str, spec: TextSpec) -> List[TextItem]:
    texts = read_texts(f, subject, spec)
    f.finish()
    return texts


# -- affiliations.csv -------------------------------------------------------------------
def parse_affiliations(problems: Problems, file: str, text: str) -> Tuple[AffiliationRec, ...]:
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
