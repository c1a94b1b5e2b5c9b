"""Knowledge-base pages: affiliations, programme editions, JET positions, places and aliases.

Each change goes through bot.staff.kb (validated with the data files' own checks, audited, and
answered by the running assistant at once). A change that is refused shows the form again with
what was typed and why."""
from __future__ import annotations

from typing import Any, Callable, Dict

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.staff import kb
from knowledge.parsers import PLACE_KINDS

from .common import console, form, redirect, render, staff


def _actor(request: Request) -> int:
    return staff(request).account_id


def _values(request: Request, *names: str) -> Dict[str, str]:
    values = form(request)
    return {name: values.get(name, "") for name in names}


async def _page(request: Request, template: str, loader: Callable[[Any], Dict[str, Any]], status_code: int = 200,
                **extra) -> Response:
    context = await run_in_threadpool(loader, console(request).engine)
    context.update(extra)
    return render(request, template, context, status_code=status_code)


# -- overview ---------------------------------------------------------------------------------------------
def _overview(engine) -> Dict[str, Any]:
    affiliations = kb.affiliations(engine)
    return {"state": kb.export_state(engine),
            "counts": {"affiliations": sum(1 for a in affiliations if not a.retired),
                       "retired": sum(1 for a in affiliations if a.retired),
                       "editions": len(kb.editions(engine)), "positions": len(kb.positions(engine)),
                       "places": len(kb.places(engine)), "aliases": len(kb.aliases(engine))}}


async def kb_home(request: Request) -> Response:
    return await _page(request, "kb/home.html", _overview)


# -- affiliations ---------------------------------------------------------------------------------------------
AFFILIATION_FIELDS = ("prefecture", "municipality", "counterpart", "counterpart_as_written")


async def affiliations(request: Request) -> Response:
    country = request.query_params.get("country", "")

    def load(engine):
        rows = kb.affiliations(engine)
        return {"rows": [r for r in rows if not country or r.country == country], "country": country,
                "countries": sorted({r.country for r in rows})}

    return await _page(request, "kb/affiliations.html", load)


def _affiliation_form(request: Request, affiliation_id, values, errors, status_code=200):
    def load(engine):
        return {"choices": kb.choices(engine), "affiliation_id": affiliation_id, "v": values,
                "existing": kb.affiliation(engine, affiliation_id) if affiliation_id else None}
    return _page(request, "kb/affiliation_form.html", load, status_code, errors=errors)


async def affiliation_new(request: Request) -> Response:
    values = {name: "" for name in AFFILIATION_FIELDS}
    values.update({k: v for k, v in request.query_params.items() if k in ("prefecture", "counterpart")})
    return await _affiliation_form(request, None, values, [])


async def affiliation_edit(request: Request) -> Response:
    affiliation_id = request.path_params["affiliation_id"]
    row = await run_in_threadpool(kb.affiliation, console(request).engine, affiliation_id)
    if row is None:
        raise HTTPException(404, "There is no such affiliation.")
    values = {"prefecture": row.prefecture, "municipality": row.municipality or "", "counterpart": row.counterpart,
              "counterpart_as_written": row.counterpart_as_written}
    return await _affiliation_form(request, affiliation_id, values, [])


async def affiliation_save(request: Request) -> Response:
    affiliation_id = request.path_params.get("affiliation_id")
    values = _values(request, *AFFILIATION_FIELDS)
    try:
        await run_in_threadpool(kb.save_affiliation, console(request).engine, _actor(request), affiliation_id, values)
    except kb.EditRejected as error:
        return await _affiliation_form(request, affiliation_id, values, error.errors, 422)
    return redirect(request, "kb_affiliations", msg="saved")


async def affiliation_retire(request: Request) -> Response:
    return await _retire(request, True)


async def affiliation_restore(request: Request) -> Response:
    return await _retire(request, False)


async def _retire(request: Request, retired: bool) -> Response:
    try:
        await run_in_threadpool(kb.set_retired, console(request).engine, _actor(request),
                                request.path_params["affiliation_id"], retired)
    except kb.EditRejected as error:
        raise HTTPException(404, " ".join(error.errors))
    return redirect(request, "kb_affiliations", msg="retired" if retired else "restored")


# -- editions -------------------------------------------------------------------------------------------------
EDITION_FIELDS = ("fiscal_year", "host_text", "title", "status", "reason", "source_note")


