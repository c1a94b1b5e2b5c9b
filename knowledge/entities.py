"""The one declaration of every knowledge entity and text fact type.

Everything that reads, writes or edits the knowledge base is driven from here: the loader (parsers,
writer), the export (snapshot, documents, CSV), the query facade's readers and the staff console's
editor. Each declaration says which ORM model holds the rows, which data file and section hold the
records, what identifies a record (its key) and what its fields are.

A new field of an entity touches three source files: the column in ``models.py``, its migration in
``bot/migrations/versions/``, and its ``Field`` here (plus the data file and the tests). The record
and result dataclass (``Entity.record``) is generated from the fields, so the loader, the export
and the readers pick the field up without further edits.

A new text fact type touches three source files: its ``TextFact`` here, its result dataclass in
``results.py`` and its reader in ``query.py`` (plus the data file and the tests); the loader and the
export read and write every declared fact.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field, make_dataclass
from typing import Any, Dict, Optional, Tuple

from . import models as m

# Field kinds. A reference names another entity's key ("ref": one, "refs": a list kept in a link
# table); "aliases" are the record's alternative names (kb_alias rows of the entity's alias_kind);
# "child"/"children" are records of another entity nested in this one.
KINDS = ("str", "text", "int", "bool", "list", "ref", "refs", "aliases", "child", "children")

PLACE_KINDS = ("city", "province", "village", "region", "unspecified")
EDITION_STATUSES = m.EDITION_STATUSES
NAME_KINDS = m.NAME_KINDS


@dataclass(frozen=True)
class Field:
    """One field of an entity.

    ``path`` is where the value sits in the record of the data file (dotted when nested, None when
    the file does not hold it); ``column`` is the ORM column (None when the value is not one plain
    column: aliases, link tables, children, values derived from a reference). ``required`` means
    the key must be present in its mapping; ``nullable`` that it may be written as null.
    """

    name: str
    kind: str
    label: str
    required: bool = True
    nullable: bool = False
    choices: Tuple[str, ...] = ()
    minimum: Optional[int] = None
    default: Any = None
    ref: Optional[str] = None  # entity name, for ref/refs/child/children
    path: Optional[str] = ""  # "" means the field's name
    column: Optional[str] = ""  # "" means the field's name
    link: Any = None  # link model of a "refs" field (an untyped declarative class)
    # Written to the file only when set (not None, not False, not empty); otherwise always written.
    if_set: bool = False
    # Empty in the file means "the value of this other field" (stored so; written back as stored).
    fallback: str = ""
    # Not stored: the value is the referenced record's field of the same name ("counterpart": the
    # counterpart place's country), written in the file so a reader sees it.
    via: str = ""

    @property
    def key(self) -> Optional[str]:
        """Where the value sits in the data file's record (dotted), or None."""
        return self.name if self.path == "" else self.path

    @property
    def column_name(self) -> Optional[str]:
        return self.name if self.column == "" else self.column

    @property
    def empty(self) -> Any:
        """The value of a record that does not give this field."""
        if self.kind in ("list", "refs", "aliases", "children"):
            return ()
        if self.kind == "bool":
            return bool(self.default)
        return self.default

    @property
    def optional(self) -> bool:
        """The record may lack a value (it is None, or empty for lists)."""
        return not self.required or self.nullable


