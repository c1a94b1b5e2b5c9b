"""Knowledge-base pages: one list, form, save and removal for every entity (kb_pages.PAGES says
what differs), and the overview.

Each change goes through the entity's editor in bot.staff.kb (validated with the data files' own
checks, audited, and answered by the running assistant at once). A change that is refused shows
the form again with what was typed and why."""
from __future__ import annotations

from typing import Any, Callable, Dict, List

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.staff.kb.choices import choices
from bot.staff.kb.editor import RetiringEditor
from bot.staff.kb.edits import EditRejected
from bot.staff.kb.export_state import export_state
from bot.staff.kb.form import blank

from .common import console, form, redirect, render, signed_in
from .kb_pages import PAGES, EntityPage

GET, POST = ["GET"], ["POST"]


def _actor(request: Request) -> int:
    return signed_in(request).account_id


async def _run(request: Request, function: Callable, *args):
    return await run_in_threadpool(function, console(request).engine, *args)


# -- overview -----------------------------------------------------------------------------------------
def _overview(engine) -> Dict[str, Any]:
    tiles = []
    for page in PAGES:
        n, note = page.counts(page.editor.list(engine))
        tiles.append({"route": page.list_route, "n": n, "label": page.tile, "note": note})
    return {"state": export_state(engine), "tiles": tiles}


async def kb_home(request: Request) -> Response:
    return render(request, "kb/home.html", {**await _run(request, _overview), "pages": PAGES})


# -- one entity's pages ---------------------------------------------------------------------------------
def _read_form(page: EntityPage, request: Request) -> Dict[str, Any]:
    posted = form(request)
    values = {f.name: posted.getlist(f.name) if f.is_list else posted.get(f.name, "") for f in page.editor.fields}
    return page.read(values, posted) if page.read else values


def _list_page(page: EntityPage, request: Request, values: Dict[str, Any], errors: List[str], status_code=200):
    editor, chosen = page.editor, ""
    if page.filter:
        chosen = request.query_params.get(page.filter.param, "") or values.get(page.filter.param, "")

    def load(engine):
        context: Dict[str, Any] = {"filter_value": chosen, "filter_options": []}
        if page.filter:
            context["filter_options"] = page.filter.options(editor, engine)
            if page.filter.only_options and chosen not in dict(context["filter_options"]):
                context["filter_value"] = ""
        narrowed = {page.filter.param: context["filter_value"]} if page.filter else {}
        rows = editor.list(engine, **narrowed)
        context.update(rows=rows, intro=page.intro(rows), choices=choices(engine) if page.list_partial else None)
        return context

    async def respond():
        context = await _run(request, load)
        return render(request, "kb/list.html", {**context, "page": page, "pages": PAGES, "v": values,
                                                "errors": errors}, status_code=status_code)
    return respond()


def _form_page(page: EntityPage, request: Request, key, values, errors, status_code=200):
    def load(engine):
        return {"choices": choices(engine), "existing": page.editor.get(engine, key) if key is not None else None}

    async def respond():
        context = await _run(request, load)
        return render(request, "kb/form.html", {**context, "page": page, "pages": PAGES, "key": key, "v": values,
                                                "fields": page.editor.fields, "errors": errors},
                      status_code=status_code)
    return respond()


def _handlers(page: EntityPage) -> Dict[str, Callable]:
    editor = page.editor

    async def listing(request: Request) -> Response:
        return await _list_page(page, request, blank(editor.fields, **page.defaults), [])

    async def new(request: Request) -> Response:
        values = blank(editor.fields, **page.defaults)
        values.update({k: v for k, v in request.query_params.items() if k in page.prefill})
        return await _form_page(page, request, None, values, [])

    async def edit(request: Request) -> Response:
        key = request.path_params[page.key_param]
        row = await _run(request, editor.get, key)
        if row is None:
            raise HTTPException(404, f"There is no such {page.noun}.")
        return await _form_page(page, request, key, row.form_values(), [])

    async def save(request: Request) -> Response:
        key = request.path_params.get(page.key_param)
        values = _read_form(page, request)
        try:
            new_key = await _run(request, editor.save, _actor(request), key, values)
        except EditRejected as error:
            if key is None and not page.has_new_page:  # refused on the list page it was sent from
                return await _list_page(page, request, values, error.errors, 422)
            return await _form_page(page, request, key, values, error.errors, 422)
        return redirect(request, page.list_route, msg="saved", query=page.saved_query(new_key, values))

    async def remove(request: Request) -> Response:
        """A confirmation page first (no script needed for "are you sure?"), the removal on POST."""
        key = request.path_params[page.key_param]
        row = await _run(request, editor.get, key)
        if row is None:
            raise HTTPException(404, f"There is no such {page.noun}.")
        error = ""
        if request.method == "POST":
            try:
                await _run(request, editor.remove, _actor(request), key)
            except EditRejected as rejected:
                error = " ".join(rejected.errors)
            else:
                return redirect(request, page.list_route, msg="removed")
        return render(request, "kb/remove.html", {"what": page.noun, "description": page.removal(row),
                                                   "back": page.list_route, "action_name": f"kb_{page.noun}_remove",
                                                   "key": {page.key_param: key}, "errors": [error] if error else []},
                      status_code=422 if error else 200)

    return {"list": listing, "new": new, "edit": edit, "save": save, "remove": remove}


def _retirement(page: EntityPage, editor: RetiringEditor, retired: bool):
    async def change(request: Request) -> Response:
        try:
            await _run(request, editor.set_retired, _actor(request), request.path_params[page.key_param], retired)
        except EditRejected as error:
            raise HTTPException(404, " ".join(error.errors)) from error
        return redirect(request, page.list_route, msg="retired" if retired else "restored")
    return change


def routes() -> list:
    """The same routes for every entity: /kb/<plural>, .../new, .../<key>, .../<key>/remove (or
    .../retire and .../restore)."""
    out = [Route("/kb/", kb_home, methods=GET, name="kb_home")]
    for page in PAGES:
        handle, base, noun = _handlers(page), f"/kb/{page.plural}", page.noun
        item = f"{base}/{{{page.key_param}:{page.key_type}}}"
        out.append(Route(base, handle["list"], methods=GET, name=page.list_route))
        if page.has_new_page:
            out += [Route(f"{base}/new", handle["new"], methods=GET, name=f"kb_{noun}_new"),
                    Route(f"{base}/new", handle["save"], methods=POST, name=f"kb_{noun}_create")]
        else:
            out.append(Route(base, handle["save"], methods=POST, name=f"kb_{noun}_create"))
        out += [Route(item, handle["edit"], methods=GET, name=f"kb_{noun}"),
                Route(item, handle["save"], methods=POST, name=f"kb_{noun}_save")]
        if page.editor.removable:
            out.append(Route(f"{item}/remove", handle["remove"], methods=["GET", "POST"], name=f"kb_{noun}_remove"))
        if isinstance(page.editor, RetiringEditor):
            out += [Route(f"{item}/retire", _retirement(page, page.editor, True), methods=POST,
                          name=f"kb_{noun}_retire"),
                    Route(f"{item}/restore", _retirement(page, page.editor, False), methods=POST,
                          name=f"kb_{noun}_restore")]
    return out
