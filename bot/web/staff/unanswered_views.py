"""The Unanswered page (groups of messages the assistant could not answer, with filters and the
staff decisions on them) and a conversation's transcript page, linked from each message."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.feedback.harvest import harvest
from bot.feedback.language import LANGUAGES
from bot.staff.transcript import read_transcript
from bot.staff.unanswered import decisions
from bot.staff.unanswered.answers import answer_choices
from bot.staff.unanswered.listing import ORDERS, REASON_LABELS, UnansweredFilter, list_groups

from .common import console, form, redirect, render, signed_in

MAX_CONVERSATION_ID_CHARS = 255
GROUPS_SHOWN = 100  # a page staff can work through; the filters narrow the rest


def _context(request: Request) -> dict:
    c = console(request)
    harvest(c.engine, c.settings.tracker_store_url)  # bring the list up to the latest conversations
    f = UnansweredFilter.from_query(request.query_params)
    groups = list_groups(c.engine, f, c.tz)
    return {"f": f, "groups": groups[:GROUPS_SHOWN], "group_total": len(groups), "reasons": REASON_LABELS,
            "languages": LANGUAGES, "orders": ORDERS, "answers": answer_choices(),
            "total": sum(g.count for g in groups),
            "qs": lambda **changes: urlencode(f.query(**changes))}


async def unanswered_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    context = await run_in_threadpool(_context, request)
    context["error"] = error
    return render(request, "unanswered.html", context, status_code=status_code)


async def _decide(request: Request, action, msg: str) -> Response:
    values = form(request)
    try:
        ids = decisions.parse_ids(values.getlist("ids"))
        await run_in_threadpool(action, ids, values)
    except decisions.AlreadyDecided as error:
        return await unanswered_page(request, str(error), 409)
    except decisions.DecisionError as error:
        return await unanswered_page(request, str(error), 400)
    # The filters the form was posted from, read as filters again: nothing else reaches the URL.
    back = UnansweredFilter.from_query(dict(parse_qsl(values.get("back", ""))))
    return redirect(request, "unanswered", msg=msg, query=urlencode(back.query()))


async def point(request: Request) -> Response:
    c, user = console(request), signed_in(request)
    return await _decide(request, lambda ids, values: decisions.point_to_answer(
        c.engine, ids, values.get("intent", ""), user.account_id), "pointed")


async def write_answer(request: Request) -> Response:
    c, user = console(request), signed_in(request)
    return await _decide(request, lambda ids, values: decisions.write_answer(
        c.engine, ids, values.get("answer", ""), values.get("topic", ""), user.account_id), "answered")


async def dismiss(request: Request) -> Response:
    c, user = console(request), signed_in(request)
    return await _decide(request, lambda ids, values: decisions.dismiss(c.engine, ids, user.account_id), "dismissed")


async def conversation_page(request: Request) -> Response:
    conversation_id = request.path_params["conversation_id"]
    if not 0 < len(conversation_id) <= MAX_CONVERSATION_ID_CHARS:
        raise HTTPException(404, "There is no such conversation.")
    transcript = await run_in_threadpool(read_transcript, console(request).settings.tracker_store_url, conversation_id)
    if transcript.error is None and not transcript.lines:
        raise HTTPException(404, "There is no such conversation.")
    return render(request, "conversation.html", {"conversation_id": conversation_id, "transcript": transcript})
