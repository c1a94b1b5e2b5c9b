"""Geometry for the console's inline SVG charts: the templates draw rectangles and text from these
numbers, so there is no script and no inline style (the console's CSP allows neither)."""
from __future__ import annotations

from typing import Sequence, Tuple


def columns(values: Sequence[Tuple[object, int]], width: int = 22, gap: int = 6, height: int = 100) -> dict:
    """Vertical bars, one per (label, n)."""
    top = max([n for _, n in values] + [1])
    bars = []
    for i, (label, n) in enumerate(values):
        h = round(n / top * height) if n else 0
        bars.append({"x": i * (width + gap), "y": height - h, "w": width, "h": h, "n": n, "label": label})
    return {"bars": bars, "width": max(1, len(values) * (width + gap) - gap), "height": height}


def rows(values: Sequence[Tuple[str, int]], width: int = 300, bar: int = 10, pitch: int = 34) -> dict:
    """Horizontal bars, one per (label, n), scaled to the largest: the label on a line of its own
    above its bar (labels are long: visitors' questions), the number after the bar."""
    top = max([n for _, n in values] + [1])
    bars = [{"label_y": i * pitch + 12, "y": i * pitch + 17, "w": max(2, round(n / top * width)) if n else 0,
             "h": bar, "n": n, "label": label} for i, (label, n) in enumerate(values)]
    return {"bars": bars, "width": width + 48, "bar_width": width, "height": max(1, len(values) * pitch)}
