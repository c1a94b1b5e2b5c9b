"""Grouping visitor messages by similar wording, so the same question asked ten ways is one row.

TF-IDF over the message's words (scikit-learn, already in requirements.lock), with English stop
words removed and plurals folded, so word order and filler do not matter ("ALT salary?" / "how much
salary do ALTs get") and "how much does … " does not tie unrelated questions together. Then
agglomerative clustering with average linkage on cosine distance, cut at DISTANCE_THRESHOLD.
Misspelt words are first folded into the word they misspell (rapidfuzz). Measured on the fixture of
tests/staff/test_unanswered_grouping.py (79 messages, 12 questions, typos included): 12 groups found,
purity 0.975, inverse purity 0.975. Without typo folding 16 groups (0.949 / 0.899); character n-grams
instead of words gave purity 0.92 with 16 groups on the fixture's 74 messages without typos."""
from __future__ import annotations

import re
from collections import Counter
from typing import List, Sequence

from .masking import EMAIL, PHONE

DISTANCE_THRESHOLD = 0.8
TYPO_MIN_CHARS = 4
TYPO_RATIO = 83  # "salery"/"salary" is 83.3; "hours"/"house" (80) and "month"/"mouth" (80) stay apart
MAX_MESSAGES = 2000  # average linkage keeps an n×n matrix (32 MB at 2,000): beyond, only the newest are grouped
WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """Plurals folded ("ALTs", "cities", "fees"): enough for short questions, no stemmer library."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# scikit-learn's English stop words include words that carry a visitor's question ("the next
# program", "the first edition", "call the office", "the amount"): those are kept.
CONTENT_WORDS = frozenset({"next", "first", "last", "call", "find", "found", "fill", "full", "give", "part",
                           "show", "detail", "amount", "move", "top", "bottom", "front", "side", "system",
                           "interest", "bill", "fire", "computer", "empty"})


def _stop_words() -> frozenset:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) - CONTENT_WORDS


def normalise(text: str) -> str:
    stop_words = _stop_words()
    words = WORD.findall(PHONE.sub(" ", EMAIL.sub(" ", text)).lower())  # an address is no question
    kept = [stem(w) for w in words if w not in stop_words]
    return " ".join(kept or words)


def fold_typos(documents: List[str]) -> List[str]:
    """Each misspelt word replaced by the more frequent word it is a typo of ("salery" -> "salary",
    "adress" -> "address"), with rapidfuzz (already kept for name resolution): words of at least
    TYPO_MIN_CHARS, the same first letter, similarity ratio at least TYPO_RATIO."""
    from rapidfuzz import fuzz, process

    counts = Counter(word for document in documents for word in document.split())
    roots: List[str] = []
    canonical: dict[str, str] = {}
    for word, _ in counts.most_common():
        if len(word) >= TYPO_MIN_CHARS and not word.isdigit():
            candidates = [r for r in roots if r[0] == word[0]]
            found = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO) if candidates else None
            if found is not None:
                canonical[word] = found[0]
                continue
            roots.append(word)
        canonical[word] = word
    return [" ".join(canonical[w] for w in document.split()) for document in documents]


def group_indices(texts: Sequence[str]) -> List[List[int]]:
    """Indices of ``texts`` in groups, each group in input order, groups in order of first member."""
    if not texts:
        return []
    if len(texts) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    normalised = fold_typos([normalise(t) or t.lower() for t in texts])
    vectors = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", sublinear_tf=True).fit_transform(normalised)
    # Distances from the sparse vectors: no dense copy of the vocabulary-wide matrix.
    labels = AgglomerativeClustering(n_clusters=None, affinity="precomputed", linkage="average",
                                     distance_threshold=DISTANCE_THRESHOLD).fit_predict(cosine_distances(vectors))
    groups: dict[int, List[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])
