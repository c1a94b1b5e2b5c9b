"""`python -m bot bench`: trains both configurations from scratch, serves each in turn, measures
it, then prints the report, writes it into docs/benchmarks.md with the plot, and saves the raw
results as JSON under var/bench/."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence

from bot.bench import measurements as measure
from bot.bench.baseline import write_baseline_config
from bot.bench.measurements import ConfigResults
from bot.bench.plot import plot_latency
from bot.bench.questions import knowledge_questions, long_message
from bot.bench.report import RunInfo, render, write_docs, write_json
from bot.bench.serving import embedded_settings, serve
from bot.bench.training import TrainedModel, train_ours, train_with_config
from bot.settings import PROJECT_ROOT, Settings

OURS, BASELINE = "ours", "baseline"
CONFIGS = (OURS, BASELINE)
BENCHMARKS = PROJECT_ROOT / "docs" / "benchmarks.md"
PLOT = PROJECT_ROOT / "docs" / "bench-latency.png"


@dataclass(frozen=True)
class Plan:
    """How much of each measurement a run makes."""
    sequential_count: int = 200
    per_sender: int = 5  # a new visitor every few questions, as on the website
    concurrency_levels: tuple[int, ...] = (1, 10, 20, 50)
    concurrency_seconds: float = 20
    long_conversation_count: int = 600
    huge_message_chars: int = 100_000


FULL = Plan()
QUICK = Plan(sequential_count=30, concurrency_seconds=3, long_conversation_count=40)


def _machine_ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 ** 2
    return 0.0


def run_info(plan: Plan, quick: bool) -> RunInfo:
    from rasa.version import __version__ as rasa_version

    return RunInfo(date=datetime.now().strftime("%Y-%m-%d %H:%M"), cores=os.cpu_count() or 0,
                   ram_gib=_machine_ram_gib(), load_average=os.getloadavg()[0], rasa_version=rasa_version,
                   quick=quick, sequential_count=plan.sequential_count,
                   long_conversation_count=plan.long_conversation_count,
                   concurrency_seconds=plan.concurrency_seconds)


def _say(text: str) -> None:
    print(f"[bench] {text}", flush=True)


def train(name: str, work: Path, saved_models: Path, reuse: bool) -> tuple[Path, float | None]:
    """The model of configuration `name`, trained from scratch (its wall time), or with `reuse`
    the copy saved by an earlier run (no training time then)."""
    saved = saved_models / f"{name}.tar.gz"
    if reuse and saved.exists():
        _say(f"{name}: reusing {saved} (no training time measured)")
        return saved, None
    _say(f"{name}: training from scratch...")
    trained: TrainedModel = (train_ours(work / name) if name == OURS else
                             train_with_config(write_baseline_config(work / name / "config"), work / name, name))
    _say(f"{name}: trained in {trained.seconds:.1f} s")
    saved_models.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(trained.model, saved)
    return saved, trained.seconds


def keep_logs(work: Path, logs: Path) -> None:
    """The training and server logs of the run, out of the temporary folder before it goes."""
    for log in work.glob("*/**/*.log"):
        target = logs / log.relative_to(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, target)
    _say(f"logs: {logs}")


def prepare_database(work: Path) -> str:
    """The knowledge base both configurations answer from (loaded as `make run` loads it)."""
    from bot.prepare import prepare_knowledge

    url = f"sqlite:///{work / 'clair.db'}"
    prepare_knowledge(embedded_settings(work / "kb", url))
    return url


def measure_served(name: str, model: Path, settings: Settings, questions: Sequence[str], plan: Plan,
                   results: ConfigResults) -> None:
    """Every serving measurement of one configuration, on one server start."""
    _say(f"{name}: starting the action server and the Rasa server...")
    with serve(model, settings, questions[0]) as served:
        results.startup_seconds = served.startup_seconds
        _say(f"{name}: first answer {served.startup_seconds:.1f} s after launch")
        results.sequential = measure.sequential(settings.rasa_url, questions, plan.sequential_count, plan.per_sender)
        _say(f"{name}: one user, p50 {results.sequential.latency.p50 * 1000:.0f} ms, "
             f"p95 {results.sequential.latency.p95 * 1000:.0f} ms")
        for conversations in plan.concurrency_levels:
            level = measure.concurrency(settings.rasa_url, questions, conversations, plan.concurrency_seconds,
                                        served.pid("Rasa server"), served.pid("action server"))
            results.concurrency.append(level)
            _say(f"{name}: {conversations} conversations, {level.throughput:.1f} msg/s, "
                 f"p95 {level.latency.p95 * 1000:.0f} ms; Rasa server CPU {level.rasa_cpu_per_message * 1000:.0f} ms "
                 f"a message, {level.rasa_busy:.0%} of a core")
        results.long_conversation = measure.long_conversation(settings.rasa_url, questions, plan.long_conversation_count)
        _say(f"{name}: one conversation, first 10 {results.long_conversation.first_median * 1000:.0f} ms, "
             f"last 10 {results.long_conversation.last_median * 1000:.0f} ms (medians)")
        results.huge_message = measure.huge_message(settings.rasa_url, served.pid("Rasa server"),
                                                    long_message(list(questions), plan.huge_message_chars))
        _say(f"{name}: {plan.huge_message_chars:,}-character message answered in "
             f"{results.huge_message.seconds * 1000:.0f} ms, RSS {results.huge_message.growth_kib:+d} KiB")
        results.memory = measure.server_memory(served.pid("Rasa server"), served.pid("action server"))


def run(plan: Plan, *, quick: bool, reuse_models: bool, configs: Sequence[str], var_dir: Path) -> list[ConfigResults]:
    info = run_info(plan, quick)
    if info.load_average > 1.0:
        _say(f"the machine is busy (load average {info.load_average:.2f}): figures will be noisy")
    questions = knowledge_questions()
    results = []
    with tempfile.TemporaryDirectory(prefix="clair-bench-") as temporary:
        work = Path(temporary)
        try:
            # Train everything first, so no training competes with a served configuration for the CPU.
            models = {name: train(name, work, var_dir / "bench" / "models", reuse_models) for name in configs}
            database_url = prepare_database(work)
            for name in configs:
                model, training_seconds = models[name]
                config_results = ConfigResults(name, training_seconds=training_seconds)
                measure_served(name, model, embedded_settings(work / name / "serve", database_url), questions,
                               plan, config_results)
                results.append(config_results)
        finally:
            keep_logs(work, var_dir / "bench" / "logs")
    markdown = render(results, info, PLOT.name)
    print("\n" + markdown + "\n")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    json_path = var_dir / "bench" / f"results-{stamp}{'-quick' if quick else ''}.json"
    write_json(results, info, json_path)
    _say(f"raw results: {json_path}")
    if not quick and list(configs) == list(CONFIGS):
        write_docs(markdown, BENCHMARKS)
        plot_latency(results, PLOT)
        _say(f"written to {BENCHMARKS.relative_to(PROJECT_ROOT)} and {PLOT.relative_to(PROJECT_ROOT)}")
    else:
        _say("quick or partial run: docs/benchmarks.md and the plot were left as they were")
    return results


def main(quick: bool, reuse_models: bool, only: str | None, var_dir: Path) -> int:
    configs = [only] if only else list(CONFIGS)
    results = run(QUICK if quick else FULL, quick=quick, reuse_models=reuse_models, configs=configs, var_dir=var_dir)
    # Figures of a run where messages went unanswered describe a broken assistant, not a fast one.
    broken = [f"{r.name}: {measure.unanswered(r)}" for r in results if measure.unanswered(r)]
    if broken:
        _say(f"messages without a real reply ({', '.join(broken)}); see the logs")
    return 1 if broken else 0
