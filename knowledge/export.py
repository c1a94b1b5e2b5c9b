"""Write the knowledge base in the database back to the data files, in the formats the loader reads.

The staff console edits the kb_ tables directly (the running assistant answers from them at once);
``export`` turns the database back into ``knowledge/data/`` files so the edits can be reviewed and
committed, and so a later load from the files gives the same database.

Public API:
    snapshot(session) -> KnowledgeData     everything the kb_ tables hold, as loader records
    render(data, base_dir=None) -> {file: text}
                                           the data files' text; with ``base_dir`` the existing YAML
                                           files are edited in place, so their comments, quoting and
                                           layout survive and a review diff shows only what changed
    validate(data) -> KnowledgeData        render the files into a scratch directory and run the
                                           loader's checks on them (raises KnowledgeError)
    export(engine, data_dir) -> Exported   validate, check the round trip, then (atomically)
                                           rewrite the files whose text changed
    comparable(data)                       a form of KnowledgeData that ignores what the files do
                                           not encode (row numbers, order of aliases and places)
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from . import models as m
from .errors import KnowledgeError
from .loader import FILES, load_files
from .parsers import (
    AFFILIATION_COLUMNS,
    JET_TEXTS,
    JETAA_TEXTS,
    REPP_TEXTS,
    SEMINAR_TEXTS,
    SOURCE_LIST_TEXTS,
    SOURCE_TEXTS,
    SUPPORT_TEXTS,
    GAP_TEXTS,
    TextSpec,
)
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

PathLike = Union[str, Path]


class ExportError(Exception):
    """The rendered files would not load back into the same database; nothing was written."""


# -- database -> records -------------------------------------------------------------------------
def _aliases(session: Session, kind: str) -> Dict[str, Tuple[str, ...]]:
    found: Dict[str, List[str]] = {}
    # Insertion order (id) is the files' order after a load; console additions come last.
    for target, alias in session.execute(
        select(m.Alias.target, m.Alias.alias).where(m.Alias.kind == kind).order_by(m.Alias.id)
    ):
        found.setdefault(target, []).append(alias)
    return {target: tuple(aliases) for target, aliases in found.items()}


def _grouped_places(places: List[m.Place]) -> List[m.Place]:
    """Places in id order, but kept together by country (in order of each country's first place),
    the way places.yml lists them: a place added later joins its country's group."""
    order: Dict[int, int] = {}
    for place in places:
        order.setdefault(place.country_id, len(order))
    return sorted(places, key=lambda p: (order[p.country_id], p.id))


def snapshot(session: Session) -> KnowledgeData:
    """Everything in the kb_ tables as the records the loader produces from the files."""
    texts = tuple(
        TextItem(t.subject, t.key, t.seq, t.value)
        for t in session.scalars(select(m.SourceText).order_by(m.SourceText.subject, m.SourceText.key,
                                                                m.SourceText.seq))
    )
    country_aliases, prefecture_aliases = _aliases(session, "country"), _aliases(session, "prefecture")
    place_aliases, position_aliases = _aliases(session, "place"), _aliases(session, "position")
    country_rows = session.scalars(select(m.Country).order_by(m.Country.seq, m.Country.id)).all()
    country_names = {c.id: c.name for c in country_rows}
    countries = tuple(CountryRec(c.name, bool(c.asean), country_aliases.get(c.name, ()), bool(c.home))
                      for c in country_rows)
    prefecture_rows = session.scalars(select(m.Prefecture).order_by(m.Prefecture.seq, m.Prefecture.id)).all()
    prefecture_names = {p.id: p.name for p in prefecture_rows}
    prefectures = tuple(PrefectureRec(p.name, prefecture_aliases.get(p.name, ())) for p in prefecture_rows)
    place_rows = _grouped_places(session.scalars(select(m.Place).order_by(m.Place.id)).all())
    place_by_id = {p.id: p for p in place_rows}
    places = tuple(PlaceRec(p.name, p.kind, p.region, country_names[p.country_id], place_aliases.get(p.name, ()),
                            p.source_spelling) for p in place_rows)

    affiliations = []
    for i, a in enumerate(session.scalars(select(m.Affiliation).order_by(m.Affiliation.seq, m.Affiliation.id))):
        place = place_by_id[a.place_id]
        affiliations.append(AffiliationRec(
            i + 2, prefecture_names[a.prefecture_id], a.municipality, place.name,
            a.counterpart_as_written, country_names[place.country_id], bool(a.retired)))

    edition_countries: Dict[int, List[str]] = {}
    for eid, cid in session.execute(select(m.EditionCountry.edition_id, m.EditionCountry.country_id)
                                    .order_by(m.EditionCountry.edition_id, m.EditionCountry.seq)):
        edition_countries.setdefault(eid, []).append(country_names[cid])
    edition_cities: Dict[int, List[str]] = {}
    for eid, pid in session.execute(select(m.EditionCity.edition_id, m.EditionCity.place_id)
                                    .order_by(m.EditionCity.edition_id, m.EditionCity.seq)):
        edition_cities.setdefault(eid, []).append(place_by_id[pid].name)
    editions = []
    # Newest first, as regional_exchange.yml lists them.
    for e in session.scalars(select(m.Edition).order_by(m.Edition.fiscal_year.desc())):
        d = session.get(m.EditionDetail, e.id)
        details = None
        if d is not None:
            parts = tuple(EditionPartRec(p.name, p.location) for p in session.scalars(
                select(m.EditionPart).where(m.EditionPart.edition_id == e.id)
                .order_by(m.EditionPart.seq, m.EditionPart.id)))
            details = EditionDetailRec(d.context, d.summary, d.aims, d.schedule_text, d.days, d.period, parts,
                                       d.participants, d.participants_description)
        editions.append(EditionRec(e.fiscal_year, tuple(edition_countries.get(e.id, ())),
                                   tuple(edition_cities.get(e.id, ())), e.host_text, e.title, e.status,
                                   e.reason, e.source_note, details))

    bodies = tuple(SupportingBodyRec(b.name, b.abbreviation) for b in session.scalars(
        select(m.SupportingBody).order_by(m.SupportingBody.seq, m.SupportingBody.id)))
    positions = tuple(PositionRec(p.code, p.name, p.description, p.workplace, position_aliases.get(p.code, ()))
                      for p in session.scalars(select(m.JetPosition).order_by(m.JetPosition.seq, m.JetPosition.id)))
    participation = tuple(ParticipationRec(p.fiscal_year, p.participants, p.origin, p.text)
                          for p in session.scalars(select(m.JetParticipation).order_by(m.JetParticipation.id)))
    return KnowledgeData(texts, countries, prefectures, places, tuple(affiliations), tuple(editions), bodies,
                         positions, participation)


# -- records -> plain documents ----------------------------------------------------------------------
def _texts(data: KnowledgeData, subject: str, spec: TextSpec, key_prefix: str = "") -> Dict[str, Any]:
    values: Dict[str, List[Optional[str]]] = {}
    for t in sorted((t for t in data.texts if t.subject == subject), key=lambda t: (t.key, t.seq)):
        values.setdefault(t.key, []).append(t.value)
    out: Dict[str, Any] = {}
    for key, kind in spec:
        found = values.get(key_prefix + key)
        if kind == "list":
            out[key] = [v for v in found or () if v is not None]
        elif kind == "list?" and found:  # an optional list is written only when it has entries
            out[key] = [v for v in found if v is not None]
        elif found is not None:
            out[key] = found[0]
        elif kind == "str?":
            out[key] = None
    return out


def _optional(record: Dict[str, Any], **values) -> Dict[str, Any]:
    record.update({k: v for k, v in values.items() if v is not None})
    return record


def _details(d: EditionDetailRec) -> Dict[str, Any]:
    out = _optional({}, context=d.context, summary=d.summary, aims=d.aims)
    if d.schedule_text is not None or d.days is not None or d.period is not None or d.parts:
        schedule = _optional({}, text=d.schedule_text, days=d.days, period=d.period)
        if d.parts:
            schedule["parts"] = [{"name": p.name, "location": p.location} for p in d.parts]
        out["schedule"] = schedule
    if d.participants is not None:
        out["participants"] = _optional({"count": d.participants}, description=d.participants_description)
    return out


def documents(data: KnowledgeData) -> Dict[str, Dict[str, Any]]:
    """The YAML files' content as plain dicts and lists, keys in the files' order."""
    source = _texts(data, "source", SOURCE_TEXTS)
    source["affiliation_list"] = _texts(data, "source", SOURCE_LIST_TEXTS, "affiliation_list.")
    places = {
        "countries": [{"name": c.name, "asean": c.asean, **({"home": True} if c.home else {}),
                       "aliases": list(c.aliases)} for c in data.countries],
        "prefectures": [{"name": p.name, "aliases": list(p.aliases)} for p in data.prefectures],
        "places": [_optional({"name": p.name, "kind": p.kind, "region": p.region, "country": p.country,
                              "aliases": list(p.aliases)}, source_spelling=p.source_spelling)
                   for p in data.places],
    }
    regional = _texts(data, "regional_exchange", REPP_TEXTS)
    regional["editions"] = []
    for e in data.editions:
        edition = {"fiscal_year": e.fiscal_year, "countries": list(e.countries), "cities": list(e.cities),
                   "host_text": e.host_text, "title": e.title, "status": e.status}
        _optional(edition, reason=e.reason, source_note=e.source_note)
        if e.details is not None:
            edition["details"] = _details(e.details)
        regional["editions"].append(edition)
    jet_texts = _texts(data, "jet", JET_TEXTS)
    jet: Dict[str, Any] = {key: jet_texts[key] for key in ("name", "abbreviation", "description", "implemented_by")
                           if key in jet_texts}
    jet["supporting_bodies"] = [{"name": b.name, "abbreviation": b.abbreviation} for b in data.supporting_bodies]
    jet["aims"] = jet_texts["aims"]
    jet["positions"] = [{"code": p.code, "name": p.name, "description": p.description, "workplace": p.workplace,
                         "aliases": list(p.aliases)} for p in data.positions]
    if "participation_note" in jet_texts:
        jet["participation_note"] = jet_texts["participation_note"]
    jet["participation"] = [{"fiscal_year": p.fiscal_year, "participants": p.participants, "origin": p.origin,
                             "text": p.text} for p in data.participation]
    jet["jetaa"] = _texts(data, "jetaa", JETAA_TEXTS)
    jet.update({k: v for k, v in jet_texts.items() if k not in jet})
    return {
        FILES["source"]: source,
        FILES["places"]: places,
        FILES["regional_exchange"]: regional,
        FILES["seminar"]: _texts(data, "seminar", SEMINAR_TEXTS),
        FILES["jet"]: jet,
        FILES["sister_city_support"]: _texts(data, "sister_city_support", SUPPORT_TEXTS),
        FILES["page_gaps"]: {"topics": {topic: _texts(data, "page_gaps", GAP_TEXTS, f"{topic}.")
                                        for topic in sorted({t.key.split(".")[0] for t in data.texts
                                                             if t.subject == "page_gaps"})}},
    }


def affiliations_csv(data: KnowledgeData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*AFFILIATION_COLUMNS, "retired"])
    for a in data.affiliations:
        writer.writerow([a.prefecture, a.municipality or "", a.counterpart, a.counterpart_as_written or "",
                         a.country, "true" if a.retired else ""])
    return out.getvalue()


