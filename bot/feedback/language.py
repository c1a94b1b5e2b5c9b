"""The language of a visitor's message, as far as it can be told without a language model: the
assistant works in English, so a message is English unless its script says otherwise (Japanese kana
or CJK ideographs). No detection library is kept in requirements.lock for this."""
from __future__ import annotations

import re

JAPANESE = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")  # hiragana, katakana
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = {"en": "English", "ja": "Japanese", "zh": "Chinese"}


def language_of(text: str) -> str:
    if JAPANESE.search(text):
        return "ja"
    if CJK.search(text):
        return "zh"  # ideographs without kana
    return "en"
