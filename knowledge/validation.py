"""Small helpers that read typed fields and collect problems with file/record context."""
from __future__ import annotations  # getter names (str, int, bool) shadow builtins in the class body

import builtins
from typing import Any, Dict, List, Optional, Set

from .errors import KnowledgeError

_MISSING = object()


class Problems:
    """Collects "file: record: reason" lines so one run reports every problem."""

    def __init__(self) -> None:
        self.errors: List[str] = []

    def add(self, file: str, record: Optional[str], reason: str) -> None:
        where = f"{file}: {record}" if record else file
        self.errors.append(f"{where}: {reason}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise KnowledgeError(self.errors)


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}"


class Fields:
    """Typed access to one mapping record of a data file.

    Every getter reports a problem (and returns None) instead of raising, so the
    loader can carry on and list all problems. ``finish()`` reports unknown keys,
    which catches misspelt field names that would otherwise be silently ignored.
    """

    def __init__(self, problems: Problems, file: str, record: Optional[str],
                 data: Any, prefix: str = "") -> None:
        self.problems, self.file, self.record, self.prefix = problems, file, record, prefix
        self.ok = isinstance(data, dict)
        if not self.ok:
            self._problem(None, f"expected a mapping, got {_describe(data)}")
            data = {}
        self.data: Dict[str, Any] = data
        self._seen: Set[builtins.str] = set()

    # -- reporting -----------------------------------------------------------------
    def _path(self, key: Optional[str]) -> str:
        return f"{self.prefix}{key}" if key else self.prefix.rstrip(".")

    def _problem(self, key: Optional[str], reason: str) -> None:
        path = self._path(key)
        self.problems.add(self.file, self.record, f"field '{path}': {reason}" if path else reason)

    def problem(self, key: Optional[str], reason: str) -> None:
        self._problem(key, reason)

    # -- getters -------------------------------------------------------------------
    def _get(self, key: str, required: bool) -> Any:
        self._seen.add(key)
        value = self.data.get(key, _MISSING)
        if value is _MISSING and required:
            self._problem(key, "missing required field")
        return value

    def str(self, key: builtins.str, required: builtins.bool = True,
            nullable: builtins.bool = False) -> Optional[builtins.str]:
        value = self._get(key, required)
        if value is _MISSING or (value is None and nullable):
            return None
        if not isinstance(value, str) or not value.strip():
            self._problem(key, f"expected a non-empty text, got {_describe(value)}")
            return None
        return " ".join(value.split())  # folded YAML may leave odd spacing

    def int(self, key: builtins.str, required: builtins.bool = True, nullable: builtins.bool = False,
            minimum: Optional[builtins.int] = None) -> Optional[builtins.int]:
        value = self._get(key, required)
        if value is _MISSING or (value is None and nullable):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._problem(key, f"expected an integer, got {_describe(value)}")
            return None
        if minimum is not None and value < minimum:
            self._problem(key, f"must be at least {minimum}, got {value}")
            return None
        return value

    def bool(self, key: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._get(key, required=False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._problem(key, f"expected true or false, got {_describe(value)}")
            return default
        return value

    def str_list(self, key: builtins.str, required: builtins.bool = True) -> tuple:
        value = self._get(key, required)
        if value is _MISSING or (value is None and not required):
            return ()
        if not isinstance(value, list):
            self._problem(key, f"expected a list of texts, got {_describe(value)}")
            return ()
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self._problem(f"{key}[{i}]", f"expected a non-empty text, got {_describe(item)}")
            else:
                items.append(" ".join(item.split()))
        return tuple(items)

    def records(self, key: builtins.str, required: builtins.bool = True) -> list:
        """A list of mappings (e.g. editions); each item is validated by the caller."""
        value = self._get(key, required)
        if value is _MISSING or (value is None and not required):
            return []
        if not isinstance(value, list):
            self._problem(key, f"expected a list, got {_describe(value)}")
            return []
        return value

    def sub(self, key: builtins.str, required: builtins.bool = True) -> Optional["Fields"]:
        """Fields of a nested mapping, reported under the same record."""
        value = self._get(key, required)
        if value is _MISSING or (value is None and not required):
            return None
        return Fields(self.problems, self.file, self.record, value, f"{self.prefix}{key}.")

    def finish(self) -> None:
        for key in self.data:
            if key not in self._seen:
                self._problem(str(key), "unknown field (misspelt?)")
