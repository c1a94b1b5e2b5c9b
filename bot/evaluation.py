"""`make evaluate`: the answer-level evaluation (tests/eval/heldout_en_v9.yml: the served assistant's
replies judged per family) and intent and entity scores on the NLU held-out set
(tests/nlu/heldout.yml); neither is ever used for training. Printed and written into
docs/benchmarks.md between markers."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bot import answer_evaluation as answers
from bot import matcher_evaluation as matcher
from bot.bench.load import RestClient, new_sender
from bot.bench.serving import embedded_settings, serve
from bot.doc_sections import write_section
from bot.prepare import prepare
from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT, Settings

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
ANSWERS_HELDOUT = PROJECT_ROOT / "tests" / "eval" / "heldout_en_v9.yml"
# Written from the page like the held-out files, but looked at freely to find failures: its
# figures are printed only, never written into the docs as the evaluation.
ANSWERS_DEV = tuple(PROJECT_ROOT / "tests" / "eval" / f"{name}.yml" for name in ("dev_en", "dev2_en", "dev3_en", "dev4_en",
                                                                                 "heldout_en_v5", "heldout_en_v6", "heldout_en_v7",
                                                                                 "heldout_en_v8"))
# Conversations at once: enough to finish in seconds, few enough not to measure load.
PARALLEL_CONVERSATIONS = 4
BENCHMARKS = PROJECT_ROOT / "docs" / "benchmarks.md"


def _scores(report_file: Path) -> dict:
    report = json.loads(report_file.read_text())
    return {"macro_f1": report["macro avg"]["f1-score"], "weighted_f1": report["weighted avg"]["f1-score"],
            "support": report["macro avg"]["support"]}


def pipeline_entity_scores(model: Path) -> dict:
    """Entity F1 of the whole pipeline (ruler + CRF + one-entity-per-span), per entity type and
    macro-averaged, by exact span and type. Rasa's own report scores each extractor alone and
    skips the spaCy ruler, so it cannot say what the actions receive."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    gold, predicted = set(), set()
    for index, message in enumerate(load_data(str(HELDOUT)).nlu_examples):
        text = message.get("text")
        gold |= {(index, e["start"], e["end"], e["entity"]) for e in message.get("entities") or []}
        parsed = asyncio.run(agent.parse_message(text))
        predicted |= {(index, e["start"], e["end"], e["entity"]) for e in parsed.get("entities") or []}
    per_type = {}
    for kind in sorted({g[3] for g in gold}):
        g = {x for x in gold if x[3] == kind}
        p = {x for x in predicted if x[3] == kind}
        precision = len(g & p) / len(p) if p else 0.0
        recall = len(g & p) / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[kind] = (f1, len(g))
    macro = sum(f1 for f1, _ in per_type.values()) / len(per_type)
    return {"macro_f1": macro, "per_type": per_type, "support": len(gold)}


async def _ask(rasa_url: str, items: list[answers.Item]) -> list[answers.ItemResult]:
    """Each item in a conversation of its own, turns in order, as a visitor types them."""
    gate = asyncio.Semaphore(PARALLEL_CONVERSATIONS)
    async with RestClient(rasa_url, connections=PARALLEL_CONVERSATIONS) as client:
        async def one(item: answers.Item) -> answers.ItemResult:
            async with gate:
                sender, replies = new_sender(f"eval-{item.id}"), []
                for turn in item.turns:
                    reply = await client.send(sender, turn.text)
                    if reply.status != 200:
                        raise RuntimeError(f"{item.id}: the assistant failed to reply ({reply.status} {reply.error})")
                    replies.append(list(reply.messages))
                verdicts = [answers.judge(t, r) for t, r in zip(item.turns, replies)]
                return answers.ItemResult(item, replies, verdicts)
        return list(await asyncio.gather(*(one(item) for item in items)))


def evaluate_answers(settings: Settings, model: Path, source: Path = ANSWERS_HELDOUT, record: bool = True) -> bool:
    """Serves the model as `make run` does, sends every item of `source`, prints the figures and,
    when `record`, writes them into docs/benchmarks.md."""
    items = answers.load_heldout(source)
    out = settings.var_dir / "evaluation"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.var_dir) as var_dir:
        with serve(model, embedded_settings(Path(var_dir), settings.database_url), "What is the JET Programme?") as served:
            results = asyncio.run(_ask(served.settings.rasa_url, items))
    summary = answers.summarise(results)
    met = answers.targets_met(summary)
    table = "\n".join([
        f"Answer-level evaluation ({date.today().isoformat()}, model {model.name}, "
        f"`{source.relative_to(PROJECT_ROOT)}`: {len(items)} items, each message or conversation "
        "scored as a whole):", "", answers.table(summary), "",
        f"Targets (>= {answers.CORRECT_TARGET:.0%} correct overall and in every family, "
        f"<= {answers.WRONG_TARGET:.0%} confidently wrong): {'met' if met else 'NOT met'}."])
    print(table)
    failures_file = out / f"answer_failures_{source.stem}.json"
    failures_file.write_text(json.dumps(answers.failures(results), indent=2, ensure_ascii=False))
    print(f"Wrong replies, with what was said: {failures_file}\n")
    if record:
        write_section(BENCHMARKS, "answers", table, "## Answers on the held-out visitor messages (`make evaluate`)")
    return met