async def editions(request: Request) -> Response:
    return await _page(request, "kb/editions.html", lambda engine: {"rows": kb.editions(engine)})


def _edition_form(request: Request, year, values, errors, status_code=200):
    def load(engine):
        return {"choices": kb.choices(engine), "year": year, "v": values,
                "existing": kb.edition(engine, year) if year else None}
    return _page(request, "kb/edition_form.html", load, status_code, errors=errors)


async def edition_new(request: Request) -> Response:
    values = {name: "" for name in EDITION_FIELDS}
    values.update(status="held", countries=[], cities=[])
    return await _edition_form(request, None, values, [])


async def edition_edit(request: Request) -> Response:
    year = request.path_params["year"]
    row = await run_in_threadpool(kb.edition, console(request).engine, year)
    if row is None:
        raise HTTPException(404, "There is no such edition.")
    values = {k: ("" if v is None else v) for k, v in row.describe().items()}
    return await _edition_form(request, year, values, [])


async def edition_save(request: Request) -> Response:
    year = request.path_params.get("year")
    values: Dict[str, Any] = _values(request, *EDITION_FIELDS)
    countries, cities = form(request).getlist("countries"), form(request).getlist("cities")
    try:
        new_year = await run_in_threadpool(kb.save_edition, console(request).engine, _actor(request), year, values,
                                           countries, cities)
    except kb.EditRejected as error:
        values.update(countries=countries, cities=cities)
        return await _edition_form(request, year, values, error.errors, 422)
    return redirect(request, "kb_editions", msg="saved", query=f"saved=FY{new_year}")


# -- positions ------------------------------------------------------------------------------------------------
POSITION_FIELDS = ("code", "name", "description", "workplace")


async def positions(request: Request) -> Response:
    return await _page(request, "kb/positions.html", lambda engine: {"rows": kb.positions(engine)})


def _position_form(request: Request, code, values, errors, status_code=200):
    def load(engine):
        return {"code": code, "v": values, "existing": kb.position(engine, code) if code else None}
    return _page(request, "kb/position_form.html", load, status_code, errors=errors)


async def position_new(request: Request) -> Response:
    return await _position_form(request, None, {name: "" for name in POSITION_FIELDS}, [])


async def position_edit(request: Request) -> Response:
    code = request.path_params["code"]
    row = await run_in_threadpool(kb.position, console(request).engine, code)
    if row is None:
        raise HTTPException(404, "There is no such position.")
    return await _position_form(request, code, {k: v or "" for k, v in row.describe().items()}, [])


async def position_save(request: Request) -> Response:
    code = request.path_params.get("code")
    values = _values(request, *POSITION_FIELDS)
    try:
        await run_in_threadpool(kb.save_position, console(request).engine, _actor(request), code, values)
    except kb.EditRejected as error:
        return await _position_form(request, code, values, error.errors, 422)
    return redirect(request, "kb_positions", msg="saved")


# -- places ---------------------------------------------------------------------------------------------------
PLACE_FIELDS = ("name", "kind", "region", "country", "source_spelling")


async def places(request: Request) -> Response:
    return await _page(request, "kb/places.html", lambda engine: {"rows": kb.places(engine)})


def _place_form(request: Request, place_id, values, errors, status_code=200):
    def load(engine):
        return {"choices": kb.choices(engine), "place_id": place_id, "v": values, "kinds": PLACE_KINDS,
                "existing": kb.place(engine, place_id) if place_id else None}
    return _page(request, "kb/place_form.html", load, status_code, errors=errors)


async def place_new(request: Request) -> Response:
    values = {name: "" for name in PLACE_FIELDS}
    values["kind"] = "city"
    return await _place_form(request, None, values, [])


async def place_edit(request: Request) -> Response:
    place_id = request.path_params["place_id"]
    row = await run_in_threadpool(kb.place, console(request).engine, place_id)
    if row is None:
        raise HTTPException(404, "There is no such place.")
    return await _place_form(request, place_id, {k: v or "" for k, v in row.describe().items()}, [])


async def place_save(request: Request) -> Response:
    place_id = request.path_params.get("place_id")
    values = _values(request, *PLACE_FIELDS)
    try:
        await run_in_threadpool(kb.save_place, console(request).engine, _actor(request), place_id, values)
    except kb.EditRejected as error:
        return await _place_form(request, place_id, values, error.errors, 422)
    return redirect(request, "kb_places", msg="saved")


