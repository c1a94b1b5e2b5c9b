"""CPU time used by a server (its process and all its descendants), from /proc: with the wall
time of a measurement it says whether the server was busy the whole time (it is the bottleneck)
or waiting (for another process, or for the CPU the machine's other work was using)."""
from __future__ import annotations

import os

from bot.bench.memory import PROC, descendants

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process (0 when it has ended)."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3 of stat(5), utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(p) for p in [pid, *descendants(pid)])
