"""`make evaluate`: intent and entity scores on the held-out set (tests/nlu/heldout.yml, never
used for training), printed and written into docs/benchmarks.md between markers."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.prepare import prepare
from bot.settings import PROJECT_ROOT, RASA_OFFLINE_ENVIRONMENT, Settings

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
BENCHMARKS = PROJECT_ROOT / "docs" / "benchmarks.md"
START, END = "<!-- evaluate:start -->", "<!-- evaluate:end -->"


def _scores(report_file: Path) -> dict:
    report = json.loads(report_file.read_text())
    return {"macro_f1": report["macro avg"]["f1-score"], "weighted_f1": report["weighted avg"]["f1-score"],
            "support": report["macro avg"]["support"]}


def evaluate(settings: Settings) -> int:
    model = prepare(settings)
    out = settings.var_dir / "evaluation"
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(HELDOUT), "--model", str(model),
                    "--out", str(out)], cwd=PROJECT_ROOT, check=True, env={**os.environ, **RASA_OFFLINE_ENVIRONMENT})
    intent = _scores(out / "intent_report.json")
    entity_reports = sorted(out.glob("*Extractor_report.json")) + sorted(out.glob("DIETClassifier_report.json"))
    rows = [f"| intent classification (DIET) | {intent['macro_f1']:.3f} | {intent['weighted_f1']:.3f} | {intent['support']} |"]
    for report in entity_reports:
        scores = _scores(report)
        rows.append(f"| entities: {report.stem.replace('_report', '')} | {scores['macro_f1']:.3f} | "
                    f"{scores['weighted_f1']:.3f} | {scores['support']} |")
    table = "\n".join([f"Held-out NLU evaluation ({date.today().isoformat()}, model {model.name}, "
                       f"`{HELDOUT.relative_to(PROJECT_ROOT)}`):", "",
                       "| what | macro F1 | weighted F1 | messages / entities |", "| --- | --- | --- | --- |", *rows])
    print(table)
    _write_section(table)
    target_met = intent["macro_f1"] >= 0.95
    print(f"\nIntent macro-F1 target (>= 0.95): {'met' if target_met else 'NOT met'}. Errors: {out}/intent_errors.json")
    return 0


def _write_section(table: str) -> None:
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    block = f"{START}\n{table}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += f"\n## NLU on the held-out set (`make evaluate`)\n\n{block}\n"
    BENCHMARKS.write_text(text)