@dataclass(frozen=True)
class Entity:
    """One kind of record: where it lives in the files and in the database, and its fields."""

    name: str  # e.g. "country"
    label: str  # for people, e.g. "Country"
    model: Any  # the ORM model (declarative classes are untyped)
    file: Optional[str]  # data file name; None: not a file section of its own (aliases)
    section: Optional[str]  # the list in that file (dotted below a parent record); None: the whole file
    key: Tuple[str, ...]  # the fields that identify a record
    fields: Tuple[Field, ...]
    alias_kind: Optional[str] = None  # kb_alias.kind of its "aliases" field
    parent: Optional[str] = None  # entity this one is nested in
    record_name: str = ""  # name of the generated dataclass
    extra: Tuple[Tuple[str, type, Any], ...] = ()  # record attributes that are no field (e.g. a CSV row number)
    # Fields whose values are names the resolver matches (unique together with the aliases, within
    # the entity); default: the key.
    names: Tuple[str, ...] = ()
    # How the files list the records: "-fiscal_year" newest first; default the rows' seq, then id.
    order: str = ""
    # Records listed together by this reference (places.yml: a country's places side by side).
    group_by: str = ""
    record: Any = dc_field(default=None, compare=False, repr=False)  # generated in __post_init__

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", _record_class(self))

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field '{name}'")

    @property
    def column_fields(self) -> Tuple[Field, ...]:
        """Fields stored in one column of the entity's own table."""
        return tuple(f for f in self.fields if f.column_name is not None)

    def max_length(self, name: str) -> Optional[int]:
        """The column's length limit (String(n)), or None: read from the model, never repeated."""
        column_name = self.field(name).column_name
        if column_name is None:
            return None
        return getattr(self.model.__table__.c[column_name].type, "length", None)


_PY_TYPES = {"str": str, "text": str, "int": int, "bool": bool, "ref": str}



def _record_class(entity: Entity) -> type:
    """A frozen dataclass with the entity's fields in declared order. A field gets a default only
    when every field after it has one (dataclasses need that): the trailing optional fields."""
    specs = [(name, tp, default) for name, tp, default in entity.extra]
    for f in entity.fields:
        if f.kind in ("list", "refs", "aliases", "children"):
            tp: Any = Tuple[str, ...] if f.kind != "children" else tuple
        elif f.kind == "child":
            tp = Optional[object]
        else:
            tp = Optional[_PY_TYPES[f.kind]] if f.optional else _PY_TYPES[f.kind]
        optional = f.optional or f.kind in ("bool", "list", "aliases", "children", "child")
        specs.append((f.name, tp, f.empty if optional else dc_field()))
    fields = []
    trailing = True
    for name, tp, default in reversed(specs):
        has_default = not isinstance(default, type(dc_field()))
        trailing = trailing and has_default
        fields.append((name, tp, dc_field(default=default)) if trailing else (name, tp))
    cls = make_dataclass(entity.record_name or _camel(entity.name), list(reversed(fields)), frozen=True)
    cls.__module__ = __name__
    cls.__doc__ = f"A {entity.label.lower()} record, generated from its declaration in knowledge/entities.py."
    return cls


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _text(name, label, **kw) -> Field:
    return Field(name, "text", label, **kw)


def _optional_text(name, label, **kw) -> Field:
    return Field(name, "text", label, required=False, nullable=True, **kw)


def _detail(name, label, **kw) -> Field:
    """An edition detail: optional, and written only when the page gives it."""
    return _optional_text(name, label, if_set=True, **kw)


def _aliases_field() -> Field:
    return Field("aliases", "aliases", "Aliases", required=False, column=None)


# -- entities ---------------------------------------------------------------------------------------
COUNTRY = Entity(
    "country", "Country", m.Country, "places.yml", "countries", ("name",), (
        Field("name", "str", "Name"),
        Field("asean", "bool", "ASEAN member", required=False, default=False),
        Field("home", "bool", "Home country (Japan, never a counterpart)", required=False, default=False,
              if_set=True),
        _aliases_field(),
    ), alias_kind="country")

PREFECTURE = Entity(
    "prefecture", "Prefecture", m.Prefecture, "places.yml", "prefectures", ("name",), (
        Field("name", "str", "Name"),
        _aliases_field(),
    ), alias_kind="prefecture")

PLACE = Entity(
    "place", "Place", m.Place, "places.yml", "places", ("name",), (
        Field("name", "str", "Name"),
        Field("kind", "str", "Kind", choices=PLACE_KINDS),
        Field("region", "str", "Region or province", required=False, nullable=True),
        Field("country", "ref", "Country", ref="country", column="country_id"),
        _aliases_field(),
        Field("source_spelling", "str", "Spelling on the page", required=False, nullable=True, if_set=True),
    ), alias_kind="place", group_by="country")

