"""Issue #7's targets for this 2-core machine, and their verdicts for a configuration's results."""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable, Optional

from bot.bench.measurements import ConfigResults

NO_GROWTH_TOLERANCE_KIB = 1024  # RSS moves by a few pages on its own; more than 1 MiB is growth


@dataclass(frozen=True)
class Target:
    label: str
    limit: float
    unit: str  # how value and limit are shown: "ms", "s", "msg/s", "×", "KiB"
    value: Callable[[ConfigResults], Optional[float]]  # in the unit shown; None: not measured
    at_least: bool = False  # the value must reach the limit rather than stay within it
    strictly_below: bool = False  # "< limit" rather than "≤ limit"

    @property
    def comparison(self) -> str:
        return "≥" if self.at_least else "<" if self.strictly_below else "≤"

    def verdict(self, results: ConfigResults) -> Optional[bool]:
        """True: met; False: missed; None: not measured in this run."""
        value = self.value(results)
        if value is None:
            return None
        compare = {"≥": operator.ge, "<": operator.lt, "≤": operator.le}[self.comparison]
        return compare(value, self.limit)


def _ms(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else seconds * 1000


def _at_20(results: ConfigResults):
    return results.at(20)


def _of(measured, value: Callable) -> Optional[float]:
    """`value(measured)`, or None when that measurement was not taken in this run."""
    return None if measured is None else value(measured)


TARGETS = (
    Target("knowledge answer p50 (one user)", 25, "ms", lambda r: _ms(_of(r.sequential, lambda s: s.latency.p50))),
    Target("knowledge answer p95 (one user)", 50, "ms", lambda r: _ms(_of(r.sequential, lambda s: s.latency.p95))),
    Target("throughput, 20 conversations", 40, "msg/s", lambda r: _of(_at_20(r), lambda c: c.throughput),
           at_least=True),
    Target("p95, 20 conversations", 500, "ms", lambda r: _ms(_of(_at_20(r), lambda c: c.latency.p95))),
    Target("last 10 / first 10 messages of one conversation (medians)", 1.5, "×",
           lambda r: _of(r.long_conversation, lambda c: c.ratio)),
    Target("100,000-character message: reply time", 100, "ms",
           lambda r: _ms(_of(r.huge_message, lambda h: h.seconds)), strictly_below=True),
    Target("100,000-character message: Rasa server RSS growth", NO_GROWTH_TOLERANCE_KIB, "KiB",
           lambda r: _of(r.huge_message, lambda h: h.growth_kib)),
    Target("full training", 60, "s", lambda r: r.training_seconds),
    Target("start-up to first answer", 20, "s", lambda r: r.startup_seconds),
)


def politely_refused(results: ConfigResults) -> Optional[bool]:
    """The 100,000-character message got an answer (the refusal), not an error or silence."""
    return None if results.huge_message is None else results.huge_message.answered
