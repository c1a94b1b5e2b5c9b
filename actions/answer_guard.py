"""An answer the knowledge base cannot give right now is apologised for, never half said.

While the database server is away (a restart takes seconds) the answer is tried again for up to
ANSWER_RETRY_SECONDS, as inquiry submissions are (actions/inquiry_actions.py); reading is safe to
repeat. If it stays away, or a record the answer needs is missing, the visitor is told that plainly
(nothing claimed) and offered to ask again or to pass the question to staff, and nothing of the
attempt is said or remembered."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Dict, List

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.required_records import RecordMissing
from bot.database_outage import server_unavailable

logger = logging.getLogger(__name__)

Events = List[Dict[str, Any]]
# Shorter than a submission's wait: a visitor waiting for an answer sees only the typing indicator.
ANSWER_RETRY_SECONDS = 5.0
FIRST_PAUSE, MAX_PAUSE = 0.2, 1.0


async def answer_or_apologise(dispatcher: CollectingDispatcher,
                              answer: Callable[[CollectingDispatcher], Events]) -> Events:
    """`answer(attempt)` says the answer into `attempt`; its messages and events count only if it
    finishes."""
    deadline = time.monotonic() + ANSWER_RETRY_SECONDS
    pause = FIRST_PAUSE
    while True:
        attempt = CollectingDispatcher()
        try:
            events = answer(attempt)
        except RecordMissing as missing:
            logger.warning("Not answered: %s.", missing)
            dispatcher.utter_message(response="utter_answer_record_missing")
            return []
        except SQLAlchemyError as error:
            if server_unavailable(error) and time.monotonic() + pause <= deadline:
                await asyncio.sleep(pause)  # the action server keeps answering other conversations
                pause = min(pause * 2, MAX_PAUSE)
                continue
            logger.warning("Not answered, the knowledge base is unavailable: %s", error)
            dispatcher.utter_message(response="utter_answer_unavailable")
            return []
        dispatcher.messages.extend(attempt.messages)
        return events
