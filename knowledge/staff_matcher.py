"""Which staff answer, if any, a visitor's question asks for: TF-IDF over character n-grams of the
question's content words, against one document per answer (its question, other wordings and the
answer itself), cosine similarity, one threshold. A question that a page gap caught (the page does
not give it) is matched among the answers staff wrote for that gap first.

Measured on a dev file (docs/benchmarks.md): content words only (no "how do I", which every
question shares), folded plurals and verb endings, and the answer's own words (visitors ask with the
answer's terms, "pay", "visa", "register", more than with staff's question) each told the right
answer more often. Character n-grams within words match typos. No training: an answer saved in the
console is matched on the next message. The threshold is a setting (STAFF_ANSWER_THRESHOLD).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

# The default lowest similarity for an answer to be served (bot.settings' STAFF_ANSWER_THRESHOLD).
THRESHOLD = 0.3
# An answer linked to the page gap that caught the question needs this share of the threshold.
TOPIC_SHARE = 0.5
_WORD = re.compile(r"[a-z0-9]+")
_ENDINGS = ("ing", "ed", "es", "s")  # "registering", "registered", "registers" -> "register"


def content_words(text: str) -> str:
    """The words that say what is asked: lower case, English stop words dropped, endings folded."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    out = []
    for word in _WORD.findall(text.lower()):
        if word in ENGLISH_STOP_WORDS:
            continue
        for ending in _ENDINGS:
            if len(word) > len(ending) + 2 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class StaffMatch:
    answer: Any  # the staff answer's record (knowledge.records.StaffAnswerRec)
    score: float


class StaffMatcher:
    """Built once from the served (not withdrawn) staff answers; ``best`` scores a message."""

    def __init__(self, answers: Sequence[Any]):
        self._answers: List[Any] = list(answers)
        self._vectorizer: Optional[Any] = None
        if self._answers:
            from sklearn.feature_extraction.text import TfidfVectorizer  # here: importing it takes about 0.7 s

            documents = [content_words(" ".join((a.question, *a.paraphrases, a.answer))) for a in self._answers]
            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
            self._matrix = self._vectorizer.fit_transform(documents)

    def best(self, message: str, topic: Optional[str] = None) -> Optional[StaffMatch]:
        """The closest answer and its score, whatever the score (None: no answers, or no words);
        with ``topic``, the closest of the answers to that page gap."""
        words = content_words(message)
        if self._vectorizer is None or not words:
            return None
        from sklearn.metrics.pairwise import linear_kernel

        scores = linear_kernel(self._vectorizer.transform([words]), self._matrix)[0]
        candidates = [i for i, a in enumerate(self._answers) if topic is None or getattr(a, "topic", None) == topic]
        if not candidates:
            return None
        index = max(candidates, key=lambda i: scores[i])
        return StaffMatch(self._answers[index], float(scores[index]))

    def match(self, message: str, threshold: float) -> Optional[StaffMatch]:
        """The answer to serve for ``message``, or None when none is close enough."""
        found = self.best(message)
        return found if found is not None and found.score >= threshold else None

    def for_gap(self, message: str, topic: str, threshold: float) -> Optional[StaffMatch]:
        """The answer to serve for a message the page gap ``topic`` caught: the closest of the answers
        staff wrote for that gap, needing only half the threshold (the gap already says what is asked),
        unless another answer is closer and close enough on its own."""
        topical, anywhere = self.best(message, topic), self.match(message, threshold)
        if topical is not None and topical.score < threshold * TOPIC_SHARE:
            topical = None
        if topical is None or (anywhere is not None and anywhere.score > topical.score):
            return anywhere
        return topical
