"""The answer-level evaluation: a held-out file of visitor messages and conversations, each with
the facts its reply must and must not contain, judged on the reply a visitor reads.

This module loads the file and judges replies (pure functions, tested on a synthetic file);
bot/evaluation.py serves the assistant, sends the messages and prints the figures."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from bot.responses import names_of

KINDS = ("answer", "not_covered", "clarify", "any_reply")

# What each reply is, by the domain response it instantiates. A reply built by an action from
# knowledge-base rows matches no template (or an answer template) and counts as an answer.
FALLBACK = {"utter_default", "utter_did_you_mean"}
HONEST = {"utter_not_on_page", "utter_not_on_page_body", "utter_page_says", "utter_page_says_position", "utter_page_says_participation",
          "utter_page_says_latest_edition", "utter_page_says_seminar", "utter_page_says_contact",
          "utter_page_says_contact_details", "utter_answer_unavailable", "utter_answer_record_missing",
          "utter_page_says_list", "utter_page_says_pair", "utter_page_says_list_scope", "utter_page_says_list_scope_no_link",
          "utter_contact_office", "utter_out_of_scope", "utter_body_clair_full_name", "utter_no_edition_year",
          "utter_unknown_name", "utter_edition_length_unknown", "utter_edition_participants_unknown",
          "utter_edition_cities_unknown", "utter_country_not_listed", "utter_place_region_unknown", "utter_edition_theme_cancelled"}
# Answers that say the list holds nothing of what was asked: honest when the page does not cover it,
# also when the reply goes on to what the list does hold ("none with Thailand; Osaka has ...").
ABSENCE = {"utter_no_affiliations_of_prefecture", "utter_no_affiliations_of_place",
           "utter_no_affiliations_of_country", "utter_no_affiliations_of_prefecture_in_country",
           "utter_no_editions_in_country", "utter_affiliation_pair_no", "utter_no_affiliations_of_prefecture_outside"}
CLARIFY = {"utter_clarify_name", "utter_ask_prefecture_or_place", "utter_ask_year", "utter_ask_position",
           "utter_ask_which_programme"}

# Form turns: what `asks` names, and the responses that ask it.
FORM_SLOTS = ("organisation", "organisation_country", "contact_name", "contact_email", "contact_phone",
              "partner_preference", "purpose", "inquiry_message", "inquiry_confirmed")
ASK_ALIASES = {"confirmation": "inquiry_confirmed", "summary": "inquiry_confirmed", "country": "organisation_country",
               "email": "contact_email", "phone": "contact_phone", "name": "contact_name",
               "partner": "partner_preference", "message": "inquiry_message"}
ASKING = {slot: {f"utter_ask_{slot}"} for slot in FORM_SLOTS}
ASKING["inquiry_confirmed"] |= {"utter_inquiry_summary"}
ASKING["contact_email"] |= {"utter_ask_escalation_form_contact_email"}
REFERENCE = {"utter_inquiry_submitted", "utter_escalated"}
CANCELLED = {"utter_inquiry_cancelled", "utter_inquiry_not_sent"}  # "no" at the summary: nothing sent either


class HeldoutError(ValueError):
    """The held-out file is malformed (said with the item's id)."""


@dataclass(frozen=True)
class Turn:
    text: str
    kind: str = "any_reply"
    must: tuple = ()  # each entry: a term, or a tuple of alternative terms (any one will do)
    must_not: tuple[str, ...] = ()
    asks: str = ""  # form slot the reply must ask for
    not_asks: tuple[str, ...] = ()
    reference: bool = False  # the reply gives an inquiry reference
    cancelled: bool = False  # the reply says the request was cancelled


@dataclass(frozen=True)
class Item:
    """One message (a single turn) or one conversation (several): scored as a whole."""
    id: str
    family: str
    turns: tuple[Turn, ...]
    is_conversation: bool = False


@dataclass(frozen=True)
class Verdict:
    correct: bool
    confidently_wrong: bool
    why: str = ""


@dataclass
class ItemResult:
    item: Item
    replies: list[list[dict]]  # the bot messages of each turn
    verdicts: list[Verdict]

    @property
    def correct(self) -> bool:
        return all(v.correct for v in self.verdicts)

    @property
    def confidently_wrong(self) -> bool:
        return any(v.confidently_wrong for v in self.verdicts)


# --- loading ------------------------------------------------------------------------------------
def _terms(value, where: str) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise HeldoutError(f"{where}: expected a list of terms")
    out: list = []
    for entry in value:
        if isinstance(entry, list):
            out.append(tuple(str(e) for e in entry))
        else:
            out.append(str(entry))
    return tuple(out)


def _slot(name: str, where: str) -> str:
    slot = ASK_ALIASES.get(name, name)
    if slot not in FORM_SLOTS:
        raise HeldoutError(f"{where}: unknown form field {name!r}")
    return slot


def _turn(raw: dict, where: str) -> Turn:
    if not isinstance(raw, dict) or not str(raw.get("text") or "").strip():
        raise HeldoutError(f"{where}: a turn needs a text")
    kind = raw.get("kind", "any_reply")
    if kind not in KINDS:
        raise HeldoutError(f"{where}: unknown kind {kind!r}")
    not_asks = raw.get("not_asks") or ()
    not_asks = (not_asks,) if isinstance(not_asks, str) else tuple(not_asks)
    return Turn(text=str(raw["text"]), kind=kind, must=_terms(raw.get("must"), where),
                must_not=tuple(t for t in _terms(raw.get("must_not"), where) if isinstance(t, str)),
                asks=_slot(raw["asks"], where) if raw.get("asks") else "",
                not_asks=tuple(_slot(s, where) for s in not_asks),
                reference=bool(raw.get("reference")), cancelled=bool(raw.get("cancelled")))


class _TextLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: a visitor who types yes, no, on or off typed words, not true/false."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_TextLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def load_heldout(path: Path) -> list[Item]:
    data = yaml.load(path.read_text(), Loader=_TextLoader) or {}
    items: list[Item] = []
    for raw in data.get("messages") or []:
        where = f"{path.name}: {raw.get('id', '?')}"
        items.append(Item(str(raw["id"]), str(raw["family"]), (_turn(raw, where),)))
    for raw in data.get("conversations") or []:
        where = f"{path.name}: {raw.get('id', '?')}"
        turns = tuple(_turn(t, f"{where} turn {n}") for n, t in enumerate(raw.get("turns") or [], 1))
        if not turns:
            raise HeldoutError(f"{where}: a conversation needs turns")
        items.append(Item(str(raw["id"]), str(raw["family"]), turns, is_conversation=True))
    ids = [i.id for i in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise HeldoutError(f"{path.name}: duplicate ids {duplicates}")
    return items


# --- judging ------------------------------------------------------------------------------------
def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).lower()


def contains(text: str, term: str) -> bool:
    """`term` as whole words in `text`, case and quote style ignored. A year or a number is found
    inside a label too: "FY2013" says 2013."""
    before, after = (r"(?<!\d)", r"(?!\d)") if term.strip().isdigit() else (r"(?<!\w)", r"(?!\w)")
    return re.search(before + re.escape(_normal(term)) + after, _normal(text)) is not None


def reply_text(messages: Sequence[dict]) -> str:
    """What the visitor reads: every bubble and every button label."""
    parts = []
    for message in messages:
        parts.append(str(message.get("text") or ""))
        parts += [str(b.get("title") or "") for b in message.get("buttons") or []]
    return "\n".join(p for p in parts if p)


def reply_class(messages: Sequence[dict]) -> str:
    """empty, fallback, honest, clarify, absence or answer (the strongest present, in that order)."""
    names = [names_of(str(m.get("text") or "")) for m in messages if str(m.get("text") or "").strip()]
    if not names:
        return "empty"
    found = set().union(*names)
    for label, group in (("fallback", FALLBACK), ("honest", HONEST), ("clarify", CLARIFY)):
        if found & group:
            return label
    if names[0] & ABSENCE:
        return "absence"  # it leads with "the list has none"; what follows is context
    return "answer"


def _asked(messages: Sequence[dict], slot: str) -> bool:
    return any(names_of(str(m.get("text") or "")) & ASKING[slot] for m in messages)


def _said(messages: Sequence[dict], group: set) -> bool:
    return any(names_of(str(m.get("text") or "")) & group for m in messages)


def judge(turn: Turn, messages: Sequence[dict]) -> Verdict:
    """Whether the reply is what a careful receptionist would have said, and if not whether it
    was confidently wrong: a fact answered that was not asked, or an uncovered question answered."""
    text, klass = reply_text(messages), reply_class(messages)
    missing = [m for m in turn.must if not any(contains(text, t) for t in (m if isinstance(m, tuple) else (m,)))]
    forbidden = [t for t in turn.must_not if contains(text, t)]
    facts_ok = not missing and not forbidden
    problems = []
    if missing:
        problems.append(f"missing {missing}")
    if forbidden:
        problems.append(f"said {forbidden}")
    if klass == "empty":
        return Verdict(False, False, "no reply")

    if turn.kind == "answer":
        kind_ok = klass in ("answer", "absence")
        wrong = kind_ok and not facts_ok
    elif turn.kind == "not_covered":
        kind_ok = klass in ("honest", "absence")
        wrong = klass == "answer"
    elif turn.kind == "clarify":
        # A question back, or an answer that already covers every reading the visitor may mean.
        kind_ok = klass == "clarify" or (klass in ("answer", "absence") and bool(turn.must))
        wrong = klass == "answer" and not facts_ok
    else:
        kind_ok = True
        wrong = bool(forbidden)
    if not kind_ok:
        problems.append(f"{klass} reply to a {turn.kind} question")

    if turn.asks and not _asked(messages, turn.asks):
        problems.append(f"did not ask for {turn.asks}")
    asked_wrongly = [s for s in turn.not_asks if _asked(messages, s)]
    if asked_wrongly:
        problems.append(f"asked for {asked_wrongly}")
        wrong = True  # the answer was swallowed into the form
    if turn.reference and not _said(messages, REFERENCE):
        problems.append("no reference given")
    if turn.cancelled and not _said(messages, CANCELLED):
        problems.append("not cancelled")
    return Verdict(not problems, wrong, "; ".join(problems))


# --- figures ------------------------------------------------------------------------------------
@dataclass
class Tally:
    total: int = 0
    correct: int = 0
    confidently_wrong: int = 0

    def add(self, result: ItemResult) -> None:
        self.total += 1
        self.correct += result.correct
        self.confidently_wrong += result.confidently_wrong

    @property
    def correct_share(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def wrong_share(self) -> float:
        return self.confidently_wrong / self.total if self.total else 0.0


@dataclass
class Summary:
    overall: Tally = field(default_factory=Tally)
    families: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))


