"""Name resolution: exact (normalised) match first, then typo tolerance (rapidfuzz).

Pure functions over a list of NameEntry; the facade builds the list from the live
database on every call, so names added to the database are found at once.

Decisions (see knowledge/data/README.md):
* Exact: the input's key (case/accents/punctuation/spaces removed) equals the key of
  a name or alias. One target -> "exact"; several targets (only possible across
  kinds, e.g. a place named like a prefecture) -> "ambiguous", all scored 100.
* Fuzzy: rapidfuzz ``fuzz.ratio`` on the same keys, best score per target.
  Below RESOLVE_CUTOFF -> "unknown". Every target scoring within AMBIGUITY_MARGIN of
  the best (and above the cutoff) is a candidate; more than one -> "ambiguous"
  (e.g. "Kangawa": Kagawa 92 / Kanagawa 93), else "fuzzy".
* find_names() scans word n-grams (longest first): exact on any n-gram, fuzzy only on
  n-grams of at least FIND_MIN_FUZZY_CHARS characters that neither start nor end with
  a stop word, with the stricter FIND_CUTOFF, so ordinary words are not taken for names.
"""
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Set, Tuple

from rapidfuzz import fuzz, process

from .normalize import compact

RESOLVE_CUTOFF = 80.0
# One edit in a seven-letter name ("fukouka", "legaspi") scores 85.7; no word of the training data
# or the page comes within 85 of a name it is not (checked against both when lowered from 87).
FIND_CUTOFF = 85.0
AMBIGUITY_MARGIN = 5.0
RESOLVE_MIN_FUZZY_CHARS = 3
FIND_MIN_FUZZY_CHARS = 5
MAX_NGRAM = 4
KIND_ORDER = ("prefecture", "country", "place", "position")

# Words that never start or end a fuzzy n-gram (exact matches ignore this list).
STOP_WORDS = frozenset("""
a an the of in on at to for from by with and or not no is are was were be been am do does did
have has had what which who whom whose where when why how any some there their its it this that
these those my your our me you we they he she i can could would should will shall may might
sister city cities town towns affiliation affiliations affiliated prefecture prefectures country
countries province region place places list show tell about please hi hello thanks many much
""".split())

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NameEntry:
    """One way to write one thing: ``text`` is the canonical name or an alias."""

    kind: str
    name: str
    text: str


