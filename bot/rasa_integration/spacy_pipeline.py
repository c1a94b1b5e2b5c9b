"""Builds the project's own spaCy pipeline: blank English plus an entity ruler whose patterns are
the knowledge base's names and aliases. Rasa's SpacyNLP loads it by path (config.yml); pretrained
spaCy models cannot be downloaded on our machines, and the ruler knows our names better anyway.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Iterable, Tuple

import spacy
from spacy.pipeline import EntityRuler

NameRow = Tuple[str, str, str]  # (entity kind, canonical name, surface form: name or alias)

STAMP_FILE = "kb_names.sha256"
ORGANISATION = "organisation"  # a ruler label that is matched but never passed on as an entity


def patterns_for(names: Iterable[NameRow]) -> list[dict]:
    """One token pattern per surface form. Short all-capital codes (ALT, SEA, CIR) match only in
    capitals so that the ordinary word "sea" is not taken for a position."""
    tokenizer = spacy.blank("en").tokenizer
    patterns = []
    for kind, name, surface in sorted(set(names)):
        tokens = [t.text for t in tokenizer(surface)]
        if not tokens:
            continue
        if len(surface) <= 4 and surface.isupper():
            pattern = [{"ORTH": t} for t in tokens]
        else:
            pattern = [{"LOWER": t.lower()} for t in tokens]
        patterns.append({"label": kind, "pattern": pattern, "id": name})
    return patterns


def names_fingerprint(names: Iterable[NameRow]) -> str:
    return hashlib.sha256(json.dumps(sorted(set(names))).encode()).hexdigest()


def build_pipeline(names: Iterable[NameRow], target: Path) -> bool:
    """Writes the pipeline to `target` unless it already holds one built from the same names.
    Returns True when it (re)built."""
    names = list(names)
    fingerprint = names_fingerprint(names)
    stamp = target / STAMP_FILE
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": True})
    assert isinstance(ruler, EntityRuler)  # add_pipe is typed as returning any pipe
    ruler.add_patterns(patterns_for(names))
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    stamp.write_text(fingerprint)
    return True
