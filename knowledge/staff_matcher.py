"""Which staff answer, if any, a visitor's question asks for: TF-IDF over character n-grams of each
answer's question and paraphrases (scikit-learn), cosine similarity, one threshold. A question that
a page gap caught (the page does not give it) gets an answer staff wrote for that gap first.

Character n-grams within words ("char_wb") match typos, plurals and word order ("office hours?" /
"what are your opening hours"), without training: an answer saved in the console is matched on the
next message. The threshold is a setting (STAFF_ANSWER_THRESHOLD), chosen on a dev file (docs/benchmarks.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

# The default lowest cosine similarity between a message and an answer's closest wording for the
# answer to be served (bot.settings' STAFF_ANSWER_THRESHOLD; chosen on the dev file).
THRESHOLD = 0.5


@dataclass(frozen=True)
class StaffMatch:
    answer: Any  # the staff answer's record (knowledge.records.StaffAnswerRec)
    score: float
    wording: str  # the question or paraphrase it matched


class StaffMatcher:
    """Built once from the served (not withdrawn) staff answers; ``best`` scores a message."""

    def __init__(self, answers: Sequence[Any]):
        self._wordings: List[str] = []
        self._owners: List[Any] = []
        for answer in answers:
            for wording in (answer.question, *answer.paraphrases):
                self._wordings.append(wording)
                self._owners.append(answer)
        self._vectorizer: Optional[Any] = None
        if self._wordings:
            from sklearn.feature_extraction.text import TfidfVectorizer  # here: importing it takes about 0.7 s

            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True,
                                               sublinear_tf=True)
            self._matrix = self._vectorizer.fit_transform(self._wordings)

    def best(self, message: str, topic: Optional[str] = None) -> Optional[StaffMatch]:
        """The closest answer and its score, whatever the score (None: no answers, or no text);
        with ``topic``, the closest of the answers to that page gap."""
        if self._vectorizer is None or not message.strip():
            return None
        from sklearn.metrics.pairwise import linear_kernel

        scores = linear_kernel(self._vectorizer.transform([message]), self._matrix)[0]
        candidates = [i for i, owner in enumerate(self._owners) if topic is None or owner.topic == topic]
        if not candidates:
            return None
        index = max(candidates, key=lambda i: scores[i])
        return StaffMatch(self._owners[index], float(scores[index]), self._wordings[index])

    def match(self, message: str, threshold: float) -> Optional[StaffMatch]:
        """The answer to serve for ``message``, or None when none is close enough."""
        found = self.best(message)
        return found if found is not None and found.score >= threshold else None

    def for_gap(self, message: str, topic: str, threshold: float) -> Optional[StaffMatch]:
        """The answer to serve for a message the page gap ``topic`` caught: one of the answers staff
        wrote for that gap (the closest), else any answer close enough."""
        return self.best(message, topic) or self.match(message, threshold)
