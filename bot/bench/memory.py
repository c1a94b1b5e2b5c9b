"""Resident memory of a server: VmRSS of its process and all its descendants, from /proc."""
from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def _parent_pids() -> dict[int, int]:
    parents = {}
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            # The command name (2nd field) may hold spaces and parentheses: split after the last ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    return parents


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for child, parent in _parent_pids().items():
        children.setdefault(parent, []).append(child)
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def rss_kib(pid: int) -> int:
    """VmRSS of one process in KiB (0 when it has ended)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid: int) -> int:
    """VmRSS of a process plus its descendants, in KiB (shared pages counted in each)."""
    return sum(rss_kib(p) for p in [pid, *descendants(pid)])
