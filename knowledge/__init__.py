"""Knowledge base of the CLAIR Singapore assistant.

Data lives in knowledge/data/ (human-edited YAML/CSV); ``load_into_database`` checks
it and stores it in the kb_ tables; ``KnowledgeBase`` answers questions from them, with the
frozen results of ``knowledge.results``.
"""
from .errors import KnowledgeError
from .loader import DATA_DIR, check, create_schema, load_files, load_into_database
from .query import KnowledgeBase, parse_fiscal_year
from .records import KnowledgeData
from .resolver import Candidate, Match, NameEntry, Resolution

__all__ = [
    "DATA_DIR", "KnowledgeBase", "KnowledgeData", "KnowledgeError", "check", "create_schema",
    "load_files", "load_into_database", "parse_fiscal_year", "Candidate", "Match", "NameEntry", "Resolution",
]
