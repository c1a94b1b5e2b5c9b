"""Validation of the sister-city inquiry form and the escalation form.

Every value is checked here, whether typed or sent as a `/intent{...}` message: Rasa runs these
validators on whatever was extracted in the turn. A bad answer is re-asked with the reason; after
repeated bad answers the visitor is reminded they can stop.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_handlers import ANSWER_INTENTS, FOLLOWUP_INTENT
from actions.contact_details import email_among_words, find_email, find_phone, read_contact_details, without_contact_tokens
from actions.form_input import ASKS_FOR_A_PERSON, ASKS_TO_STOP, QUESTION, looks_like_question, non_answer
from actions.knowledge_access import knowledge_base
from actions.opening_request import country_of, read_opening
from actions.summary_corrections import read_change_request, read_correction
from actions.turn import joined
from bot.inquiries import validation as v

# Intents whose messages are never an answer to a form question: they have rules of their own.
CONTROL_INTENTS = {"cancel", "human_handoff"}
# Answered by data/rules_inquiry.yml before the form resumes: social messages when short, and
# questions ("Hue City" is an answer, even if NLU thinks it is about sister cities; "what does an
# ALT do?" is not). A question with another intent is refused by the validators with a reason.
SOCIAL_INTENTS = {"greet", "help", "bot_challenge"}
# What makes a short message social rather than an answer that NLU happened to call social.
SOCIAL_WORDS = re.compile(r"\b(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|help|"
                          r"assist\w*|support|stuck|confused|options?|menu|bot|robot|human|person|ai)\b", re.I)
# Questions data/rules_inquiry.yml answers before the form resumes: every knowledge question (its
# intent has an answer handler), a follow-up, and what the suggestions take.
ANSWERED_MID_FORM = ANSWER_INTENTS | {FOLLOWUP_INTENT, "out_of_scope", "nlu_fallback"}
SKIPPED = "(none)"  # what an optional answer the visitor skipped is stored as in the slot
# A correction at the summary without a new value: the field's validator empties it quietly,
# so the form asks it again (never stored: every validator turns it into None).
REASK = "(ask again)"
PREFILLED = ("organisation", "organisation_country", "contact_name", "contact_email", "contact_phone", "partner_preference",
             "purpose")
PREFILL_LABELS = {"organisation": "the organisation", "organisation_country": "your country",
                  "contact_name": "the contact person", "contact_email": "the e-mail address",
                  "contact_phone": "the phone number", "partner_preference": "the preferred partner"}
FIELD_LABELS = {"organisation": "the organisation", "organisation_country": "the country", "contact_name": "the contact person",
                "contact_email": "the e-mail address", "contact_phone": "the phone number",
                "partner_preference": "the preferred partner", "purpose": "the purpose", "inquiry_message": "the message"}
CONTACT_FIELDS = {"contact_name": "name", "contact_email": "email", "contact_phone": "phone"}
# How far back the conversation is read for who the visitor is ("I work at Tacloban City Hall. Is our
# city paired ...?" then "could CLAIR help us find another one?").
EARLIER_MESSAGES = 6
SKIP_PHRASES = {"skip", "no", "none", "no thanks", "nothing", "n/a", "na", "-", "nope", "no thank you"}
REMIND_AFTER_INVALID = 2
# What each field needs, said when a message does not answer it (utter_not_an_answer).
FIELD_NEEDS = {
    "organisation": "the name of the local government or organisation making the request",
    "organisation_country": "the country your local government or organisation is in",
    "contact_name": "the contact person's name",
    "contact_email": "an e-mail address",
    "contact_phone": "a phone number, or \"skip\"",
    "partner_preference": "where you would like a partner (a country, region or city), or \"no preference\"",
    "purpose": "the fields of exchange you have in mind (for example education or tourism)",
    "inquiry_message": "your message to CLAIR staff, or \"skip\"",
}


def _reason_reply(dispatcher: CollectingDispatcher, result: v.Result, invalid_response: str, max_chars: int) -> None:
    if result.reason == v.REASON_TOO_LONG:
        dispatcher.utter_message(response="utter_invalid_too_long", max_chars=max_chars)
    elif result.reason == v.REASON_REQUIRED:
        dispatcher.utter_message(response="utter_invalid_required")
    else:
        dispatcher.utter_message(response=invalid_response, max_chars=max_chars)


def _for_a_rule(text: str, intent: str | None) -> bool:
    """A message a rule answers instead of the form: cancel, a person, a short social message,
    or a question (the form then asks its question again)."""
    if intent == "cancel":  # "We have a big Japanese community here." as the message is no cancel
        return text.lstrip().startswith("/") or bool(ASKS_TO_STOP.search(text))
    if intent == "human_handoff":  # the "Talk to CLAIR staff" button sends /human_handoff
        return text.lstrip().startswith("/") or bool(ASKS_FOR_A_PERSON.search(text))
    if intent in CONTROL_INTENTS:
        return True
    if intent in SOCIAL_INTENTS and (looks_like_question(text) or (len(text.split()) <= 3 and SOCIAL_WORDS.search(text))):
        return True  # "hi", "help me": social; "Ramon dela Cruz" taken for help by NLU is a name
    return intent in ANSWERED_MID_FORM and looks_like_question(text)


def _latest(tracker: Tracker) -> tuple:
    message = tracker.latest_message or {}
    return message.get("text"), (message.get("intent") or {}).get("name")


def typed_answer(tracker: Tracker, slot: str) -> Dict[Text, Any]:
    """The latest message as the answer to `slot`, when the form asked for it and the visitor did
    not ask a question, cancel or ask for a person instead (those have rules of their own)."""
    if tracker.get_slot("requested_slot") != slot:
        return {}
    text, intent = _latest(tracker)
    if not isinstance(text, str) or _for_a_rule(text, intent) or changes_another_field(tracker, slot):
        return {}
    return {slot: text}


def changes_another_field(tracker: Tracker, asked: str) -> Optional[str]:
    """The field an explicit change request names, when it is not the one asked and already holds an answer."""
    text, _ = _latest(tracker)
    change = read_change_request(text) if isinstance(text, str) else None
    if change and change.slot != asked and tracker.get_slot(change.slot) is not None:
        return change.slot
    return None


def changed_mid_form(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> Dict[Text, Any]:
    """ "Could you change the purpose to ...?" typed while another field is asked: the purpose changes
    (its validator checks the value), and the question asked is asked again."""
    asked = tracker.get_slot("requested_slot")
    if not tracker.active_loop_name or asked in (None, "inquiry_confirmed") or changes_another_field(tracker, asked) != slot:
        return {}
    text, _ = _latest(tracker)
    change = read_change_request(text)
    if change is None:  # changes_another_field read one in this same text; nothing to change otherwise
        return {}
    value = change.value
    held = tracker.get_slot(slot)
    if change.added and isinstance(held, str) and held.strip() and held != SKIPPED:
        value = f"{held.strip()}, {value}"
    dispatcher.utter_message(response="utter_changed_mid_form", field=FIELD_LABELS.get(slot, slot))
    return {slot: value}


def _opening_value(text: str, slot: str):
    kb = knowledge_base()
    details = read_contact_details(text, kb.find_names(text) if isinstance(text, str) else ())
    if slot in CONTACT_FIELDS:
        return getattr(details, CONTACT_FIELDS[slot])
    return getattr(read_opening(text, kb, details.name_span), slot)


def _earlier_texts(tracker: Tracker) -> list:
    """The visitor's messages before the latest, most recent first."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    return [t for t in reversed(texts[:-1][-EARLIER_MESSAGES:]) if isinstance(t, str) and not t.lstrip().startswith("/")]


