"""Staff answers: what CLAIR staff answer to a question the page does not. What is theirs: the key is
made from the question, the author is the signed-in account and the date the day it was saved, and
an answer is withdrawn (kept on file, no longer served) rather than removed."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.entities import STAFF_ANSWER

from ..models import StaffAccount
from .edits import row_to_edit
from .editor import RetiringEditor, Row
from .form import field

KEY_WORDS = 6  # a key is the question's first words: "how-much-is-an-alt-paid"


class StaffAnswerEditor(RetiringEditor):
    entity = STAFF_ANSWER
    noun = "answer"
    flag, retire_action = "withdrawn", "withdrawn"  # kept on file, no longer served
    fields = (
        field(STAFF_ANSWER, "question", "Question, as visitors ask it", widget="textarea"),
        field(STAFF_ANSWER, "paraphrases", "Other wordings of it", widget="lines", note="(optional; one per line)",
              hint="Visitors' own wordings help most: the Unanswered page lists them."),
        field(STAFF_ANSWER, "answer", "Answer", widget="textarea",
              hint="Visitors read: “CLAIR Singapore's page doesn't cover this, but CLAIR staff answered it on "
                   "<date>: <answer>”."),
        field(STAFF_ANSWER, "answer_ja", "Answer in Japanese", widget="textarea", note="(optional)"),
        field(STAFF_ANSWER, "topic", "The page gap it answers", note="(optional)",
              hint="A question the assistant says the page does not answer on this subject gets this answer, "
                   "whatever its words. One of the topics of knowledge/data/page_gaps.yml, e.g. salary, visas, "
                   "office_contact."),
    )

    def rows(self, session: Session, key: Any = None) -> List[Row]:
        stmt = select(m.StaffAnswer).order_by(m.StaffAnswer.seq, m.StaffAnswer.id)
        if key is not None:
            stmt = stmt.where(m.StaffAnswer.key == key)
        return [self.row(a.key, {"key": a.key, "question": a.question, "paraphrases": tuple(a.paraphrases or ()),
                                 "answer": a.answer, "answer_ja": a.answer_ja, "topic": a.topic, "author": a.author,
                                 "written": a.written, "withdrawn": a.withdrawn},
                         retired=a.withdrawn)
                for a in session.scalars(stmt)]

    def save(self, engine, actor_id: Optional[int], key: Any, values: Mapping[str, Any]) -> Any:
        return super().save(engine, actor_id, key, {**values, "author": _author(engine, actor_id)})

    def clean(self, values: Mapping[str, Any]) -> Dict[str, Any]:
        return {**super().clean(values), "author": values.get("author") or "CLAIR staff"}

    def apply(self, session: Session, key: Any, values: Dict[str, Any]) -> Any:
        row = row_to_edit(session, m.StaffAnswer.key, key, lambda: m.StaffAnswer(
            seq=(session.scalar(select(func.max(m.StaffAnswer.seq))) or 0) + 1,
            key=_free_key(session, values["question"]), withdrawn=False))
        row.question, row.paraphrases, row.answer = values["question"], list(values["paraphrases"]), values["answer"]
        row.answer_ja, row.topic, row.author = values["answer_ja"], values["topic"], values["author"]
        row.written = datetime.now(ZoneInfo(_timezone())).date().isoformat()
        return row.key

    def stored(self, session: Session, key: Any) -> Any:
        return session.scalar(select(m.StaffAnswer).where(m.StaffAnswer.key == key))


def _free_key(session: Session, question: str) -> str:
    """A key from the question's first words, made unique with a number."""
    words = re.findall(r"[a-z0-9]+", question.lower())[:KEY_WORDS] or ["answer"]
    base = "-".join(words)[:60]
    taken = set(session.scalars(select(m.StaffAnswer.key).where(m.StaffAnswer.key.like(f"{base}%"))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _author(engine, actor_id: Optional[int]) -> str:
    """How the answer names its author: the account's name, else its e-mail address."""
    if actor_id is None:
        return "CLAIR staff"
    with Session(engine, future=True) as session:
        account = session.get(StaffAccount, actor_id)
    return (account.name or account.email) if account is not None else "CLAIR staff"


def _timezone() -> str:
    from bot.settings import load_settings  # the console's zone decides which day "today" is

    return load_settings().staff_timezone
