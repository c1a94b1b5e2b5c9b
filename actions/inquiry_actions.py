"""The sister-city inquiry and "talk to a person": intro, confirmation, submission, cancel.

A reference is shown only after the inquiry row is committed (bot.inquiries.service). While the
database server is away (a restart takes seconds) the submission is tried again for up to
RECORD_RETRY_SECONDS; if it stays away the visitor is told nothing was stored, and the answers
are kept so they can try again. Re-delivery of the same submission returns the same reference.
"""
from __future__ import annotations

import asyncio
import time
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine

from actions.inquiry_form import SKIPPED
from actions.knowledge_access import knowledge_base
from actions.turn import lines
from bot.database import make_engine
from bot.inquiries.service import (Contact, InquiryDraft, SubmissionFailed, Submitted, escalate,
                                   escalation_key_for, submission_key_for, submit_inquiry)
from bot.settings import load_settings

FORM_SLOTS = ("organisation", "organisation_country", "contact_name", "contact_email", "contact_phone",
              "partner_preference", "purpose", "inquiry_message", "inquiry_confirmed", "partner_country")
MAX_REFERENCES = 8
MAX_TRANSCRIPT_MESSAGES = 5
# How long a submission waits for a database server that is away. Rasa waits minutes for an
# action; the visitor should not wait much longer than a restart takes.
RECORD_RETRY_SECONDS = 10.0
FIRST_PAUSE, MAX_PAUSE = 0.2, 2.0


@lru_cache(maxsize=1)
def inquiry_engine() -> Engine:
    # make_engine: pooled connections checked before use (after a database restart the first
    # submission must not fail on a dead one) and errors without the visitor's answers in them.
    return make_engine(load_settings().database_url)


async def _recorded(record: Callable[[], Submitted]) -> Submitted:
    """``record()``, tried again while the database server is away, for up to RECORD_RETRY_SECONDS.
    Safe to repeat: the submission key turns a repeat -- even of a commit whose answer was lost
    with the connection -- into the first submission's reference."""
    deadline = time.monotonic() + RECORD_RETRY_SECONDS
    pause = FIRST_PAUSE
    while True:
        try:
            return record()
        except SubmissionFailed as failure:
            if not failure.retryable or time.monotonic() + pause > deadline:
                raise
        await asyncio.sleep(pause)  # the action server keeps answering other conversations
        pause = min(pause * 2, MAX_PAUSE)


def _optional(value: Any) -> Optional[str]:
    return None if value in (None, SKIPPED) else value


def _channel(tracker: Tracker) -> str:
    return (tracker.get_latest_input_channel() or "unknown")[:64]


def _as_clause(sentence: str) -> str:
    """"Provide advice ..." reads as "CLAIR Singapore can provide advice ..."."""
    return sentence[:1].lower() + sentence[1:]


def _reset_form() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("invalid_answers", 0)]


class ActionInquiryIntro(Action):
    def name(self) -> Text:
        return "action_inquiry_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        support = knowledge_base().sister_city_support()
        # The third form of support on the page is the one a new affiliation needs.
        help_text = support.forms[-1] if support and support.forms else None
        dispatcher.utter_message(response="utter_inquiry_intro", support=_as_clause(help_text or ""))
        return []


class ActionAskInquiryConfirmed(Action):
    """Shows the summary and existing affiliations relevant to the request, then asks."""

    def name(self) -> Text:
        return "action_ask_inquiry_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        slots = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        dispatcher.utter_message(response="utter_inquiry_summary", **slots)
        kb = knowledge_base()
        country = slots["partner_country"] or kb.resolve(slots["organisation_country"] or "", kind="country").name
        references = kb.affiliations_of_country(country) if country else []
        source = kb.source()
        if references and source is not None:  # without the list's as-of line, the references are not shown
            dispatcher.utter_message(
                response="utter_inquiry_references", country=country, as_of=source.as_of,
                lines=lines([f"{a.prefecture} – {a.counterpart}" for a in references[:MAX_REFERENCES]]))
        dispatcher.utter_message(response="utter_ask_inquiry_confirmed")
        return []


class ActionSubmitInquiry(Action):
    def name(self) -> Text:
        return "action_submit_inquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        confirmed = tracker.get_slot("inquiry_confirmed")
        if confirmed is False:  # the visitor said no at the summary
            dispatcher.utter_message(response="utter_inquiry_not_sent")
            return _reset_form()
        if confirmed is None:
            # Never answered, so the form did not finish: Rasa's rule runs this action after any
            # affiliation_form step that leaves no form active, also one whose events were lost
            # (the action server unreachable, or validation failing while the database restarts).
            # Say so and let the visitor carry on (the answers kept). Not a FollowupAction to the
            # form: while validation keeps failing the two would alternate up to Rasa's action
            # limit, and a turn ended by the limit makes every later turn hit it at once.
            dispatcher.utter_message(response="utter_inquiry_interrupted")
            return []
        get = tracker.get_slot
        draft = InquiryDraft(
            organisation=get("organisation"), organisation_country=get("organisation_country"),
            contact_name=get("contact_name"), email=get("contact_email"),
            partner_preference=get("partner_preference"), purpose=get("purpose"),
            conversation_id=tracker.sender_id, channel=_channel(tracker),
            phone=_optional(get("contact_phone")), partner_country=get("partner_country"),
            message=_optional(get("inquiry_message")),
        )
        try:
            key = submission_key_for(tracker.sender_id, draft)
            submitted = await _recorded(lambda: submit_inquiry(inquiry_engine(), draft, key))
        except (SubmissionFailed, ValueError):
            dispatcher.utter_message(response="utter_inquiry_submit_failed")
            return [SlotSet("inquiry_confirmed", None)]  # keep the answers for a retry
        dispatcher.utter_message(response="utter_inquiry_submitted", reference=submitted.reference,
                                 email=draft.email, reply_time=load_settings().staff_reply_time)
        return _reset_form()


class ActionCancelInquiry(Action):
    def name(self) -> Text:
        return "action_cancel_inquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        dispatcher.utter_message(response="utter_inquiry_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + _reset_form()


class ActionEscalate(Action):
    """Creates an escalation that points staff to this conversation (its transcript lives in the
    tracker store) with the visitor's recent questions and their e-mail address."""

    def name(self) -> Text:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        email = tracker.get_slot("contact_email")
        user_events = [e for e in tracker.events if e.get("event") == "user"]
        handoff = next((i for i in range(len(user_events) - 1, -1, -1)
                        if (user_events[i].get("parse_data") or {}).get("intent", {}).get("name") == "human_handoff"),
                       len(user_events))
        # What the visitor said up to asking for a person (not the e-mail answers after it).
        questions = [e["text"] for e in user_events[:handoff + 1]
                     if e.get("text") and not e["text"].startswith("/")][-MAX_TRANSCRIPT_MESSAGES:]
        message = "\n".join(questions) or None
        marker = str(user_events[handoff].get("timestamp", "")) if handoff < len(user_events) else ""
        contact = Contact(name=_optional(tracker.get_slot("contact_name")), email=email)
        try:
            key = escalation_key_for(tracker.sender_id, message, contact, marker)
            submitted = await _recorded(lambda: escalate(inquiry_engine(), tracker.sender_id, _channel(tracker),
                                                         message=message, contact=contact, submission_key=key))
        except SubmissionFailed:
            dispatcher.utter_message(response="utter_escalation_failed")
            return []
        dispatcher.utter_message(response="utter_escalated", reference=submitted.reference, email=email,
                                 reply_time=load_settings().staff_reply_time)
        return []
