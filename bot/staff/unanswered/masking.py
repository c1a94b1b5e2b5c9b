"""E-mail addresses and phone numbers masked in what the Unanswered list shows: staff need the
question, not the visitor's contact details (the transcript, one click away, has them)."""
from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, allowing a leading +, spaces, dots, dashes and brackets between them.
PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?!\w)")
EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"


def mask(text: str) -> str:
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))
