"""POST /feedback/votes: a visitor's vote on an answer, sent by the widget beside the conversation
(never as a message, so nothing enters the Rasa tracker). Anonymous: the conversation id (random,
known only to the visitor's tab) is what ties the vote to a conversation. Refused with a clear 4xx:
another site's page (403), not JSON (415), too big (413), malformed (400), an unknown conversation
or answer (404), too many votes from one address or for one conversation (429)."""
from __future__ import annotations

import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.feedback.rate_limit import SlidingWindow
from bot.feedback.votes import VoteError, VoteRequest, record_vote
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 8 * 1024
PER_ADDRESS = (60, 600.0)  # votes per client address per 10 minutes: a long chat rated throughout
PER_CONVERSATION = (30, 600.0)


HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _refuse(status: int, error: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers={**HEADERS, **(headers or {})})


def _from_another_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}"


def vote_routes(settings: Settings, engine, clock=None) -> list[Route]:
    by_address = SlidingWindow(*PER_ADDRESS, **({"clock": clock} if clock else {}))
    by_conversation = SlidingWindow(*PER_CONVERSATION, **({"clock": clock} if clock else {}))

    async def vote(request: Request) -> JSONResponse:
        if _from_another_site(request):
            return _refuse(403, "Votes are accepted from the chat page only.")
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return _refuse(415, "Send the vote as application/json.")
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _refuse(413, "That vote is too big.")
        try:
            wanted = VoteRequest.from_json(json.loads(body or b"null"))
        except ValueError as error:  # VoteError, or JSON that does not parse
            return _refuse(400, str(error) if isinstance(error, VoteError) else "The vote is not valid JSON.")
        address = request.client.host if request.client else "unknown"
        if not by_address.allow(address) or not by_conversation.allow(wanted.conversation_id):
            return _refuse(429, "Too many votes; please wait a few minutes.", {"Retry-After": "600"})
        try:
            result = await run_in_threadpool(record_vote, engine, settings.tracker_store_url, wanted)
        except VoteError as error:
            return _refuse(error.status, str(error))
        log.info("vote recorded (%s)", result.value)  # no conversation id, no comment: nothing personal
        return JSONResponse({"value": result.value, "changed": result.changed,
                             "bubbles": [result.first_bubble, result.last_bubble]}, headers=HEADERS)

    return [Route("/feedback/votes", vote, methods=["POST"])]