def summarise(results: Iterable[ItemResult]) -> Summary:
    summary = Summary()
    for result in results:
        summary.overall.add(result)
        summary.families[result.item.family].add(result)
    return summary


CORRECT_TARGET = 0.97
WRONG_TARGET = 0.01


def targets_met(summary: Summary) -> bool:
    return (summary.overall.wrong_share <= WRONG_TARGET
            and all(t.correct_share >= CORRECT_TARGET for t in [summary.overall, *summary.families.values()]))


def table(summary: Summary) -> str:
    rows = ["| family | items | correct | confidently wrong |", "| --- | --- | --- | --- |"]
    for name, tally in sorted(summary.families.items()):
        rows.append(f"| {name} | {tally.total} | {tally.correct_share:.1%} | {tally.wrong_share:.1%} |")
    o = summary.overall
    rows.append(f"| **all** | {o.total} | {o.correct_share:.1%} | {o.wrong_share:.1%} |")
    return "\n".join(rows)


def failures(results: Iterable[ItemResult]) -> list[dict]:
    """Each wrong item with what was said, for reading (written beside the figures, not in git)."""
    out = []
    for result in results:
        if result.correct:
            continue
        out.append({"id": result.item.id, "family": result.item.family,
                    "confidently_wrong": result.confidently_wrong,
                    "turns": [{"text": turn.text, "kind": turn.kind, "reply": reply_text(reply), "why": verdict.why}
                              for turn, reply, verdict in zip(result.item.turns, result.replies, result.verdicts)]})
    return out
