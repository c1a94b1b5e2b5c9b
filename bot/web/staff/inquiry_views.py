"""The queue (filters, search, pages, counts, chart, CSV) and an inquiry's page with its workflow."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence, Tuple

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from urllib.parse import urlencode

from bot.inquiries.reference import is_valid_reference, normalise_reference
from bot.inquiries.service import InquiryRecord, get_inquiry
from bot.staff import audit, dashboard, queue, workflow
from bot.staff.accounts import list_accounts
from bot.staff.transcript import read_transcript
from knowledge.query import KnowledgeBase

from . import charts
from .common import console, form, redirect, render, signed_in

CHART_WEEKS = 12


def _chart(weeks: Sequence[Tuple[object, int]]) -> dict:
    """Bar geometry for the inline SVG (no script, no inline style: CSP-safe)."""
    top = max([n for _, n in weeks] + [1])
    width, height, gap = 36, 120, 8
    bars = []
    for i, (monday, n) in enumerate(weeks):
        h = round(n / top * height) if n else 0
        bars.append({"x": i * (width + gap), "y": height - h, "w": width, "h": h, "n": n, "monday": monday})
    return {"bars": bars, "width": len(weeks) * (width + gap) - gap, "height": height, "top": top}


def _queue_context(request: Request):
    c = console(request)
    user = signed_in(request)
    f = queue.QueueFilter.from_query(request.query_params)
    page = queue.search(c.engine, f, me=user.account_id, tz=c.tz)
    weeks = queue.weekly_counts(c.engine, CHART_WEEKS, tz=c.tz)
    board = dashboard.build(c.engine, c.settings.tracker_store_url, c.tz)
    return {
        "board": board, "outcome_labels": dashboard.OUTCOME_LABELS,
        "conversation_chart": charts.columns([(d.day, d.conversations) for d in board.days]),
        "message_chart": charts.columns([(d.day, d.messages) for d in board.days]),
        "outcome_chart": charts.rows([(dashboard.OUTCOME_LABELS[o], n) for o, n in board.outcomes]),
        "vote_chart": charts.rows([("Helpful", board.helpful), ("Not helpful", board.not_helpful)]),
        "top_chart": charts.rows(list(board.top_unanswered)),
        "f": f, "page": page, "counts": queue.status_counts(c.engine), "chart": _chart(weeks),
        "countries": queue.countries(c.engine), "colleagues": list_accounts(c.engine, active_only=True),
        "kinds": queue.KIND_LABELS, "qs": lambda **changes: urlencode(f.query(**changes)),
    }


async def queue_page(request: Request) -> Response:
    context = await run_in_threadpool(_queue_context, request)
    return render(request, "queue.html", context)


async def queue_csv(request: Request) -> Response:
    c = console(request)
    f = queue.QueueFilter.from_query(request.query_params)
    text = await run_in_threadpool(queue.export_csv, c.engine, f, signed_in(request).account_id, c.tz)
    stamp = datetime.now(timezone.utc).astimezone(c.tz).strftime("%Y%m%d-%H%M")
    await run_in_threadpool(_audit_export, c.engine, signed_in(request).account_id, f)
    # A BOM so that spreadsheet programs read the UTF-8 (names in many scripts) correctly.
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="clair-inquiries-{stamp}.csv"'})


def _audit_export(engine, actor_id: int, f: queue.QueueFilter) -> None:
    from sqlalchemy.orm import Session

    with Session(engine, future=True) as session, session.begin():
        # Who took a copy of the personal data, and which part (the filters, not the data).
        audit.record(session, actor_id, "csv_export", "queue", "export", after=f.query(page=1))


def _related_affiliations(kb: KnowledgeBase, record: InquiryRecord):
    """Existing affiliations staff may want to cite: with the preferred partner country, in the
    organisation's own country, and of any prefecture or place the organisation's name mentions."""
    groups, seen = [], set()

    def add(title, found):
        key = tuple(found)
        if found and key not in seen:
            seen.add(key)
            groups.append((title, found))

    if record.partner_country:
        add(f"With {record.partner_country} (the preferred partner country)",
            kb.affiliations(country=record.partner_country))
    if record.organisation_country:
        country = kb.country(record.organisation_country)
        if country is not None and not getattr(country, "home", False):
            add(f"With {country.name} (the organisation's country)", kb.affiliations(country=country.name))
    for match in kb.find_names(record.organisation or ""):
        if match.kind == "prefecture":
            add(f"Of {match.name} (named in the organisation)", kb.affiliations_of_prefecture(match.name))
        elif match.kind == "place":
            add(f"Of {match.name} (named in the organisation)", kb.affiliations_of_counterpart(match.name))
    return groups


def _inquiry_context(request: Request, reference: str):
    c = console(request)
    record = get_inquiry(c.engine, reference)
    if record is None:
        return None
    return {
        "i": record,
        "assignment": workflow.assignment(c.engine, reference),
        "notes": workflow.notes(c.engine, reference),
        "history": audit.history(c.engine, "inquiry", record.reference),
        "transcript": read_transcript(c.settings.tracker_store_url, record.conversation_id),
        "related": _related_affiliations(KnowledgeBase(c.engine), record),
        "colleagues": list_accounts(c.engine, active_only=True),
        "transitions": [(t, workflow.action_label(record.status, t)) for t in workflow.allowed(record.status)],
        "max_note": workflow.MAX_NOTE_CHARS,
    }


def _reference(request: Request) -> str:
    reference = normalise_reference(request.path_params["reference"])
    if not is_valid_reference(reference):
        raise HTTPException(404, "No inquiry has this reference.") from None
    return reference


async def inquiry_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    reference = _reference(request)
    context = await run_in_threadpool(_inquiry_context, request, reference)
    if context is None:
        raise HTTPException(404, "No inquiry has this reference.") from None
    context["error"] = error
    return render(request, "inquiry.html", context, status_code=status_code)


async def _change(request: Request, action, msg: str) -> Response:
    reference = _reference(request)
    try:
        await run_in_threadpool(action, reference)
    except workflow.NotFound:
        raise HTTPException(404, "No inquiry has this reference.") from None
    except workflow.Conflict as error:
        return await inquiry_page(request, str(error), 409)
    except workflow.WorkflowError as error:
        return await inquiry_page(request, str(error), 400)
    return redirect(request, "inquiry", msg=msg, reference=reference)


async def change_status(request: Request) -> Response:
    values, user, c = form(request), signed_in(request), console(request)
    return await _change(request, lambda ref: workflow.change_status(
        c.engine, ref, values.get("from", ""), values.get("to", ""), user.account_id), "status")


async def assign(request: Request) -> Response:
    values, user, c = form(request), signed_in(request), console(request)
    chosen = values.get("assignee", "")
    if chosen and not chosen.isdigit():
        return await inquiry_page(request, "Choose a colleague from the list.", 400)
    return await _change(request, lambda ref: workflow.assign(
        c.engine, ref, int(chosen) if chosen else None, user.account_id), "assigned")


async def add_note(request: Request) -> Response:
    values, user, c = form(request), signed_in(request), console(request)
    return await _change(request, lambda ref: workflow.add_note(c.engine, ref, values.get("body", ""),
                                                                user.account_id), "note")


def _audit_context(request: Request):
    c = console(request)
    prefix = request.query_params.get("entity", "")
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    size = 50
    entries, total = audit.recent(c.engine, prefix or None, size, (page - 1) * size)
    return {"entries": entries, "total": total, "page": page, "pages": max(1, -(-total // size)),
            "entity": prefix, "entities": audit.entities(c.engine)}


async def audit_page(request: Request) -> Response:
    return render(request, "audit.html", await run_in_threadpool(_audit_context, request))