def prefilled(tracker: Tracker, slot: str) -> Dict[Text, Any]:
    """At the form's activation, what the opening request already said about `slot` ("We are
    Cebu City ...", "my name is ..."), unless the slot holds an answer kept from before. Who the
    visitor is may have been said a little earlier in the conversation."""
    if tracker.active_loop_name or tracker.get_slot(slot) is not None:
        return {}
    text, _ = _latest(tracker)
    value = _opening_value(text, slot)
    if not value and slot in ("organisation", "organisation_country") and not _opening_value(text, "organisation"):
        for earlier in _earlier_texts(tracker):
            if _opening_value(earlier, "organisation"):
                value = _opening_value(earlier, slot)
                break
    # Only what would pass as a typed answer: a name too short to be one is asked, not refused.
    return {slot: value} if value and (slot not in ("organisation", "contact_name") or v.validate_name(value).ok) else {}


def reaskable(validator: Callable) -> Callable:
    """REASK empties the field without a message: the form then asks it again."""
    slot = validator.__name__.removeprefix("validate_")

    def validate(self, value, dispatcher, tracker, domain):
        if value == REASK:
            return {slot: None}
        return validator(self, value, dispatcher, tracker, domain)

    validate.__name__ = validator.__name__
    return validate


def _skipped(value: Any) -> bool:
    # SKIPPED itself counts: Rasa re-validates kept answers when the form starts again.
    return isinstance(value, str) and (value == SKIPPED or value.strip().lower().rstrip(".!") in SKIP_PHRASES)


