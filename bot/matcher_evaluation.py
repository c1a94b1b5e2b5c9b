"""Staff answers as visitors meet them: the served assistant, holding a fixture of staff answers
(tests/eval/staff_answers_fixture.yml, as staff might write them), is asked visitors' questions
written separately from that fixture. Positives name the staff answer they should get; negatives
(questions the page answers, or off-topic ones) should get none.

Precision: of the staff answers served, the share that were the right one. Recall: of the
positives, the share that got theirs. Measured on the replies, so what decides whether the matcher
is asked at all (the knowledge base's own answer first) counts too. The dev file chose the
threshold (`python -m bot evaluate --dev --set staff_matcher`); the held-out file measures it."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from bot.bench.load import RestClient, new_sender
from bot.bench.serving import embedded_settings, serve
from bot.database import migrated_engine
from bot.responses import find
from bot.settings import PROJECT_ROOT, Settings

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
FIXTURE = EVAL_DIR / "staff_answers_fixture.yml"
DEV = EVAL_DIR / "staff_paraphrases_dev.yml"
HELDOUT = EVAL_DIR / "staff_paraphrases_heldout.yml"
PARALLEL_CONVERSATIONS = 4

Question = Tuple[str, Optional[str]]  # (what the visitor types, the key of the staff answer it should get)


@dataclass(frozen=True)
class Scores:
    threshold: float
    precision: float
    recall: float
    served: int  # staff answers served, right or wrong
    positives: int
    negatives: int


def fixture_answers(path: Path = FIXTURE) -> Dict[str, str]:
    """Answer text -> key, for telling which staff answer a reply gave."""
    return {a["answer"]: a["key"] for a in yaml.safe_load(path.read_text(encoding="utf-8"))["staff_answers"]}


def load_questions(path: Path) -> List[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ([(p["text"], p["key"]) for p in data.get("positives") or []]
            + [(n["text"], None) for n in data.get("negatives") or []])


def served_key(messages: Sequence[dict], answers: Dict[str, str]) -> Optional[str]:
    """The key of the staff answer a reply gave, or None when it gave none."""
    message = find(list(messages), "utter_staff_answer")
    if message is None:
        return None
    text = str(message.get("text") or "")
    return next((key for answer, key in answers.items() if answer in text), "?")


def score(questions: Sequence[Question], served: Sequence[Optional[str]], threshold: float) -> Scores:
    positives = sum(1 for _, key in questions if key is not None)
    given = [(key, got) for (_, key), got in zip(questions, served) if got is not None]
    right = sum(1 for key, got in given if got == key)
    return Scores(threshold, right / len(given) if given else 1.0, right / positives if positives else 1.0,
                  len(given), positives, len(questions) - positives)


async def _ask_each(rasa_url: str, texts: Sequence[str]) -> List[List[dict]]:
    """Each question as the first message of a conversation of its own."""
    gate = asyncio.Semaphore(PARALLEL_CONVERSATIONS)
    async with RestClient(rasa_url, connections=PARALLEL_CONVERSATIONS) as client:
        async def one(index: int, text: str) -> List[dict]:
            async with gate:
                reply = await client.send(new_sender(f"staff-{index}"), text)
                if reply.status != 200:
                    raise RuntimeError(f"{text!r}: the assistant failed to reply ({reply.status} {reply.error})")
                return list(reply.messages)
        return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


def measure(settings: Settings, model: Path, source: Path, thresholds: Sequence[float]) -> List[Scores]:
    """The served assistant with the fixture's staff answers, asked every question of ``source``,
    once per threshold."""
    from knowledge.loader import load_into_database

    questions = load_questions(source)
    answers = fixture_answers()
    results = []
    with tempfile.TemporaryDirectory(dir=settings.var_dir) as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(settings.knowledge_dir, data_dir)
        shutil.copy(FIXTURE, data_dir / "staff_answers.yml")
        database_url = f"sqlite:///{Path(scratch) / 'knowledge.db'}"
        engine = migrated_engine(database_url)
        load_into_database(engine, data_dir, create_tables=False)
        engine.dispose()
        for threshold in thresholds:
            served_settings = replace(embedded_settings(Path(scratch) / f"var-{threshold}", database_url),
                                      staff_answer_threshold=threshold)
            with serve(model, served_settings, "What is the JET Programme?") as served:
                replies = asyncio.run(_ask_each(served.settings.rasa_url, [text for text, _ in questions]))
            results.append(score(questions, [served_key(r, answers) for r in replies], threshold))
    return results
