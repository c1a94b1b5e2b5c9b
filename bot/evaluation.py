"""`make evaluate`: intent and entity scores on the held-out set (tests/nlu/heldout.yml, never
used for training), printed and written into docs/benchmarks.md between markers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.doc_sections import write_section
from bot.prepare import prepare
from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT, Settings

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
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


def evaluate(settings: Settings) -> int:
    model = prepare(settings)
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
    return 0


def _write_section(table: str) -> None:
    write_section(BENCHMARKS, "evaluate", table, "## NLU on the held-out set (`make evaluate`)")