# -- aliases --------------------------------------------------------------------------------------------------
ALIAS_FIELDS = ("kind", "target", "alias")


def _alias_list(request: Request, values, errors, status_code=200):
    kind = request.query_params.get("kind", "") or values.get("kind", "")
    kind = kind if kind in kb.ALIAS_KINDS else ""

    def load(engine):
        return {"rows": kb.aliases(engine, kind or None), "kind": kind, "kinds": kb.ALIAS_KINDS,
                "choices": kb.choices(engine), "v": values}
    return _page(request, "kb/aliases.html", load, status_code, errors=errors)


async def aliases(request: Request) -> Response:
    kind = request.query_params.get("kind", "")
    return await _alias_list(request, {"kind": kind, "target": "", "alias": ""}, [])


def _split_target(values: Dict[str, str]) -> Dict[str, str]:
    """The form's one select says "kind:target" (one list with every name, grouped by kind)."""
    kind, colon, name = values.get("target", "").partition(":")
    return {**values, "kind": kind, "target": name} if colon and kind in kb.ALIAS_KINDS else values


async def alias_add(request: Request) -> Response:
    values = _split_target(_values(request, *ALIAS_FIELDS))
    try:
        await run_in_threadpool(kb.save_alias, console(request).engine, _actor(request), None, values)
    except kb.EditRejected as error:
        return await _alias_list(request, values, error.errors, 422)
    return redirect(request, "kb_aliases", msg="saved", query=f"kind={values['kind']}")


def _alias_form(request: Request, alias_id, values, errors, status_code=200):
    def load(engine):
        return {"alias_id": alias_id, "v": values, "choices": kb.choices(engine), "kinds": kb.ALIAS_KINDS}
    return _page(request, "kb/alias_form.html", load, status_code, errors=errors)


async def alias_edit(request: Request) -> Response:
    alias_id = request.path_params["alias_id"]
    row = await run_in_threadpool(kb.alias, console(request).engine, alias_id)
    if row is None:
        raise HTTPException(404, "There is no such alias.")
    return await _alias_form(request, alias_id, row.describe(), [])


async def alias_save(request: Request) -> Response:
    alias_id = request.path_params["alias_id"]
    values = _split_target(_values(request, *ALIAS_FIELDS))
    try:
        await run_in_threadpool(kb.save_alias, console(request).engine, _actor(request), alias_id, values)
    except kb.EditRejected as error:
        return await _alias_form(request, alias_id, values, error.errors, 422)
    return redirect(request, "kb_aliases", msg="saved", query=f"kind={values['kind']}")


# -- removing (a confirmation page first: no script needed for "are you sure?") -------------------------------
REMOVABLE = {
    # name: (loader(engine, key) -> thing or None, describe(thing) -> text, remover, list route)
    "edition": (kb.edition, lambda e: f"the programme edition of fiscal year {e.fiscal_year}"
                + (" (its longer description goes too)" if e.has_details else ""), kb.remove_edition, "kb_editions"),
    "position": (kb.position, lambda p: f"the JET position {p.code} ({p.name}) and its aliases",
                 kb.remove_position, "kb_positions"),
    "place": (kb.place, lambda p: f"the place {p.name} ({p.country}) and its aliases", kb.remove_place, "kb_places"),
    "alias": (kb.alias, lambda a: f"the alias “{a.alias}” of {a.target}", kb.remove_alias, "kb_aliases"),
}
KEY_PARAM = {"edition": "year", "position": "code", "place": "place_id", "alias": "alias_id"}


def _removal(what: str):
    loader, describe, remover, back = REMOVABLE[what]
    param = KEY_PARAM[what]

    async def confirm(request: Request) -> Response:
        key = request.path_params[param]
        engine = console(request).engine
        thing = await run_in_threadpool(loader, engine, key)
        if thing is None:
            raise HTTPException(404, f"There is no such {what}.")
        error = ""
        if request.method == "POST":
            try:
                await run_in_threadpool(remover, engine, _actor(request), key)
            except kb.EditRejected as rejected:
                error = " ".join(rejected.errors)
            else:
                return redirect(request, back, msg="removed")
        return render(request, "kb/remove.html", {"what": what, "description": describe(thing), "back": back,
                                                   "action_name": f"kb_{what}_remove", "key": {param: key},
                                                   "errors": [error] if error else []},
                      status_code=422 if error else 200)

    return confirm
