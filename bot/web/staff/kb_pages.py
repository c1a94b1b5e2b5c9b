"""How the console shows each knowledge entity: its pages' words, list columns and the few
per-entity touches (a filter, the aliases' add form on their list). The fields, their labels and
checks come from the entity's editor (bot/staff/kb), built from its declaration; the routes and
handlers (kb_views.py) and the templates (templates/kb/) are the same for every entity."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from bot.staff.kb import registry
from bot.staff.kb.aliases import ALIAS_KINDS
from bot.staff.kb.editor import Editor, RetiringEditor, Row


@dataclass(frozen=True)
class Column:
    """A list column: a declared field (header: its label, cell: its value) or anything computed."""

    field: str = ""
    header: str = ""
    cell: Optional[Callable[[Row], Any]] = None
    data_label: str = ""  # the label a phone-width row shows beside the cell
    dash: bool = False  # none or empty is shown as "—"
    link: Optional[Tuple[str, str, str]] = None  # (route, query, text): a link after the value


@dataclass(frozen=True)
class Filter:
    """A select above a list narrowing it (``param`` is passed to the editor's rows)."""

    param: str
    label: str
    all_label: str
    aria: str
    options: Callable[[Editor, Any], List[Tuple[str, str]]]  # (value, label) from (editor, engine)
    only_options: bool = False  # another value shows everything (else: it is passed on, matching nothing)


@dataclass(frozen=True)
class EntityPage:
    editor: Editor
    plural: str  # in the URL (/kb/<plural>) and the list route's name (kb_<plural>)
    key_param: str  # the key's path parameter and its type
    key_type: str
    nav: str  # the sub-navigation's (and back link's) words
    tile: str  # the overview's words after the count
    heading: str  # the list's h1
    a_noun: str  # "an affiliation": "Add an affiliation", "Edit an affiliation"
    new_heading: str
    edit_heading: Callable[[Row], str]
    row_name: Callable[[Row], str]  # for screen readers after "Edit" and "Remove"
    removal: Callable[[Row], str] = lambda row: ""  # "This removes <...>."
    columns: Tuple[Column, ...] = ()
    intro: Callable[[List[Row]], str] = lambda rows: ""
    filter: Optional[Filter] = None
    list_partial: str = ""  # a template included above the list
    form_partial: str = ""  # a template included at the end of the form
    has_new_page: bool = True  # False: created from the list page (aliases)
    defaults: Dict[str, Any] = field(default_factory=dict)  # a new form's values
    prefill: Tuple[str, ...] = ()  # query parameters that may pre-fill a new form
    saved_query: Callable[[Any, Dict[str, Any]], str] = lambda key, values: ""
    row_class: Callable[[Row], str] = lambda row: ""
    read: Optional[Callable[[Dict[str, Any], Any], Dict[str, Any]]] = None  # (form's values, posted) -> values
    can_remove: Callable[[Row], bool] = lambda row: True
    retire_words: Tuple[str, str] = ("Retire", "Restore")  # the list's buttons

    @property
    def noun(self) -> str:
        return self.editor.noun

    @property
    def retirable(self) -> bool:
        """Retired and restored (from the list) instead of removed."""
        return isinstance(self.editor, RetiringEditor)

    @property
    def list_route(self) -> str:
        return f"kb_{self.plural}"

    def header(self, column: Column) -> str:
        return column.header or self.editor.entity.field(column.field).label

    def cell(self, column: Column, row: Row) -> Any:
        return column.cell(row) if column.cell else getattr(row, column.field)

    def counts(self, rows: List[Row]) -> Tuple[int, str]:
        """The overview's count (retired records not counted) and a note beside it."""
        retired = sum(1 for r in rows if r.retired) if self.retirable else 0
        return len(rows) - retired, f"(and {retired} retired)" if retired else ""


def _alias_target(values: Dict[str, Any], posted) -> Dict[str, Any]:
    """The alias form's one select says "kind:target" (one list with every name, grouped by kind)."""
    values = {**values, "kind": posted.get("kind", "")}
    kind, colon, name = values["target"].partition(":")
    if colon and kind in ALIAS_KINDS:
        values.update(kind=kind, target=name)
    return values


def _countries_listed(editor: Editor, engine) -> List[Tuple[str, str]]:
    return [(c, c) for c in sorted({r.country for r in editor.list(engine)})]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


AFFILIATIONS = EntityPage(
    registry.affiliations, "affiliations", "affiliation_id", "int", "Affiliations", "affiliations",
    "Sister-city affiliations", "an affiliation", "Add an affiliation",
    edit_heading=lambda row: f"Edit {row.label}", row_name=lambda row: row.label,
    columns=(Column("prefecture", cell=lambda r: r.prefecture + (f" ({r.municipality})" if r.municipality else "")),
             Column("counterpart"),
             Column("counterpart_as_written", "As written on the page", data_label="As written"),
             Column("country"),
             Column("retired", "State", cell=lambda r: "Retired" if r.retired else "Active")),
    filter=Filter("country", "Country", "All", "Filter by country", _countries_listed),
    prefill=("prefecture", "counterpart"), row_class=lambda row: "retired" if row.retired else "")

EDITIONS = EntityPage(
    registry.editions, "editions", "year", "int", "Programme editions", "programme editions",
    "Regional Exchange Promotion Program editions", "an edition", "Add a programme edition",
    edit_heading=lambda row: f"Edit the FY{row.key} edition", row_name=lambda row: f"FY{row.key}",
    removal=lambda e: f"the programme edition of fiscal year {e.fiscal_year}"
    + (" (its longer description goes too)" if e.has_details else ""),
    columns=(Column("fiscal_year", cell=lambda e: f"FY{e.fiscal_year}"),
             Column("countries", "Host", cell=lambda e: ", ".join(e.countries)
                    + (f" ({', '.join(e.cities)})" if e.cities else "")),
             Column("title", dash=True),
             Column("status", cell=lambda e: e.status.capitalize() + (f": {e.reason}" if e.reason else ""))),
    intro=lambda rows: f"{len(rows)} editions, newest first.", form_partial="kb/edition_details.html",
    defaults={"status": "held"}, saved_query=lambda year, values: f"saved=FY{year}")

POSITIONS = EntityPage(
    registry.positions, "positions", "code", "str", "JET positions", "JET positions",
    "JET Programme positions", "a position", "Add a JET position",
    edit_heading=lambda row: f"Edit {row.key}", row_name=lambda row: row.code,
    removal=lambda p: f"the JET position {p.code} ({p.name}) and its aliases",
    columns=(Column("code"), Column("name"), Column("description", "What they do"),
             Column("workplace", "Where", dash=True),
             Column("aliases", cell=lambda p: ", ".join(p.aliases), link=("kb_aliases", "?kind=position", "(edit)"))),
    intro=lambda rows: f"{len(rows)} positions.")

PLACES = EntityPage(
    registry.places, "places", "place_id", "int", "Places", "places", "Places outside Japan", "a place",
    "Add a place", edit_heading=lambda row: f"Edit {row.name}", row_name=lambda row: row.name,
    removal=lambda p: f"the place {p.name} ({p.country}) and its aliases",
    columns=(Column("name"), Column("kind"), Column("region", "Region", dash=True), Column("country"),
             Column(header="Used by", cell=lambda p: p.used_by)),
    intro=lambda rows: "Counterparts of affiliations and host cities of editions.",
    defaults={"kind": "city"}, can_remove=lambda p: not p.used_by)

ALIASES = EntityPage(
    registry.aliases, "aliases", "alias_id", "int", "Aliases", "aliases", "Aliases", "an alias", "Add an alias",
    edit_heading=lambda row: "Edit an alias", row_name=lambda row: row.alias,
    removal=lambda a: f"the alias “{a.alias}” of {a.target}",
    columns=(Column("kind", "Kind"), Column("target", "Name"), Column("alias")),
    filter=Filter("kind", "Show", "All kinds", "Filter by kind",
                  lambda editor, engine: [(k, k.capitalize()) for k in ALIAS_KINDS], only_options=True),
    list_partial="kb/alias_add.html", has_new_page=False, read=_alias_target, defaults={"kind": ""},
    saved_query=lambda key, values: f"kind={values['kind']}")

STAFF_ANSWERS = EntityPage(
    registry.answers, "answers", "answer_key", "str", "Staff answers", "staff answers",
    "Answers by CLAIR staff", "an answer", "Write an answer",
    edit_heading=lambda row: "Edit a staff answer", row_name=lambda row: row.question,
    columns=(Column("question"), Column("answer"), Column("topic", "Page gap", dash=True),
             Column("written", "Written", cell=lambda a: f"{a.written} by {a.author}"),
             Column("withdrawn", "State", cell=lambda a: "Withdrawn" if a.withdrawn else "Served")),
    intro=lambda rows: "Served to visitors who ask what the page does not answer, within seconds of saving; "
                       "the knowledge base's own answers always come first.",
    prefill=("question", "topic"), row_class=lambda row: "retired" if row.withdrawn else "",
    retire_words=("Withdraw", "Serve again"))

PAGES: Tuple[EntityPage, ...] = (AFFILIATIONS, EDITIONS, POSITIONS, PLACES, ALIASES, STAFF_ANSWERS)
