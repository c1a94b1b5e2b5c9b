"""The measurements of one served configuration, each a plain record (saved as JSON)."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Sequence

from bot.bench import load
from bot.bench.load import LoadRun, Reply
from bot.bench.cpu import tree_cpu_seconds
from bot.bench.memory import tree_rss_kib
from bot.bench.stats import LatencySummary, edge_medians, throughput

EDGE_WIDTH = 10  # messages at each end of the long conversation whose median is compared


@dataclass(frozen=True)
class Sequential:
    latency: LatencySummary
    unanswered: int


@dataclass(frozen=True)
class Concurrency:
    conversations: int
    seconds: float
    messages: int
    throughput: float  # answered messages per second
    latency: LatencySummary
    unanswered: int
    # CPU time the servers used meanwhile (process trees, /proc): is the Rasa server the bottleneck?
    rasa_cpu_seconds: float = 0.0
    action_server_cpu_seconds: float = 0.0

    @property
    def rasa_cpu_per_message(self) -> float:
        return self.rasa_cpu_seconds / self.messages if self.messages else 0.0

    @property
    def action_server_cpu_per_message(self) -> float:
        return self.action_server_cpu_seconds / self.messages if self.messages else 0.0

    @property
    def rasa_busy(self) -> float:
        """Share of one core the Rasa server used (it handles messages on one thread)."""
        return self.rasa_cpu_seconds / self.seconds


@dataclass(frozen=True)
class LongConversation:
    messages: int
    first: float  # latency of message 1 (it also starts the conversation's session)
    last: float  # latency of the last message
    first_median: float  # median of the first EDGE_WIDTH messages
    last_median: float  # median of the last EDGE_WIDTH messages
    ratio: float  # last_median / first_median
    unanswered: int


@dataclass(frozen=True)
class HugeMessage:
    characters: int
    seconds: float
    rss_before_kib: int  # the Rasa server's process tree
    rss_after_kib: int
    reply: str
    answered: bool

    @property
    def growth_kib(self) -> int:
        return self.rss_after_kib - self.rss_before_kib


@dataclass(frozen=True)
class ServerMemory:
    rasa_kib: int
    action_server_kib: int


@dataclass
class ConfigResults:
    """Everything measured for one configuration (ours or the baseline)."""
    name: str
    training_seconds: float | None = None  # None: a model from an earlier run was reused
    startup_seconds: float | None = None
    sequential: Sequential | None = None
    concurrency: list[Concurrency] = field(default_factory=list)
    long_conversation: LongConversation | None = None
    huge_message: HugeMessage | None = None
    memory: ServerMemory | None = None

    def at(self, conversations: int) -> Concurrency | None:
        return next((c for c in self.concurrency if c.conversations == conversations), None)


def _unanswered(replies: Sequence[Reply]) -> int:
    return sum(not reply.answered for reply in replies)


def sequential(rasa_url: str, questions: Sequence[str], count: int, per_sender: int) -> Sequential:
    run = asyncio.run(load.sequential(rasa_url, questions, count, per_sender))
    return Sequential(LatencySummary.of([r.latency for r in run.replies]), _unanswered(run.replies))


def concurrency(rasa_url: str, questions: Sequence[str], conversations: int, seconds: float,
                rasa_pid: int, action_pid: int) -> Concurrency:
    rasa_cpu, action_cpu = tree_cpu_seconds(rasa_pid), tree_cpu_seconds(action_pid)
    run: LoadRun = asyncio.run(load.concurrent(rasa_url, questions, conversations, seconds))
    rasa_cpu, action_cpu = tree_cpu_seconds(rasa_pid) - rasa_cpu, tree_cpu_seconds(action_pid) - action_cpu
    answered = len(run.replies) - _unanswered(run.replies)
    return Concurrency(conversations, run.elapsed, len(run.replies), throughput(answered, run.elapsed),
                       LatencySummary.of([r.latency for r in run.replies]), _unanswered(run.replies),
                       rasa_cpu, action_cpu)


def long_conversation(rasa_url: str, questions: Sequence[str], count: int) -> LongConversation:
    run = asyncio.run(load.one_conversation(rasa_url, questions, count))
    latencies = [r.latency for r in run.replies]
    first_median, last_median = edge_medians(latencies, EDGE_WIDTH)
    return LongConversation(len(latencies), latencies[0], latencies[-1], first_median, last_median,
                            last_median / first_median, _unanswered(run.replies))


def huge_message(rasa_url: str, rasa_pid: int, text: str) -> HugeMessage:
    before = tree_rss_kib(rasa_pid)
    reply = asyncio.run(load.single(rasa_url, text))
    time.sleep(0.5)  # let the server finish whatever it does after replying (tracker save)
    after = tree_rss_kib(rasa_pid)
    return HugeMessage(len(text), reply.latency, before, after, " ".join(reply.texts), reply.answered)


def server_memory(rasa_pid: int, action_pid: int) -> ServerMemory:
    return ServerMemory(tree_rss_kib(rasa_pid), tree_rss_kib(action_pid))


def unanswered(results: ConfigResults) -> int:
    """Measured messages of a configuration that got no real reply (error, timeout, silence)."""
    parts = [results.sequential, *results.concurrency, results.long_conversation]
    return sum(p.unanswered for p in parts if p is not None) + (
        1 if results.huge_message is not None and not results.huge_message.answered else 0)
