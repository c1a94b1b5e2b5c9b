"""A visitor who fills in the sister-city inquiry form over the REST channel the way the chat widget
and a person behave when things go wrong: a request that fails or times out is sent again (a few
times); a reply that asks nothing is answered by sending the message again, then by asking for the
inquiry again (the "Try again" button's payload). Each question is answered by which question it
is -- recognised by its domain.yml response, not its wording -- so a re-sent message that the
server had in fact handled does not derail the form. Everything seen is recorded for the checks."""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT
from bot.responses import find, values

TRY_AGAIN = "/request_affiliation"  # utter_inquiry_submit_failed's button; also "ask again"
OPENING = "we want a sister city in Vietnam"
SEND_ATTEMPTS = 5  # the widget's bounded re-sending of one message
RESEND_PAUSE = 1.0
REQUEST_TIMEOUT = 30  # longer than the servers' own waits for a restarting database
MAX_MESSAGES = 40


@dataclass
class Reply:
    sent: str
    texts: list[str]
    sent_at: float  # time.time() of the request that got this reply, comparable with created_at
    received_at: float


@dataclass
class Visitor:
    """One conversation. ``confirms``: says yes at the summary (else no: an unconfirmed inquiry)."""

    base_url: str
    sender: str
    email: str
    confirms: bool = True
    replies: list[Reply] = field(default_factory=list)
    request_errors: list[str] = field(default_factory=list)  # each failed or timed-out request
    outcome: str = "unfinished"  # "submitted", "not sent", "gave up"

    def answers(self) -> dict[str, str]:
        return {
            "utter_ask_organisation": "Sakura City",
            "utter_ask_organisation_country": "Japan",
            "utter_ask_contact_name": "Hanako Tanaka",
            "utter_ask_contact_email": self.email,
            "utter_ask_contact_phone": "skip",
            "utter_ask_partner_preference": "a coastal city in Viet Nam",
            "utter_ask_purpose": "education and tourism",
            "utter_ask_inquiry_message": "We would like to start with school exchanges.",
            "utter_ask_inquiry_confirmed": "yes" if self.confirms else "no",
        }

    # --- what the visitor saw ---------------------------------------------------------------------
    def claimed_references(self) -> list[str]:
        """Every reference a reply gave as submitted."""
        return [values(as_messages(r.texts), "utter_inquiry_submitted")[0] for r in self.replies
                if find(as_messages(r.texts), "utter_inquiry_submitted")]

    def reference_given_at(self) -> float | None:
        """When the request that got the first reference was sent."""
        return next((r.sent_at for r in self.replies if find(as_messages(r.texts), "utter_inquiry_submitted")), None)

    def questions_asked(self) -> list[str]:
        """The form's questions in the order the replies asked them."""
        return [q for q in (self.question(r.texts) for r in self.replies) if q is not None]

    def failures_reported_at(self) -> list[float]:
        """When the bot said the submission failed and nothing was stored."""
        return [r.received_at for r in self.replies if find(as_messages(r.texts), "utter_inquiry_submit_failed")]

    def interruptions(self) -> int:
        """Replies saying the form was interrupted (a step of it lost with the action server)."""
        return sum(1 for r in self.replies if find(as_messages(r.texts), "utter_inquiry_interrupted"))

    def empty_replies(self) -> int:
        return sum(1 for r in self.replies if not r.texts)

    def transcript(self, since: float = 0) -> str:
        """Each message sent and the responses it got, by domain.yml name (or the start of an
        unknown text), one line each; failed requests too, and times relative to ``since``."""
        lines = [f"  {r.sent_at - since:6.2f}..{r.received_at - since:6.2f} s  {r.sent!r} -> "
                 f"{[response_name(t) for t in r.texts]}" for r in self.replies]
        return "\n".join(lines + [f"  failed request: {e}" for e in self.request_errors])

    # --- the conversation ---------------------------------------------------------------------------
    def run(self, start_after: float = 0, pause: float = 0.3) -> "Visitor":
        time.sleep(start_after)
        message, stalled = OPENING, 0
        for _ in range(MAX_MESSAGES):
            texts = self.send(message)
            if texts is None:
                self.outcome = "gave up"
                return self
            reply = as_messages(texts)
            if find(reply, "utter_inquiry_submitted"):
                self.outcome = "submitted"
                return self
            if find(reply, "utter_inquiry_not_sent"):
                self.outcome = "not sent"
                return self
            question = self.question(texts)
            if find(reply, "utter_inquiry_submit_failed") or find(reply, "utter_inquiry_interrupted"):
                message, stalled = TRY_AGAIN, 0  # the reply's button
            elif question is not None:
                message, stalled = self.answers()[question], 0
            else:  # nothing asked (no reply at all, or the form was lost track of)
                stalled += 1
                message = message if stalled == 1 else TRY_AGAIN
            time.sleep(pause)
        return self

    def question(self, texts: list[str]) -> str | None:
        """The response name of the last question in a reply."""
        return next((q for text in reversed(texts) for q in self.answers() if find(as_messages([text]), q)), None)

    def send(self, message: str) -> list[str] | None:
        """The bot's reply texts, sending again after a failed or timed-out request; None when
        every attempt failed."""
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        for _ in range(SEND_ATTEMPTS):
            sent_at = time.time()
            request = urllib.request.Request(f"{self.base_url}/webhooks/rest/webhook", body,
                                             {"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                    texts = [m.get("text") or "" for m in json.loads(response.read())]
            except (OSError, ValueError) as error:  # URLError, HTTPError, timeout, reset, bad JSON
                self.request_errors.append(f"{message!r}: {type(error).__name__}")
                time.sleep(RESEND_PAUSE)
                continue
            self.replies.append(Reply(message, texts, sent_at, time.time()))
            return texts
        return None


def as_messages(texts: list[str]) -> list[dict]:
    return [{"text": text} for text in texts]


@lru_cache(maxsize=1)
def _response_names() -> tuple[str, ...]:
    """Most literal text first; none that is all placeholder ("{description}" matches anything)."""
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    literal = {name: len(re.sub(r"\{[a-z_]+\}", "", variants[0].get("text", ""))) for name, variants in responses.items()}
    return tuple(sorted((name for name in responses if literal[name]), key=lambda name: -literal[name]))


def response_name(text: str) -> str:
    """The domain.yml response a text is, or its first words when none matches."""
    return next((name for name in _response_names() if find([{"text": text}], name)), text[:40])
