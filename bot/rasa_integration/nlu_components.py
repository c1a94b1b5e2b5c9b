"""Custom Rasa NLU components.

EntityDeduplicator: two extractors run (the spaCy ruler for known names, a CRF for context); when
both find the same span, the message would carry it twice. The first extractor's entity is kept.

QuestionNotRequest: "we're from Quezon, do we have a partner in Japan?" names the visitor's own
city like a request does, but asks about the list; "how long does it take CLAIR to find a partner?"
asks about the process. Both must be answered, not open the request form.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


class StatelessComponent(GraphComponent):
    """A component with nothing to train, configure or load: the graph makes it from nothing."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StatelessComponent":
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityDeduplicator(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(ENTITIES, unique_spans(message.get(ENTITIES, [])), add_to_output=True)
        return messages


def unique_spans(entities: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Keeps the first entity of each overlapping span, in message order."""
    kept: List[Dict[Text, Any]] = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if start is not None and end is not None and any(
            k.get("start") is not None and start < k["end"] and k["start"] < end for k in kept
        ):
            continue
        kept.append(entity)
    return sorted(kept, key=lambda e: (e.get("start") or 0))


REQUEST = "request_affiliation"
FALLBACK = "nlu_fallback"
ANSWERED_AS = "sister_cities"
# A question about what exists ("do we have", "is there", "which ... has") rather than a request for
# help to get one ("can you help us find", "how do we start", "we want").
EXISTING = re.compile(r"\b(?:do|does|did|have|has|is|are|was|were)\s+(?:we|they|it|there|our|my|\w+)\b.*\b(?:have|has|had|"
                      r"partners?|sister|twin|affiliat\w*|friendship)\b|\bwho(?:['\u2019]s|\s+is|\s+are)\s+(?:our|my|the)\b|"
                      r"\bwhat(?:['\u2019]s|\s+is|\s+are)\s+(?:our|my)\s+(?:sister|twin|partner|friend)|"
                      r"\bwhich (?:cit\w+|prefectures?|partners?)\b.*\b(?:has|have|is|are)\b|"
                      r"\b(?:list|show|name|tell me|give me)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:our|my)\s+(?:\w+\s+)?"
                      r"(?:sister|twin|partner|friend|affiliat)|"
                      # "our partner in Japan is?", "which Japanese partner we have": asked of what exists
                      r"\b(?:our|my)\s+(?:[\w-]+\s+){0,3}?(?:partners?|sister|twin)[\w\s-]{0,30}?\s(?:is|are)\s*\?|"
                      r"\bwhich\s+(?:[\w-]+\s+)?(?:partners?|sister\s+cit\w+)\s+(?:we|they|it)\s+(?:have|has)\b", re.I)
WANTS = re.compile(r"\b(?:want|would like|'d like|wish|hope|hoping|looking for|seeking|interested|help|assist\w*|considering|find|"
                   r"set up|setup|establish|start|begin|apply|request|propose|match|connect|build|sign|get|become|"
                   r"need|how (?:do|can|could|should|would) (?:we|i)|"
                   # "could you tell me which prefecture is our sister city?" asks to be told, not helped
                   r"(?:can|could) you(?!\s+(?:please\s+)?(?:tell|say|confirm|check|let me know|share|show|list|give me|remind)))\b", re.I)


# A question about the request's process ("how long does it take CLAIR to find a partner?", "when
# did Chiba and Bangkok sign?"): answered (mostly "the page does not say"), even if it wants help.
PROCESS = re.compile(r"\b(?:how long|how much|how many|how soon|how quickly|when (?:did|was|were)|"
                     r"what does it cost|is it free|is there a fee)\b", re.I)
ASKED_AS_SUPPORT = "support_services"


# "we're from saitama, what are our sister cities", "we're from Tacloban City, do we have a partner in
# japan": a question even without its question mark.
ASKS_ABOUT_OURS = re.compile(r"\b(?:what|who|which)(?:['\u2019]s|\s+is|\s+are|\s+were)\s+(?:our|my)\b|"
                             r"\b(?:list|show|name|tell me|give me)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:our|my)\b|"
                             r"(?:^|[.!?,;:]\s*)(?:do|does|did|is|are|has|have)\s+\w+", re.I)
# "Pasig city sister city japan", "Da Nang japanese partner city?": a name and a partner word, no one
# asking for anything: what the name already has.
TELEGRAPHIC = re.compile(r"^[\w\s.,'\u2019-]*\b(?:sister|twin|partners?|friendship|counterparts?)\b"
                         r"[\w\s.,'\u2019-]*\??\s*$", re.I)
ANOTHER_ONE = re.compile(r"\b(?:another|additional|new|second|more)\s+(?:[\w-]+\s+){0,2}?(?:sister|twin|partner|friend)", re.I)
SPEAKER = re.compile(r"\b(?:we|us|our|i|me|my|i['\u2019]m|we['\u2019]re)\b", re.I)


def is_question_about_existing(text: str) -> bool:
    """A question about the list's affiliations, not a request for a new one."""
    if WANTS.search(text) or ANOTHER_ONE.search(text):
        return False
    if TELEGRAPHIC.match(text) and not SPEAKER.search(text) and len(text.split()) <= 8:
        return True
    asked = "?" in text or bool(ASKS_ABOUT_OURS.search(text))
    return asked and bool(EXISTING.search(text))


def asked_instead(text: str) -> str | None:
    """The intent a request-looking message really asks about, or None when it is a request."""
    if is_question_about_existing(text):
        return ANSWERED_AS
    if PROCESS.search(text):
        return ASKED_AS_SUPPORT
    return None


# "what kind of help exactly?" is a question leaning on the last answer, even when NLU takes it for
# a yes or a no; "no, the e-mail should be ..." opens with the no and stays one.
AGREEMENT = {"affirm", "deny"}
WH_OPENING = re.compile(r"^\W*(?:what|which|where|when|who|whom|whose|how|why)\b", re.I)
ASKED_AS_FOLLOWUP = "followup"


# "Miyagi Prefecture would like assistance locating a partner city in India", "Can CLAIR help us set
# up another sister-city link?": someone (we, or a named government) asks for a new partner. NLU
# often reads the named place as a question about its affiliations; the wording says otherwise.
ASKS_FOR_HELP = re.compile(
    r"\b(?:help|assist|support)\s+(?:us|me|our\s+\w+)\b|\b(?:assistance|assist|help|support)\b.*\b(?:find|locat|look|"
    r"search|identify|set(?:ting)?\s+up|establish|start|connect|match|get)\w*|\b(?:would\s+like|['\u2019]d\s+like|"
    r"wants?|wish(?:es)?|seeks?|seeking|looking\s+(?:for|4)|searching\s+for|explor(?:e|es|ing)|hoping\s+(?:for|to)|hopes\s+(?:for|to)|"
    r"needs?|plan(?:s|ning)?\s+to|intends?\s+to|considering|(?:keen|eager|interested)\s+to|"
    r"with\s+(?:\w+['\u2019]s|your)\s+(?:help|assistance|support)|interested\s+in\s+(?:finding|having|"
    r"establishing|starting|getting|an?|another|new|more)|(?:pls|please|can\s+you|could\s+you)\s+(?:help|assist))\b", re.I)
NEW_PARTNER = re.compile(
    r"\b(?:a|an|another|additional|new|second|more|some)\s+(?:[\w-]+\s+){0,2}?(?:sister|twin|partner|friendship|"
    r"friend|counterpart)|\b(?:a\s+second|another|one\s+more)\s+one\b|"
    # typed without the article: "looking for japanese sister province", "want sister city in asean"
    r"\b(?:for|find|seek\w*|want|need)\s+(?:[\w-]+\s+)?(?:sister|twin|partner|friendship)[\s-]+"
    r"(?:cit(?:y|ies)|towns?|prefectures?|provinces?|states?|municipalit(?:y|ies)|regions?)\b", re.I)
# "Nara Prefecture here. Sister city help?": the help asked for in three words.
SHORT_REQUEST = re.compile(r"\b(?:sister|twin|partner)[\s-]+cit(?:y|ies)\s+(?:help|assistance|support|pls|please)\b", re.I)
# "please cancel, we will contact you later": a cancel, whatever else NLU saw in it.
CANCEL_LEAD = re.compile(r"^\W*(?:(?:please|pls|ok|okay|sorry|actually|no)[\s,]+)*(?:cancel|abort|stop)\b(?!\s+(?:date|fee))", re.I)
REQUESTER = re.compile(r"\b(?:we|us|our|i|me|my|here)\b|\b(?:city|town|municipality|municipal|province|provincial|"
                       r"prefecture|prefectural|pref|government|regency|village|council|corporation|lgu)\b", re.I)
# Intents a request is never misread from: the controls, yes/no, and the request itself; a yes or a
# follow-up only when it is long enough to say more ("ok. Quezon City would like a second one ...").
NEVER_A_REQUEST = {REQUEST, "cancel", "human_handoff", "affirm", "deny", "followup"}
LONG_ENOUGH_TO_ASK = {"affirm", "followup"}
MIN_REQUEST_WORDS = 6


# "we'd like to ask which ..." wants to know; "would like to ask CLAIR to help us" wants help.
WANTS_TO_KNOW = re.compile(r"\b(?:want|like|wish|need)\s+to\s+(?:know|ask(?!\s+(?:\w+['\u2019]?s?\s+){0,2}(?:to\s+|for\s+)"
                           r"(?:help|assist|support))|see|learn|find\s+out|check|understand|confirm)\b", re.I)


def is_request(text: str) -> bool:
    """Someone asks for help to get a new partner, whatever NLU made of the place it names."""
    asks = (ASKS_FOR_HELP.search(text) and NEW_PARTNER.search(text)) or SHORT_REQUEST.search(text)
    return bool(asks and REQUESTER.search(text)) and not WANTS_TO_KNOW.search(text) and asked_instead(text) is None


def reclassified(intent: str | None, text: str) -> str | None:
    """The intent `text` really has when NLU's `intent` misreads it, else None."""
    if intent != "cancel" and CANCEL_LEAD.search(text):
        return "cancel"
    if intent == REQUEST:
        return asked_instead(text)
    if intent not in NEVER_A_REQUEST and is_request(text):
        return REQUEST
    if intent in LONG_ENOUGH_TO_ASK and len(text.split()) >= MIN_REQUEST_WORDS and is_request(text):
        return REQUEST  # "ok. Quezon City would like a second one, ideally somewhere in Kyushu. can you help?"
    if intent in AGREEMENT and WH_OPENING.search(text) and len(text.split()) >= 3:
        return ASKED_AS_FOLLOWUP
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionNotRequest(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            # Also when NLU was unsure (nlu_fallback) but took it for a request first.
            likeliest = intent.get(INTENT_NAME_KEY) if intent.get(INTENT_NAME_KEY) != FALLBACK else \
                next((r.get(INTENT_NAME_KEY) for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK), None)
            asked = reclassified(likeliest, message.get(TEXT) or "")
            if asked is None and intent.get(INTENT_NAME_KEY) == FALLBACK and likeliest == REQUEST \
                    and is_request(message.get(TEXT) or ""):
                asked = REQUEST  # "hi can clair help us find a sister city": unsure, but its words ask for one
            if asked:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: asked}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{**r, INTENT_NAME_KEY: asked} if r.get(INTENT_NAME_KEY) == likeliest
                                                 else r for r in ranking if r.get(INTENT_NAME_KEY) not in (asked, FALLBACK)],
                            add_to_output=True)
        return messages