@dataclass(frozen=True)
class Candidate:
    name: str
    kind: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """status: exact | fuzzy | ambiguous | unknown. ``name``/``kind`` are set when
    resolved; ``matched`` is the name or alias that matched; ``candidates`` lists the
    competing targets when ambiguous (best first)."""

    status: str
    query: str
    name: Optional[str] = None
    kind: Optional[str] = None
    score: float = 0.0
    matched: Optional[str] = None
    candidates: Tuple[Candidate, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.status in ("exact", "fuzzy")


@dataclass(frozen=True)
class Match:
    """A name found in a message: ``matched_text`` is the message's own text at
    [start, end); ``score`` is 100 for exact matches."""

    kind: str
    name: str
    matched_text: str
    start: int = 0
    end: int = 0
    score: float = 100.0


def _order(target: Tuple[str, str]):
    kind, name = target
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return rank, name


def _is_code(kind: str, text: str) -> bool:
    """Position codes (ALT, SEA, CIR) are found in a message only as typed in capitals: "by the
    sea" is not a question about Sports Exchange Advisors. A place's code ("hcmc") is no word."""
    return kind == "position" and len(text) <= 4 and text.isupper()


class NameIndex:
    """Lookup structures over a snapshot of names (cheap to build: a few hundred)."""

    def __init__(self, entries: Iterable[NameEntry]):
        self.exact: Dict[str, Dict[Tuple[str, str], str]] = {}
        self.keys: List[str] = []
        self.owners: List[Tuple[str, str, str]] = []  # (kind, name, text) per key
        for e in entries:
            key = compact(e.text)
            if not key:
                continue
            self.exact.setdefault(key, {}).setdefault((e.kind, e.name), e.text)
            self.keys.append(key)
            self.owners.append((e.kind, e.name, e.text))

    # -- helpers ---------------------------------------------------------------------
    def _exact(self, key: str, kind: Optional[str]) -> Dict[Tuple[str, str], str]:
        found = self.exact.get(key, {})
        return {t: text for t, text in found.items() if kind is None or t[0] == kind}

    def _fuzzy(self, key: str, kind: Optional[str], cutoff: float):
        """Best (score, matched text) per target at or above ``cutoff``, best first."""
        best: Dict[Tuple[str, str], Tuple[float, str]] = {}
        hits = process.extract(key, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff)
        for _, score, index in hits:
            k, name, text = self.owners[index]
            if kind is not None and k != kind:
                continue
            if score > best.get((k, name), (-1.0, ""))[0]:
                best[(k, name)] = (score, text)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], _order(item[0])))
        if not ranked:
            return []
        top = ranked[0][1][0]
        return [(t, s, text) for t, (s, text) in ranked if s >= top - AMBIGUITY_MARGIN]

    # -- public ------------------------------------------------------------------------
    def resolve(self, text: str, kind: Optional[str] = None) -> Resolution:
        query = text if isinstance(text, str) else ""
        key = compact(query)
        if not key:
            return Resolution("unknown", query)
        exact = self._exact(key, kind)
        if len(exact) == 1:
            (k, name), matched = next(iter(exact.items()))
            return Resolution("exact", query, name, k, 100.0, matched)
        if exact:
            cands = tuple(Candidate(n, k, 100.0) for k, n in sorted(exact, key=_order))
            return Resolution("ambiguous", query, score=100.0, candidates=cands)
        if len(key) < RESOLVE_MIN_FUZZY_CHARS:
            return Resolution("unknown", query)
        close = self._fuzzy(key, kind, RESOLVE_CUTOFF)
        if not close:
            return Resolution("unknown", query)
        if len(close) > 1:
            cands = tuple(Candidate(n, k, round(s, 1)) for (k, n), s, _ in close)
            return Resolution("ambiguous", query, score=cands[0].score, candidates=cands)
        (k, name), score, matched = close[0]
        return Resolution("fuzzy", query, name, k, round(score, 1), matched)

    def find(self, message: str) -> List[Match]:
        if not isinstance(message, str):
            return []
        tokens = [(m.start(), m.end(), compact(m.group())) for m in _TOKEN.finditer(message)]
        tokens = [t for t in tokens if t[2]]
        used: Set[int] = set()
        found: List[Match] = []

        def spans():
            for n in range(min(MAX_NGRAM, len(tokens)), 0, -1):
                for i in range(len(tokens) - n + 1):
                    yield n, i, i + n

        def emit(i, j, targets, score):
            start, end = tokens[i][0], tokens[j - 1][1]
            for kind, name in sorted(targets, key=_order):
                found.append(Match(kind, name, message[start:end], start, end, round(score, 1)))
            used.update(range(i, j))

        for _n, i, j in spans():  # exact, longest first
            if used.isdisjoint(range(i, j)):
                typed = message[tokens[i][0]:tokens[j - 1][1]]
                targets = {t: text for t, text in self._exact("".join(t[2] for t in tokens[i:j]), None).items()
                           if not _is_code(t[0], text) or typed == text}
                if targets:
                    emit(i, j, targets, 100.0)

        options = []
        for n, i, j in spans():  # fuzzy, strict
            words = [t[2] for t in tokens[i:j]]
            key = "".join(words)
            if words[0] in STOP_WORDS or words[-1] in STOP_WORDS or len(key) < FIND_MIN_FUZZY_CHARS:
                continue
            if not used.isdisjoint(range(i, j)):
                continue
            close = self._fuzzy(key, None, FIND_CUTOFF)
            if close:
                options.append((-close[0][1], -n, i, j, [t for t, _, _ in close]))
        for neg_score, _, i, j, close_targets in sorted(options):
            if used.isdisjoint(range(i, j)):
                emit(i, j, close_targets, -neg_score)

        return sorted(found, key=lambda m: (m.start, _order((m.kind, m.name))))
