"""A day typed into a console filter (the queue's, the Unanswered page's): YYYY-MM-DD or nothing."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def day_from(value: Optional[str]) -> Optional[date]:
    """The day ``value`` names, or None (empty, another format, or no such day: 2026-02-30)."""
    value = (value or "").strip()
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
