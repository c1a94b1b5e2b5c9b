"""Matching keys for names: case-, accent-, punctuation- and space-insensitive."""
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces.

    "Hokkaidō" -> "hokkaido", "Pimpri-Chinchwad" -> "pimpri chinchwad".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain.casefold()).split())


def compact(text: str) -> str:
    """The exact-match key: normalize() without spaces, so "Ha Noi" == "Hanoi"."""
    return normalize(text).replace(" ", "")