def _checked_validator(slot: str, check: Callable[[Optional[str]], v.Result], invalid_response: str,
                       max_chars: int, skippable: bool = False) -> Callable:
    """The forms' validate_<slot> for a field that `check` alone decides (see InquiryValidators._checked);
    `skippable`: "skip" is an answer, kept as SKIPPED. Rasa SDK calls it by its name."""
    def validator(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> Dict[Text, Any]:
        if skippable and _skipped(value):
            return self._accept(slot, SKIPPED)
        return self._checked(slot, value, check, invalid_response, max_chars, dispatcher, tracker)
    validator.__name__ = f"validate_{slot}"
    return reaskable(validator)


class InquiryValidators:
    """Validators both forms share (a mixin: rasa-sdk registers every Action subclass, and this
    one has no name of its own)."""

    async def extract_contact_email(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return typed_answer(tracker, "contact_email") or prefilled(tracker, "contact_email")

    def _accept(self, slot: str, value: Any) -> Dict[Text, Any]:
        return {slot: value, "invalid_answers": 0}

    def _reject(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        failures = (tracker.get_slot("invalid_answers") or 0) + 1
        if failures >= REMIND_AFTER_INVALID:
            dispatcher.utter_message(response="utter_form_can_stop")
        return {slot: None, "invalid_answers": failures}

    def _not_an_answer(self, slot: str, value: str, dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> Dict[Text, Any]:
        """"yes", "hello" or a question is never stored as an answer: say what the field needs."""
        response = "utter_question_not_an_answer" if non_answer(value) == QUESTION else "utter_not_an_answer"
        dispatcher.utter_message(response=response, needed=FIELD_NEEDS.get(slot, "an answer"))
        return self._reject(slot, dispatcher, tracker)

    def _other_field(self, slot: str, value: str, dispatcher: CollectingDispatcher,
                     tracker: Tracker) -> Optional[Dict[Text, Any]]:
        """An e-mail address or a phone number typed where a name or purpose was asked is kept
        for its own field (when that is still empty) and the question is asked again."""
        for other, check, label in (("contact_email", v.validate_email, "the e-mail address"),
                                    ("contact_phone", _phone_only, "the phone number")):
            if slot in ("contact_email", "contact_phone"):
                break  # their own validators say what is wrong
            result = check(value)
            if result.ok and result.value:
                kept = tracker.get_slot(other) in (None, SKIPPED)
                dispatcher.utter_message(response="utter_kept_for_other_field" if kept else "utter_belongs_to_other_field",
                                         value=result.value, field=label, needed=FIELD_NEEDS.get(slot, "an answer"))
                return {slot: None, **({other: result.value} if kept else {})}
        return None

    def _reply_instead(self, slot: str, typed: Optional[str], dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> Optional[Dict[Text, Any]]:
        """The reply when what was typed is not the answer to `slot`: a yes/no, a greeting or a question
        (see _not_an_answer), or an e-mail address or phone number (see _other_field). None: it may be."""
        if not typed:
            return None
        if non_answer(typed):
            return self._not_an_answer(slot, typed, dispatcher, tracker)
        return self._other_field(slot, typed, dispatcher, tracker)

    def _contact_tokens_taken_out(self, slot: str, value: str, tracker: Tracker) -> tuple:
        """ "Ueda Shinji, ueda-s@city.takamatsu.lg.jp" typed as the name: the name is the words, and the
        address is kept for its own field when that is still empty."""
        if slot in ("contact_email", "contact_phone"):
            return value, {}
        email, phone = find_email(value), find_phone(value)
        rest = without_contact_tokens(value) if (email or phone) else value
        if not rest or rest == value.strip():
            return value, {}
        kept = {}
        if email and tracker.get_slot("contact_email") is None:
            kept["contact_email"] = email
        if phone and tracker.get_slot("contact_phone") in (None, SKIPPED):
            kept["contact_phone"] = phone
        return rest, kept

    def _checked(self, slot: str, value: Any, check: Callable[[Optional[str]], v.Result], invalid_response: str,
                 max_chars: int, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        kept: Dict[Text, Any] = {}  # an e-mail address or phone number typed with the answer, for its own field
        if not isinstance(value, str) or _skipped(value) or value.lstrip().startswith("/"):
            # A required answer cannot be skipped, and an intent shortcut is not an answer.
            result = v.Result(False, None, v.REASON_REQUIRED)
        else:
            instead = self._reply_instead(slot, value, dispatcher, tracker)
            if instead is not None:
                return instead
            value, kept = self._contact_tokens_taken_out(slot, value, tracker)
            result = check(value)
        if result.ok and result.value:
            return {**self._accept(slot, result.value), **kept}
        _reason_reply(dispatcher, result, invalid_response, max_chars)
        return self._reject(slot, dispatcher, tracker)

    @reaskable
    def validate_contact_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        if isinstance(value, str) and not value.lstrip().startswith("/") and not v.validate_email(value).ok:
            value = email_among_words(value) or value  # "sorry, hayashi-k@pref.toyama.lg.jp"
        return self._checked("contact_email", value, v.validate_email, "utter_invalid_email",
                             v.EMAIL_MAX_CHARS, dispatcher, tracker)


class ValidateEscalationForm(InquiryValidators, FormValidationAction):
    def name(self) -> Text:
        return "validate_escalation_form"


def _answered_or_prefilled(slot: str):
    """The form's extract_<slot> for a field the opening request may already answer: the answer typed
    to its question, else what the opening request said, else a change to it asked mid-form."""
    async def extract(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return typed_answer(tracker, slot) or prefilled(tracker, slot) or changed_mid_form(dispatcher, tracker, slot)
    return extract


class ValidateAffiliationForm(InquiryValidators, FormValidationAction):
    def name(self) -> Text:
        return "validate_affiliation_form"

    async def extract_contact_email(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return (await super().extract_contact_email(dispatcher, tracker, domain)
                or changed_mid_form(dispatcher, tracker, "contact_email"))

    # Rasa SDK calls a form's extract_<slot> methods by name.
    extract_organisation = _answered_or_prefilled("organisation")
    extract_organisation_country = _answered_or_prefilled("organisation_country")
    extract_contact_name = _answered_or_prefilled("contact_name")
    extract_contact_phone = _answered_or_prefilled("contact_phone")
    extract_partner_preference = _answered_or_prefilled("partner_preference")
    extract_purpose = _answered_or_prefilled("purpose")

    async def extract_inquiry_message(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return (typed_answer(tracker, "inquiry_message")
                or changed_mid_form(dispatcher, tracker, "inquiry_message"))

    async def extract_inquiry_confirmed(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """Yes and no are mapped in the domain; a question is answered by its rule; a correction
        ("change the e-mail to ...") changes that field, checked by its validator, and the summary
        is shown again. Anything else at the summary ("maybe") gets a short explanation."""
        if tracker.get_slot("requested_slot") != "inquiry_confirmed":
            return {}
        text, intent = _latest(tracker)
        if not isinstance(text, str) or text.startswith("/"):
            return {}
        correction = read_correction(text)
        if correction:  # before yes/no: "no, the e-mail should be ..." corrects, it does not drop
            value = correction.value
            held = tracker.get_slot(correction.slot)
            if correction.added and value and isinstance(held, str) and held.strip():
                value = f"{held.strip()}, {value}"  # "add vocational training to the purpose"
            return {correction.slot: value or REASK, "inquiry_confirmed": None}
        if intent in ("affirm", "deny") or _for_a_rule(text, intent):
            return {}
        dispatcher.utter_message(response="utter_summary_help")
        return {"inquiry_confirmed": None}

    async def run(self, dispatcher, tracker, domain):
        empty_before = {slot for slot in PREFILLED if tracker.get_slot(slot) is None}  # run() updates the tracker
        events = await super().run(dispatcher, tracker, domain)
        if not tracker.active_loop_name:  # the form's activation: say what was taken from the request
            noted = {e["name"]: e["value"] for e in events if e.get("event") == "slot"
                     and e.get("name") in empty_before and e.get("value")}
            if noted:
                parts = [f"{PREFILL_LABELS[slot]} ({noted[slot]})" for slot in PREFILLED if slot in noted]
                dispatcher.utter_message(response="utter_prefilled", noted=joined(parts))
        return events

    @reaskable
    def validate_organisation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        result = self._checked("organisation", value, v.validate_name, "utter_invalid_name", v.NAME_MAX_CHARS,
                               dispatcher, tracker)
        name = result.get("organisation")
        country_only = _only_a_country(name) if name else None
        if country_only:
            # "Philippines" answers where the organisation is, not which one it is: keep it for the
            # country and ask for the organisation again.
            dispatcher.utter_message(response="utter_organisation_is_a_country", country=country_only)
            kept = {} if tracker.get_slot("organisation_country") else {"organisation_country": country_only}
            return {**self._reject("organisation", dispatcher, tracker), **kept}
        if name and tracker.get_slot("organisation_country") is None and tracker.active_loop_name:
            # "Kagoshima City": a prefecture is in Japan, a counterpart on the list in its country.
            country = _country_named_in(name)
            if country:
                dispatcher.utter_message(response="utter_country_inferred", country=country, organisation=name)
                result["organisation_country"] = country
        return result

    validate_contact_name = _checked_validator("contact_name", v.validate_name, "utter_invalid_name", v.NAME_MAX_CHARS)

    @reaskable
    def validate_organisation_country(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        typed = value if isinstance(value, str) and not value.lstrip().startswith("/") and not _skipped(value) else None
        instead = self._reply_instead("organisation_country", typed, dispatcher, tracker)
        if instead is not None:
            return instead
        result = v.validate_country(knowledge_base(), typed)
        named = _country_among_words(typed) if typed and not result.known else None
        if named:  # "Philippines - San Jose, Occidental Mindoro"
            result = v.validate_country(knowledge_base(), named)
        if result.status == v.COUNTRY_AMBIGUOUS:
            buttons = [{"title": name, "payload": name} for name in result.candidates]
            dispatcher.utter_message(response="utter_country_which", buttons=buttons)
            return self._reject("organisation_country", dispatcher, tracker)
        if not result.ok:
            _reason_reply(dispatcher, v.Result(False, None, result.reason), "utter_invalid_name",
                          v.NAME_MAX_CHARS)
            return self._reject("organisation_country", dispatcher, tracker)
        if not result.known:
            if not _typed_twice(tracker, typed):
                # "Maria Santos" is no country: ask again, but keep a real one typed a second time.
                dispatcher.utter_message(response="utter_country_unknown", country=result.value)
                return self._reject("organisation_country", dispatcher, tracker)
            dispatcher.utter_message(response="utter_country_not_listed", country=result.value)
        return self._accept("organisation_country", result.value)

    validate_contact_phone = _checked_validator("contact_phone", v.validate_phone, "utter_invalid_phone", 20,
                                                skippable=True)

    @reaskable
    def validate_partner_preference(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        typed = value if isinstance(value, str) and not value.lstrip().startswith("/") else None
        # "skip" is no preference (below), neither a non-answer nor another field's value.
        instead = self._reply_instead("partner_preference", None if _skipped(typed) else typed, dispatcher, tracker)
        if instead is not None:
            return instead
        if typed and not _skipped(typed):
            # "find a partner in Vietnam" is noted as "Vietnam"
            typed = read_opening(typed, knowledge_base()).partner_preference or typed
        # Skipping the preference means having none.
        result = v.validate_partner_preference(v.NO_PREFERENCE if _skipped(typed) else typed)
        if not (result.ok and result.value):
            _reason_reply(dispatcher, result, "utter_invalid_required", v.PARTNER_PREFERENCE_MAX_CHARS)
            return self._reject("partner_preference", dispatcher, tracker)
        return {**self._accept("partner_preference", result.value), "partner_country": _partner_country(result.value)}

    validate_purpose = _checked_validator("purpose", v.validate_purpose, "utter_invalid_required",
                                          v.PURPOSE_MAX_CHARS)
    validate_inquiry_message = _checked_validator("inquiry_message", v.validate_message, "utter_invalid_required",
                                                  v.MESSAGE_MAX_CHARS, skippable=True)

    def validate_inquiry_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        return {"inquiry_confirmed": value if isinstance(value, bool) else None}


def _phone_only(text: str) -> v.Result:
    """A phone number and nothing else (no letters: "Route 9" is no phone number)."""
    if re.search(r"[^\W\d_]", text or ""):
        return v.Result(False, None, v.REASON_INVALID_CHARACTERS)
    return v.validate_phone(text)


def _country_named_in(name: str) -> Optional[str]:
    kb = knowledge_base()
    for match in kb.find_names(name):
        if match.kind in ("prefecture", "place", "country"):
            return country_of(kb, match)
    return None


def _country_among_words(text: str) -> Optional[str]:
    """The one country a longer answer names, directly or through a place on the list."""
    kb = knowledge_base()
    countries = {country_of(kb, m) for m in kb.find_names(text) if m.kind in ("country", "place", "prefecture")}
    countries.discard(None)
    return countries.pop() if len(countries) == 1 else None


def _only_a_country(name: str) -> Optional[str]:
    """The country, when the whole answer is a country's name ("Philippines", "the Philippines")."""
    resolution = knowledge_base().resolve(name, kind="country")
    return resolution.name if resolution.status == "exact" else None


def _typed_twice(tracker: Tracker, typed: Optional[str]) -> bool:
    """The visitor typed this same answer just before, and it was refused."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    return bool(typed) and (tracker.get_slot("invalid_answers") or 0) > 0 and len(texts) >= 2 \
        and str(texts[-2] or "").strip().lower() == (typed or "").strip().lower()


def _partner_country(preference: str) -> Optional[str]:
    """The knowledge base's country for a preference such as "a city in Viet Nam" or "Cebu"."""
    if preference == v.NO_PREFERENCE:
        return None
    kb = knowledge_base()
    for match in kb.find_names(preference):
        country = country_of(kb, match) if match.kind in ("country", "place") else None
        if country:
            return country
    return None
