"""docs/bench-latency.png: reply latency (p50 and p95) and throughput against concurrent
conversations, for each configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from bot.bench.measurements import ConfigResults


def plot_latency(results: Sequence[ConfigResults], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: render straight to the file
    import matplotlib.pyplot as plt

    figure, (latency_axis, throughput_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    for index, config in enumerate(results):
        levels = [c.conversations for c in config.concurrency]
        colour = f"C{index}"
        latency_axis.plot(levels, [c.latency.p50 * 1000 for c in config.concurrency], "o-", color=colour,
                          label=f"{config.name} p50")
        latency_axis.plot(levels, [c.latency.p95 * 1000 for c in config.concurrency], "s--", color=colour,
                          label=f"{config.name} p95")
        throughput_axis.plot(levels, [c.throughput for c in config.concurrency], "o-", color=colour, label=config.name)
    latency_axis.set(title="Reply latency", xlabel="concurrent conversations", ylabel="ms")
    throughput_axis.set(title="Throughput", xlabel="concurrent conversations", ylabel="messages per second")
    for axis in (latency_axis, throughput_axis):
        axis.grid(True, alpha=0.3)
        axis.set_ylim(bottom=0)
        axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