AFFILIATION = Entity(
    "affiliation", "Sister city affiliation", m.Affiliation, "affiliations.csv", None,
    ("prefecture", "municipality", "counterpart"), (
        Field("prefecture", "ref", "Prefecture", ref="prefecture", column="prefecture_id"),
        Field("municipality", "str", "Local government", required=False, nullable=True),
        Field("counterpart", "ref", "Counterpart", ref="place", column="place_id"),
        Field("counterpart_as_written", "str", "Counterpart as written on the page", required=False,
              nullable=True, fallback="counterpart"),
        Field("country", "ref", "Country", ref="country", column=None, via="counterpart"),
        Field("retired", "bool", "Retired", required=False, default=False, if_set=True),
    ), extra=(("row", int, dc_field()),))  # spreadsheet row in affiliations.csv (header = row 1)

EDITION_PART = Entity(
    "edition_part", "Schedule part", m.EditionPart, "regional_exchange.yml", "details.schedule.parts",
    ("name",), (
        Field("name", "str", "Name"),
        Field("location", "str", "Location", required=False, nullable=True),
    ), parent="edition_detail", record_name="EditionPart")

EDITION_DETAIL = Entity(
    "edition_detail", "Edition details", m.EditionDetail, "regional_exchange.yml", "details", (), (
        _detail("context", "Context"),
        _detail("summary", "Summary"),
        _detail("aims", "Aims"),
        _detail("schedule_text", "Schedule", path="schedule.text"),
        Field("days", "int", "Days", required=False, nullable=True, minimum=1, path="schedule.days", if_set=True),
        Field("period", "str", "Period (text, e.g. November 2015)", required=False, nullable=True,
              path="schedule.period", if_set=True),
        Field("parts", "children", "Schedule parts", required=False, ref="edition_part",
              path="schedule.parts", column=None, if_set=True),
        # Required inside "participants:" when that mapping is there; None when it is not.
        Field("participants", "int", "Participants", nullable=False, minimum=0, path="participants.count",
              if_set=True),
        _detail("participants_description", "Who took part", path="participants.description"),
    ), parent="edition", record_name="EditionDetail")

EDITION = Entity(
    "edition", "Regional Exchange Promotion Program edition", m.Edition, "regional_exchange.yml",
    "editions", ("fiscal_year",), (
        Field("fiscal_year", "int", "Fiscal year", minimum=1900),
        Field("countries", "refs", "Host countries", ref="country", column=None, link=m.EditionCountry),
        Field("cities", "refs", "Cities visited", required=False, ref="place", column=None, link=m.EditionCity),
        _optional_text("host_text", "Host as written on the page"),
        _optional_text("title", "Title"),
        Field("status", "str", "Status", choices=EDITION_STATUSES),
        _optional_text("reason", "Reason (cancelled editions)", if_set=True),
        _optional_text("source_note", "Note on the source", if_set=True),
        Field("details", "child", "Details", required=False, ref="edition_detail", column=None, if_set=True),
    ), order="-fiscal_year")

SUPPORTING_BODY = Entity(
    "supporting_body", "JET supporting body", m.SupportingBody, "jet.yml", "supporting_bodies",
    ("abbreviation",), (
        Field("name", "str", "Name"),
        Field("abbreviation", "str", "Abbreviation"),
    ))

JET_POSITION = Entity(
    "jet_position", "JET position", m.JetPosition, "jet.yml", "positions", ("code",), (
        Field("code", "str", "Code"),
        Field("name", "str", "Name"),
        _text("description", "Description"),
        _optional_text("workplace", "Workplace"),
        _aliases_field(),
    ), alias_kind="position", record_name="Position", names=("code", "name"))

