"""What a message typed into the sister-city request form is: an answer, a question, a social
remark or a yes/no. A careful receptionist never writes "yes" or "What is CLAIR?" into a form
field; these checks keep the form's fields to real answers (actions/inquiry_form.py)."""
from __future__ import annotations

import re

QUESTION_WORDS = {"what", "who", "whom", "where", "when", "which", "how", "why", "is", "are", "was", "were",
                  "does", "do", "did", "can", "could", "tell", "list", "show", "explain", "describe",
                  "whats", "wheres", "whos", "hows", "whens", "wat"}  # typed without the apostrophe
YES_NO = {"yes", "no", "yeah", "yep", "yup", "nope", "nah", "sure", "ok", "okay", "y", "n", "correct",
          "right", "yes please", "of course", "alright", "all right"}
AGREEING = {"yes", "yeah", "yep", "yup"}  # not "no": "no strong preference" answers
MAX_AGREEMENT_WORDS = 5
SOCIAL = {"hi", "hello", "hey", "good morning", "good afternoon", "good evening", "thanks", "thank you",
          "bye", "goodbye", "hi there", "hello there", "cheers", "thank you very much", "thanks a lot"}

# What makes a message marked as a request for a person really one: "human resource development"
# typed as the purpose of the exchange is an answer.
ASKS_FOR_A_PERSON = re.compile(
    r"\b(?:talk|speak|chat|connect|transfer|put\s+me\s+through|reach|escalate|pass\s+(?:this|it|my|me))\b|"
    r"\b(?:a|an|real|live|actual)\s+(?:human|person|agent|operator|staff|officer)\b|\b(?:call|e-?mail|contact|ring)\s+me\b|"
    r"^\W*(?:human|agent|staff|operator|person|someone|clair\s+staff)\W*(?:please)?\W*$", re.I)
# What makes a message marked as a cancel really one: "We have a big Japanese community here." typed
# as the message to staff is an answer.
ASKS_TO_STOP = re.compile(
    r"\b(?:cancel\w*|stop|quit|abort|exit|nvm|never\s*mind|forget\s+(?:it|about\s+it|this|that)|drop\s+(?:it|this|that)|"
    r"scrap|changed\s+my\s+mind|not\s+now|hold\s+off|later|another\s+time|don['\u2019]?t\s+(?:send|want|continue)|"
    r"do\s+not\s+(?:send|continue)|no\s+longer|discuss\w*|think\s+(?:about\s+it|it\s+over)|talk\s+it\s+over|"
    r"come\s+back|get\s+back|let['\u2019]?s\s+not|withdraw)\b", re.I)

NOT_A_QUESTION, QUESTION, YES_OR_NO, SOCIAL_REMARK = "", "question", "yes_no", "social"


def _plain(text: str) -> str:
    return re.sub(r"[\s!.,?]+", " ", text.lower()).strip()


# Words before a question that do not make it an answer: "btw what does JET stand for", "sorry,
# which prefecture is our partner again", "I was wondering who runs the seminar".
LEAD_IN = re.compile(
    r"^\W*(?:(?:btw|by\s+the\s+way|sorry|oh|ok|okay|so|and|also|but|um+|uh+|hmm+|well|wait|actually|anyway|"
    r"hey|hi|hello|quick\s+question|one\s+more\s+thing|just\s+wondering|out\s+of\s+curiosity|before\s+that|"
    r"first|i\s+was\s+wondering|i\s+wonder|i(?:['\u2019]d|\s+would)\s+like\s+to\s+know|i\s+want\s+to\s+know|"
    r"do\s+you\s+know|can\s+i\s+ask)\b[\s,:;.!-]*)+", re.IGNORECASE)
ASKS_TO_KNOW = re.compile(r"^\W*(?:i\s+was\s+wondering|i\s+wonder|i(?:['\u2019]d|\s+would)\s+like\s+to\s+know|"
                          r"i\s+want\s+to\s+know|do\s+you\s+know|can\s+i\s+ask)\b", re.IGNORECASE)


# A question after something else: "before I give email, what is JETAA? one of our staff was on JET".
MID_QUESTION = re.compile(r"(?:[,.;:!]\s*|\b(?:but|and|so|first)\s+)(?:what|who|where|when|which|how|why)(?:['\u2019]s\b|\s+(?:is|are|was|"
                          r"were|does|do|did|can|about|many|much|long)\b)", re.IGNORECASE)


def looks_like_question(text: str) -> bool:
    """Ends with "?", opens with a question word ("what's the salary of an ALT"), after any lead-in,
    or asks one after a clause."""
    if text.rstrip().endswith("?") or ASKS_TO_KNOW.search(text) or MID_QUESTION.search(text):
        return True
    first = re.match(r"\s*([a-z]+)(?:['\u2019](?:s|re|d))?\b", LEAD_IN.sub("", text.lower()))
    return bool(first and first.group(1) in QUESTION_WORDS)


def non_answer(text: str) -> str:
    """Why `text` cannot be the answer to a form question ("" when it can be)."""
    plain = _plain(text)
    words = plain.split()
    if plain in YES_NO or (words and words[0] in AGREEING and len(words) <= MAX_AGREEMENT_WORDS):
        return YES_OR_NO  # "yes that's correct, send" is a confirmation, not a purpose
    if plain in SOCIAL:
        return SOCIAL_REMARK
    if looks_like_question(text):
        return QUESTION
    return NOT_A_QUESTION
