"""The training-suggestions queue written as Rasa NLU YAML (`python -m bot nlu suggestions --export
FILE`), for a developer to review and merge into data/nlu/ before the next training."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.feedback.models import TrainingSuggestion


def queued(engine) -> Dict[str, List[str]]:
    with Session(engine, future=True) as session:
        rows = session.execute(select(TrainingSuggestion.intent, TrainingSuggestion.text)
                               .order_by(TrainingSuggestion.intent, TrainingSuggestion.id)).all()
    out: Dict[str, List[str]] = {}
    for intent, text in rows:
        out.setdefault(intent, []).append(text)
    return out


def as_nlu_yaml(suggestions: Dict[str, List[str]]) -> str:
    lines = ['version: "3.1"', "# Training suggestions from the staff console's Unanswered page: review before",
             "# merging into data/nlu/.", "nlu:" if suggestions else "nlu: []"]
    for intent, texts in suggestions.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in texts)  # one line each, brackets removed when queued
    return "\n".join(lines) + "\n"


def export(engine, path: Path) -> int:
    suggestions = queued(engine)
    path.write_text(as_nlu_yaml(suggestions), encoding="utf-8")
    return sum(len(texts) for texts in suggestions.values())