JET_PARTICIPATION = Entity(
    "jet_participation", "JET participation", m.JetParticipation, "jet.yml", "participation",
    ("fiscal_year",), (
        Field("fiscal_year", "int", "Fiscal year", minimum=1900),
        Field("participants", "int", "Participants", minimum=0),
        _text("origin", "Where they came from"),
        _optional_text("text", "The page's sentence"),
    ))

# Written by CLAIR staff in the console (or the file) for questions the page does not answer.
STAFF_ANSWER = Entity(
    "staff_answer", "Staff answer", m.StaffAnswer, "staff_answers.yml", "staff_answers", ("key",), (
        Field("key", "str", "Key"),
        _text("question", "Question"),
        Field("paraphrases", "list", "Other wordings of the question", required=False, if_set=True),
        _text("answer", "Answer"),
        _optional_text("answer_ja", "Answer in Japanese", if_set=True),
        # The page gap (page_gaps.yml) it answers: a question that gap catches gets this answer.
        Field("topic", "str", "Page gap it answers", required=False, nullable=True, if_set=True),
        Field("author", "str", "Written by"),
        Field("written", "str", "Written on (YYYY-MM-DD)"),
        Field("withdrawn", "bool", "Withdrawn", required=False, default=False, if_set=True),
    ))

# Aliases are written in the records they name (an "aliases" field), not in a section of their own.
ALIAS = Entity(
    "alias", "Alias", m.Alias, None, None, ("kind", "target", "alias"), (
        Field("kind", "str", "Kind of name", choices=NAME_KINDS),
        Field("target", "str", "Canonical name (code, for positions)"),
        Field("alias", "str", "Alias"),
    ))

# Every entity, parents before the entities that refer to them (the order a load inserts them).
ENTITIES: Tuple[Entity, ...] = (
    COUNTRY, PREFECTURE, PLACE, AFFILIATION, EDITION, EDITION_DETAIL, EDITION_PART,
    SUPPORTING_BODY, JET_POSITION, JET_PARTICIPATION, STAFF_ANSWER, ALIAS,
)
BY_NAME: Dict[str, Entity] = {e.name: e for e in ENTITIES}
# Entities whose records are the items of a top-level list of a data file.
SECTIONS: Tuple[Entity, ...] = tuple(e for e in ENTITIES if e.file and e.section and e.parent is None)


# -- text facts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextField:
    """One text fact of a subject: ``kind`` is "str" (required), "str?" (required, may be null: the
    page lacks the fact and the file says so), "list" (of texts) or "list?" (optional list).
    ``attr`` is the result dataclass's attribute (default: the key)."""

    key: str
    kind: str
    label: str = ""
    attr: str = ""
    choices: Tuple[str, ...] = ()

    @property
    def attribute(self) -> str:
        return self.attr or self.key

    @property
    def is_list(self) -> bool:
        return self.kind in ("list", "list?")


@dataclass(frozen=True)
class TextFact:
    """Texts of the page stored as kb_text rows of one subject.

    ``section`` is the mapping of the file holding them (None: the top of the file); the rows' keys
    are ``key_prefix`` + field key. ``per_topic`` facts repeat the fields once per topic below
    ``section`` (page gaps: ``topics.<topic>.what`` stored as ``<topic>.what``).
    """

    name: str
    subject: str
    file: str
    fields: Tuple[TextField, ...]
    section: Optional[str] = None
    key_prefix: str = ""
    per_topic: bool = False

    def values(self, texts, prefix: str = "") -> Dict[str, Any]:
        """Result attributes from ``texts`` (key -> values in seq order) of this fact's subject."""
        out: Dict[str, Any] = {}
        for f in self.fields:
            found = texts.get(self.key_prefix + prefix + f.key, ())
            if f.is_list:
                out[f.attribute] = tuple(v for v in found if v is not None)
            else:
                out[f.attribute] = found[0] if found else None
        return out


def _texts(*pairs) -> Tuple[TextField, ...]:
    return tuple(TextField(key, kind) for key, kind in pairs)


