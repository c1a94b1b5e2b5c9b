"""The benchmark's report: Markdown tables (printed, and written into docs/benchmarks.md between
the `bench` markers) and the raw results as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Sequence

from bot.bench.measurements import ConfigResults, unanswered
from bot.bench.targets import TARGETS, Target, politely_refused
from bot.doc_sections import write_section

SECTION = "bench"
HEADING = "## Serving (`make bench`)"


@dataclass(frozen=True)
class RunInfo:
    date: str
    cores: int
    ram_gib: float
    load_average: float  # 1-minute load average when the run started: other work skews the figures
    rasa_version: str
    quick: bool
    sequential_count: int
    long_conversation_count: int
    concurrency_seconds: float
    profile: str = "embedded"


def _ms(seconds: Optional[float]) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _mib(kib: Optional[int]) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f} MiB"


def _seconds(seconds: Optional[float], reused: str = "–") -> str:
    return reused if seconds is None else f"{seconds:.1f} s"


def _value(target: Target, value: Optional[float]) -> str:
    if value is None:
        return "–"
    number = f"{value:.2f}" if target.unit == "×" else f"{value:+.0f}" if target.unit == "KiB" else \
        f"{value:.1f}" if target.unit in ("s", "msg/s") else f"{value:.0f}"
    return f"{number}×" if target.unit == "×" else f"{number} {target.unit}"


def verdict_word(met: Optional[bool]) -> str:
    return "not measured" if met is None else "met" if met else "**missed**"


def measurement_rows(results: Sequence[ConfigResults], info: RunInfo) -> list[list[str]]:
    rows = []

    def row(label: str, show) -> None:
        rows.append([label, *(show(r) for r in results)])

    row(f"knowledge answer, one user ({info.sequential_count} questions): p50 / p95",
        lambda r: r.sequential and f"{_ms(r.sequential.latency.p50)} / {_ms(r.sequential.latency.p95)}")
    for conversations in sorted({c.conversations for r in results for c in r.concurrency}):
        row(f"{conversations} concurrent conversation{'s' if conversations > 1 else ''}: msg/s, p50 / p95",
            lambda r, n=conversations: r.at(n) and f"{r.at(n).throughput:.1f} msg/s, "
                                                   f"{_ms(r.at(n).latency.p50)} / {_ms(r.at(n).latency.p95)}")
    levels = " / ".join(str(n) for n in sorted({c.conversations for r in results for c in r.concurrency}))
    row(f"Rasa server CPU per message (share of one core in use) at {levels} conversations",
        lambda r: r.concurrency and " / ".join(f"{c.rasa_cpu_per_message * 1000:.0f} ms ({c.rasa_busy:.0%})"
                                               for c in r.concurrency))
    row(f"action server CPU per message at {levels} conversations",
        lambda r: r.concurrency and " / ".join(f"{c.action_server_cpu_per_message * 1000:.0f} ms" for c in r.concurrency))
    row(f"one conversation of {info.long_conversation_count} messages: message 1 / message {info.long_conversation_count}",
        lambda r: r.long_conversation and f"{_ms(r.long_conversation.first)} / {_ms(r.long_conversation.last)}")
    row("… median of its first 10 / last 10 messages",
        lambda r: r.long_conversation and f"{_ms(r.long_conversation.first_median)} / "
                                          f"{_ms(r.long_conversation.last_median)} ({r.long_conversation.ratio:.2f}×)")
    row("100,000-character message: reply time; Rasa server RSS before → after",
        lambda r: r.huge_message and f"{_ms(r.huge_message.seconds)}; {_mib(r.huge_message.rss_before_kib)} → "
                                     f"{_mib(r.huge_message.rss_after_kib)} ({r.huge_message.growth_kib:+d} KiB)")
    row("… its reply", lambda r: r.huge_message and f"“{r.huge_message.reply[:120]}”")
    row("full training from scratch (wall time)", lambda r: _seconds(r.training_seconds, "reused"))
    row("start-up to first answer (action server + Rasa server)", lambda r: _seconds(r.startup_seconds))
    row("server memory after the load: Rasa server / action server",
        lambda r: r.memory and f"{_mib(r.memory.rasa_kib)} / {_mib(r.memory.action_server_kib)}")
    row("messages without a real reply (errors, empty)", lambda r: str(unanswered(r)))
    return [[cell or "–" for cell in line] for line in rows]


def target_rows(results: Sequence[ConfigResults]) -> list[list[str]]:
    rows = []
    for target in TARGETS:
        limit = f"{target.comparison} {target.limit:g} {target.unit}".replace(" ×", "×")
        rows.append([target.label, limit, *(f"{_value(target, target.value(r))} ({verdict_word(target.verdict(r))})"
                                            for r in results)])
    rows.append(["100,000-character message refused politely", "a reply",
                 *(verdict_word(politely_refused(r)) for r in results)])
    return rows


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render(results: Sequence[ConfigResults], info: RunInfo, plot_name: str) -> str:
    names = [r.name for r in results]
    kind = "quick run (reduced counts; not comparable with a full run)" if info.quick else "full run"
    intro = (f"`make bench` ({kind}), {info.date}: {info.cores} cores, {info.ram_gib:.1f} GiB RAM, 1-minute load "
             f"average {info.load_average:.2f} at the start; Rasa {info.rasa_version}; {info.profile} profile "
             f"(SQLite tracker store, in-memory lock store), one Rasa server, REST channel. Both configurations "
             f"serve the same domain, data, channels and action server; concurrency levels ran "
             f"{info.concurrency_seconds:g} s each.")
    return "\n".join([
        intro, "",
        markdown_table(["measurement", *names], measurement_rows(results, info)), "",
        markdown_table(["target", "limit", *names], target_rows(results)), "",
        f"![Reply latency (p50, p95) and throughput against concurrent conversations]({plot_name})",
    ])


def write_docs(markdown: str, benchmarks: Path) -> None:
    write_section(benchmarks, SECTION, markdown, HEADING)


def write_json(results: Sequence[ConfigResults], info: RunInfo, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"run": asdict(info), "results": [asdict(r) for r in results]}, indent=2))