# -- YAML writing --------------------------------------------------------------------------------------
def _yaml():
    from ruamel.yaml import YAML  # ships with Rasa; round-trips comments and layout

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)  # "key:\n  - item", as the data files are written
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _dump(yaml, document) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


# Records in these lists are matched by this field when an existing file is edited in place.
RECORD_KEYS = {"countries": "name", "prefectures": "name", "places": "name", "editions": "fiscal_year",
               "supporting_bodies": "abbreviation", "positions": "code", "participation": "fiscal_year"}


def _norm(value: Any) -> Any:
    """Compare values as the loader reads them: texts with their whitespace folded."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_norm(v) for v in value]
    return value


def _styled(value: Any, like: Any = None) -> Any:
    """``value`` as ruamel nodes, copying the flow/block style of ``like`` (a sibling's same field)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _styled(item, like.get(key) if isinstance(like, dict) else None)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq(_styled(item, like[0] if isinstance(like, list) and like else None) for item in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            node.fa.set_flow_style()
        elif like is None and all(not isinstance(item, (dict, list)) for item in value):
            node.fa.set_flow_style()  # short lists of names: [Hanoi, Ho Chi Minh City]
        return node
    return value


def _sync_map(node, wanted: Dict[str, Any]) -> None:
    for key in [k for k in node if k not in wanted]:
        del node[key]
    for index, (key, value) in enumerate(wanted.items()):
        if key in node:
            node[key] = _sync_value(node[key], value, key)
        else:
            before = [k for k in list(wanted)[:index] if k in node]
            position = list(node).index(before[-1]) + 1 if before else 0
            node.insert(position, key, _styled(value))


def _sync_value(old: Any, new: Any, key: str) -> Any:
    if isinstance(new, dict):
        if isinstance(old, dict) and hasattr(old, "insert"):
            _sync_map(old, new)
            return old
        return _styled(new)
    if isinstance(new, list):
        records = all(isinstance(item, dict) and RECORD_KEYS.get(key) in item for item in new)
        if key in RECORD_KEYS and records and isinstance(old, list) and hasattr(old, "ca"):
            _sync_records(old, new, RECORD_KEYS[key])
            return old
        if isinstance(old, list) and _norm(list(old)) == _norm(new):
            return old
        if isinstance(old, list) and hasattr(old, "ca") and all(not isinstance(v, (dict, list)) for v in new):
            # Same node, new items: keeps its style and the comment (or blank line) after it.
            trailing = old.ca.items.pop(len(old) - 1, None) if len(old) else None
            old.ca.items.clear()
            del old[:]
            old.extend(new)
            if trailing is not None and len(old):
                old.ca.items[len(old) - 1] = trailing
            return old
        return _styled(new, old)
    if _norm(old) == _norm(new) and type(old) is not bool and type(new) is not bool:
        return old  # keeps the file's folding and quoting
    if isinstance(old, bool) and isinstance(new, bool) and old == new:
        return old
    return new


def _sync_records(seq, wanted: List[Dict[str, Any]], key: str) -> None:
    """Edit a list of records in place: update matching records, drop the others, insert new ones
    where they belong. Records keep their comments; a changed order rebuilds the list."""
    wanted_keys = [_norm(w[key]) for w in wanted]
    keep = set(wanted_keys)
    for index in reversed(range(len(seq))):
        item = seq[index]
        if not isinstance(item, dict) or _norm(item.get(key)) not in keep:
            del seq[index]
    existing = {_norm(item[key]): item for item in seq}
    for w in wanted:
        found = existing.get(_norm(w[key]))
        if found is not None:
            _sync_map(found, w)
    if [_norm(item[key]) for item in seq] != [k for k in wanted_keys if k in existing]:
        # Reordered in the database: rebuild in the wanted order (records keep their own comments).
        items = [existing[k] if k in existing else None for k in wanted_keys]
        del seq[:]
        seq.extend(items)
    for index, (k, w) in enumerate(zip(wanted_keys, wanted)):
        if k not in existing:
            like = seq[index - 1] if index > 0 and seq[index - 1] is not None else (seq[index + 1] if
                                                                                    index + 1 < len(seq) else None)
            item = _styled(w, like)
            if index < len(seq) and seq[index] is None:
                seq[index] = item
            else:
                seq.insert(index, item)
            if index > 0 and seq[index - 1] is not None:
                _move_trailing_comment(seq[index - 1], item)


def _comment_holder(node):
    """(container, key) whose comment slot holds what follows ``node``'s last line (a blank line,
    or the heading comment of the next group of records), or None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        child = node[key]
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child) and not child.fa.flow_style():
            node = child
            continue
        return node, key
    return None


def _move_trailing_comment(previous, item) -> None:
    """A record inserted after ``previous`` takes over the comment that followed it, so a blank
    line or a group heading stays after the new record instead of being split from its group."""
    from ruamel.yaml.comments import CommentedMap

    source, target = _comment_holder(previous), _comment_holder(item)
    if source is None or target is None:
        return
    container, key = source
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.get(key)
    if not entry or len(entry) <= slot or entry[slot] is None:
        return
    token, entry[slot] = entry[slot], None
    holder, holder_key = target
    if isinstance(holder, CommentedMap):
        holder.ca.items[holder_key] = [None, None, token, None]
    else:
        holder.ca.items[holder_key] = [token, None]


def render(data: KnowledgeData, base_dir: Optional[PathLike] = None) -> Dict[str, str]:
    """File name -> text for every data file. With ``base_dir``, each existing YAML file there is
    edited in place (comments, quoting, folding and layout kept); otherwise it is written afresh."""
    yaml = _yaml()
    out: Dict[str, str] = {}
    for name, wanted in documents(data).items():
        document = None
        existing = Path(base_dir) / name if base_dir is not None else None
        if existing is not None and existing.is_file():
            try:
                document = yaml.load(existing.read_text(encoding="utf-8-sig"))
            except Exception:  # noqa: BLE001 -- an unreadable file is simply written afresh
                document = None
        if isinstance(document, dict) and hasattr(document, "insert"):
            _sync_map(document, wanted)
        else:
            document = _styled_document(wanted)
        out[name] = _dump(yaml, document)
    out[FILES["affiliations"]] = affiliations_csv(data)
    return out


def _styled_document(wanted: Dict[str, Any]):
    """A fresh document: block style, with short name lists and gazetteer entries in flow style."""
    from ruamel.yaml.comments import CommentedMap

    document = _styled(wanted)
    for section in ("countries", "prefectures", "places"):
        for item in document.get(section, ()):  # places.yml: one line per entry
            if isinstance(item, CommentedMap):
                item.fa.set_flow_style()
    for key in ("aims", "partners", "gains", "activities", "overseas_participants", "forms"):
        if key in document and hasattr(document[key], "fa"):
            document[key].fa.set_block_style()
    for position in document.get("positions", ()):
        if "aliases" in position:
            position["aliases"].fa.set_block_style()
    return document


# -- checking -------------------------------------------------------------------------------------------
def comparable(data: KnowledgeData) -> KnowledgeData:
    """What the files encode: row numbers, the order of aliases, places, editions and participation,
    and the order of the text rows mean nothing to the assistant."""
    def sort_aliases(records, **extra):
        return [r.__class__(**{**r.__dict__, "aliases": tuple(sorted(r.aliases)), **extra}) for r in records]

    return KnowledgeData(
        texts=tuple(sorted(data.texts, key=lambda t: (t.subject, t.key, t.seq))),
        countries=tuple(sort_aliases(data.countries)),
        prefectures=tuple(sort_aliases(data.prefectures)),
        places=tuple(sorted(sort_aliases(data.places), key=lambda p: p.name)),
        affiliations=tuple(AffiliationRec(0, *[getattr(a, f) for f in (
            "prefecture", "municipality", "counterpart", "counterpart_as_written", "country", "retired")])
            for a in data.affiliations),
        editions=tuple(sorted(data.editions, key=lambda e: e.fiscal_year)),
        supporting_bodies=data.supporting_bodies,
        positions=tuple(sort_aliases(data.positions)),
        participation=tuple(sorted(data.participation, key=lambda p: p.fiscal_year)),
    )


def _load_texts(texts: Dict[str, str]) -> KnowledgeData:
    with tempfile.TemporaryDirectory(prefix="kb-export-") as scratch:
        for name, text in texts.items():
            (Path(scratch) / name).write_text(text, encoding="utf-8")
        return load_files(scratch)


def validate(data: KnowledgeData) -> KnowledgeData:
    """Run the loader's checks on ``data`` as the files would hold it; raises KnowledgeError.
    This is how a console edit is checked before it is committed: the database never holds
    what the data files could not. (Plain PyYAML here: fast, and layout does not matter.)"""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    texts = {name: yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=4096)
             for name, document in documents(data).items()}
    texts[FILES["affiliations"]] = affiliations_csv(data)
    return _load_texts(texts)


def _differences(a: KnowledgeData, b: KnowledgeData) -> List[str]:
    a, b = comparable(a), comparable(b)
    return [name for name in a.__dataclass_fields__ if getattr(a, name) != getattr(b, name)]


# -- export -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exported:
    data_dir: Path
    written: Tuple[str, ...]     # files whose text changed
    unchanged: Tuple[str, ...]


def _write_atomically(path: Path, text: str) -> None:
    fd, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(scratch, path.stat().st_mode & 0o777)
        os.replace(scratch, path)
    except BaseException:
        if os.path.exists(scratch):
            os.unlink(scratch)
        raise


def export(engine, data_dir: PathLike) -> Exported:
    """Write the database's knowledge base to ``data_dir``. The files are rendered, loaded back
    and compared with the database first; on any difference or validation error nothing is
    written (ExportError / KnowledgeError)."""
    data_dir = Path(data_dir)
    with Session(engine, future=True) as session:
        data = snapshot(session)
    texts = render(data, data_dir)
    try:
        loaded = _load_texts(texts)
    except KnowledgeError as error:
        raise KnowledgeError([f"the database does not pass the loader's checks: {e}" for e in error.errors]) from None
    differences = _differences(data, loaded)
    if differences:
        raise ExportError(f"the written files would not load back the same ({', '.join(differences)} differ); "
                          f"nothing was written")
    data_dir.mkdir(parents=True, exist_ok=True)
    written, unchanged = [], []
    for name in sorted(texts):
        path = data_dir / name
        current = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        if current == texts[name]:
            unchanged.append(name)
        else:
            _write_atomically(path, texts[name])
            written.append(name)
    return Exported(data_dir, tuple(written), tuple(unchanged))


def export_url(database_url: str, data_dir: PathLike) -> Exported:
    engine = create_engine(database_url, future=True)
    try:
        return export(engine, data_dir)
    finally:
        engine.dispose()


__all__ = ["Exported", "ExportError", "comparable", "documents", "export", "export_url", "render", "snapshot",
           "validate"]