SOURCE = TextFact("source", "source", "source.yml", _texts(("title", "str"), ("file", "str")))
AFFILIATION_LIST = TextFact(
    "affiliation_list", "source", "source.yml", (
        TextField("title", "str", attr="list_title"), TextField("intro", "str", attr="list_intro"),
        TextField("as_of", "str"), TextField("columns", "str", attr="list_columns"),
        TextField("world_link_text", "str"), TextField("world_link", "str?"),
    ), section="affiliation_list", key_prefix="affiliation_list.")
REGIONAL_EXCHANGE = TextFact("regional_exchange", "regional_exchange", "regional_exchange.yml", _texts(
    ("name", "str"), ("organiser", "str"), ("partners", "list"), ("frequency", "str"),
    ("region", "str"), ("description", "str"), ("purpose", "str"), ("participants", "str"),
    ("mission", "str"), ("gains", "list"), ("list_title", "str"),
))
SEMINAR = TextFact("seminar", "seminar", "seminar.yml", _texts(
    ("name", "str"), ("host", "str"), ("held_in", "str"), ("description", "str"),
    ("brings_together", "str"), ("aims", "list"), ("activities", "list"),
    ("overseas_participants", "list"), ("lecture_city", "str"), ("more_details_text", "str"),
    ("more_details_link", "str?"),
))
JET = TextFact("jet", "jet", "jet.yml", _texts(
    ("name", "str"), ("abbreviation", "str"), ("description", "str"), ("implemented_by", "str"),
    ("aims", "list"), ("participation_note", "str"), ("more_details_text", "str"),
    ("more_details_link", "str?"),
))
JETAA = TextFact("jetaa", "jetaa", "jet.yml", _texts(("name", "str"), ("abbreviation", "str"),
                                                    ("description", "str")), section="jetaa")
SISTER_CITY_SUPPORT = TextFact("sister_city_support", "sister_city_support", "sister_city_support.yml", _texts(
    ("title", "str"), ("provider", "str"), ("intro", "str"), ("forms", "list"),
    ("contact_statement", "str"), ("contact_details", "str?"), ("contact_note", "str"),
))
# The line of the page each gap's reply adds (drawn by actions/honesty.py).
GAP_RELATED = ("jet_position", "jet_about", "jet_participation", "repp_latest", "repp_participants", "seminar",
               "support", "contact", "affiliation_list", "affiliation_world", "scope")
PAGE_GAPS = TextFact("page_gaps", "page_gaps", "page_gaps.yml", (
    TextField("what", "str"), TextField("cues", "list"), TextField("needs", "list?"),
    TextField("related", "str", label="related line", choices=GAP_RELATED),
), section="topics", per_topic=True)

TEXT_FACTS: Tuple[TextFact, ...] = (
    SOURCE, AFFILIATION_LIST, REGIONAL_EXCHANGE, SEMINAR, JET, JETAA, SISTER_CITY_SUPPORT, PAGE_GAPS,
)

# Every data file, in the order the loader reads them.
FILES: Tuple[str, ...] = ("source.yml", "places.yml", "regional_exchange.yml", "seminar.yml", "jet.yml",
                          "sister_city_support.yml", "page_gaps.yml", "staff_answers.yml", "affiliations.csv")

__all__ = [
    "ALIAS", "AFFILIATION", "AFFILIATION_LIST", "BY_NAME", "COUNTRY", "EDITION", "EDITION_DETAIL", "EDITION_PART",
    "EDITION_STATUSES", "ENTITIES", "Entity", "FILES", "Field", "GAP_RELATED", "JET", "JETAA", "JET_PARTICIPATION",
    "JET_POSITION", "KINDS", "NAME_KINDS", "PAGE_GAPS", "PLACE", "PLACE_KINDS", "PREFECTURE", "REGIONAL_EXCHANGE",
    "SECTIONS", "SEMINAR", "SISTER_CITY_SUPPORT", "SOURCE", "STAFF_ANSWER", "SUPPORTING_BODY", "TEXT_FACTS", "TextFact",
    "TextField",
]
