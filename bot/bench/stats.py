"""Summaries of measured latencies: percentiles, throughput, median of a slice."""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median
from typing import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie, interpolated linearly between the two
    nearest ranks (NumPy's default method), so p50 of an even count is the mean of the middle two."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within 0..1, not {fraction}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class LatencySummary:
    count: int
    p50: float  # seconds
    p95: float
    mean: float
    maximum: float

    @classmethod
    def of(cls, latencies: Sequence[float]) -> "LatencySummary":
        return cls(count=len(latencies), p50=percentile(latencies, 0.50), p95=percentile(latencies, 0.95),
                   mean=sum(latencies) / len(latencies), maximum=max(latencies))


def throughput(completed: int, elapsed_seconds: float) -> float:
    """Messages answered per second of wall time."""
    if elapsed_seconds <= 0:
        raise ValueError("elapsed time must be positive")
    return completed / elapsed_seconds


def edge_medians(latencies: Sequence[float], width: int = 10) -> tuple[float, float]:
    """Median latency of the first and of the last `width` messages of one conversation."""
    if len(latencies) < 2 * width:
        raise ValueError(f"need at least {2 * width} latencies, got {len(latencies)}")
    return median(latencies[:width]), median(latencies[-width:])