STAFF_MATCHER_SET = "staff_matcher"
# The thresholds the dev file is served at (the one chosen is Settings.staff_answer_threshold).
DEV_THRESHOLDS = (0.2, 0.25, 0.3, 0.35)


def matcher_table(scores: list[matcher.Scores], source: Path) -> str:
    rows = [f"| {s.threshold:.2f} | {s.precision:.3f} | {s.recall:.3f} | {s.served} |" for s in scores]
    return "\n".join([f"Staff answers served ({date.today().isoformat()}, `{source.relative_to(PROJECT_ROOT)}`: "
                      f"{scores[0].positives} questions for the {len(matcher.fixture_answers())} staff answers of "
                      f"`{matcher.FIXTURE.relative_to(PROJECT_ROOT)}`, {scores[0].negatives} that none answers):", "",
                      "| threshold | precision | recall | staff answers served |", "| --- | --- | --- | --- |", *rows])


def evaluate_staff_answers(settings: Settings, model: Path) -> bool:
    """Staff answers on the held-out questions at the threshold in use; printed and written."""
    [held_out] = matcher.measure(settings, model, matcher.HELDOUT, (settings.staff_answer_threshold,))
    table = matcher_table([held_out], matcher.HELDOUT)
    met = held_out.precision >= 0.98 and held_out.recall >= 0.9
    print(table)
    print(f"\nStaff-answer targets (precision >= 0.98, recall >= 0.9): {'met' if met else 'NOT met'}.")
    write_section(BENCHMARKS, "staff-answers", table, "## Staff answers served to visitors' questions (`make evaluate`)")
    return met


def evaluate_dev(settings: Settings, only: str | None = None) -> int:
    """`make evaluate-dev`: the development sets only (or the one named), printed, for finding failures;
    staff answers on their dev file at each of DEV_THRESHOLDS (how the threshold was chosen)."""
    model = prepare(settings)
    if only in (None, STAFF_MATCHER_SET):
        print(matcher_table(matcher.measure(settings, model, matcher.DEV, DEV_THRESHOLDS), matcher.DEV) + "\n")
        if only == STAFF_MATCHER_SET:
            return 0
    for source in ANSWERS_DEV:
        if only and source.stem != only:
            continue
        evaluate_answers(settings, model, source, record=False)
    return 0


def evaluate(settings: Settings) -> int:
    model = prepare(settings)
    evaluate_answers(settings, model)
    out = settings.var_dir / "evaluation"
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(HELDOUT), "--model", str(model),
                    "--out", str(out)], cwd=PROJECT_ROOT, check=True, env={**os.environ, **RASA_OFFLINE_ENVIRONMENT})
    intent = _scores(out / "intent_report.json")
    entities = pipeline_entity_scores(model)
    rows = [f"| intents (DIET), macro F1 | {intent['macro_f1']:.3f} | {intent['support']} messages |",
            f"| entities (whole pipeline), macro F1 over types | {entities['macro_f1']:.3f} | {entities['support']} entities |"]
    rows += [f"| entities: `{kind}` F1 | {f1:.3f} | {count} |" for kind, (f1, count) in entities["per_type"].items()]
    table = "\n".join([f"Held-out NLU evaluation ({date.today().isoformat()}, model {model.name}, "
                       f"`{HELDOUT.relative_to(PROJECT_ROOT)}`):", "",
                       "| what | score | support |", "| --- | --- | --- |", *rows])
    print(table)
    _write_section(table)
    target_met = intent["macro_f1"] >= 0.95
    print(f"\nIntent macro-F1 target (>= 0.95): {'met' if target_met else 'NOT met'}. Errors: {out}/intent_errors.json")
    evaluate_staff_answers(settings, model)
    return 0


def _write_section(table: str) -> None:
    write_section(BENCHMARKS, "evaluate", table, "## NLU on the held-out set (`make evaluate`)")
