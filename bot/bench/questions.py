"""What the load generator asks: the knowledge questions of the held-out NLU set (written apart
from the training data), i.e. the messages whose intent `action_answer` answers from the KB."""
from __future__ import annotations

from pathlib import Path

from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"


def knowledge_intents() -> frozenset[str]:
    from actions.answer_handlers import ANSWER_INTENTS

    return ANSWER_INTENTS


def knowledge_questions(path: Path = HELDOUT) -> list[str]:
    """The held-out messages of knowledge intents, as plain text, in file order."""
    from rasa.shared.nlu.training_data.loading import load_data

    wanted = knowledge_intents()
    questions = [m.get("text") for m in load_data(str(path)).nlu_examples if m.get("intent") in wanted]
    if not questions:
        raise RuntimeError(f"No knowledge questions found in {path}.")
    return questions


def long_message(questions: list[str], length: int) -> str:
    """A message of exactly `length` characters made of real questions (not one repeated letter,
    which a tokenizer would treat as a single token)."""
    text, pool = "", " ".join(questions) + " "
    while len(text) < length:
        text += pool
    return text[:length]
