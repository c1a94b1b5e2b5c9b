"""What a message typed into the sister-city request form is: an answer, a question, a social
remark or a yes/no. A careful receptionist never writes "yes" or "What is CLAIR?" into a form
field; these checks keep the form's fields to real answers (actions/inquiry_form.py)."""
from __future__ import annotations

import re

QUESTION_WORDS = {"what", "who", "whom", "where", "when", "which", "how", "why", "is", "are", "was", "were",
                  "does", "do", "did", "can", "could", "tell", "list", "show", "explain", "describe"}
YES_NO = {"yes", "no", "yeah", "yep", "yup", "nope", "nah", "sure", "ok", "okay", "y", "n", "correct",
          "right", "yes please", "of course", "alright", "all right"}
SOCIAL = {"hi", "hello", "hey", "good morning", "good afternoon", "good evening", "thanks", "thank you",
          "bye", "goodbye", "hi there", "hello there", "cheers", "thank you very much", "thanks a lot"}

NOT_A_QUESTION, QUESTION, YES_OR_NO, SOCIAL_REMARK = "", "question", "yes_no", "social"


def _plain(text: str) -> str:
    return re.sub(r"[\s!.,?]+", " ", text.lower()).strip()


def looks_like_question(text: str) -> bool:
    """Ends with "?" or opens with a question word ("what's the salary of an ALT")."""
    first = re.match(r"\s*([a-z]+)(?:['\u2019](?:s|re|d))?\b", text.lower())
    return text.rstrip().endswith("?") or bool(first and first.group(1) in QUESTION_WORDS)


def non_answer(text: str) -> str:
    """Why `text` cannot be the answer to a form question ("" when it can be)."""
    plain = _plain(text)
    if plain in YES_NO:
        return YES_OR_NO
    if plain in SOCIAL:
        return SOCIAL_REMARK
    if looks_like_question(text):
        return QUESTION
    return NOT_A_QUESTION
